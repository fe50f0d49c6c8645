"""Helpers shared by the browser tests.

Every learner-side page a phone test reaches is checked with :func:`fits_phone`: no horizontal
scrolling at 360 px, and every tap target at least 44×44 CSS px (WCAG 2.5.5; Apple's and
Material's minimum). Links inside running text a trainer wrote (``.prose``: the lesson body,
a question's stem, a notification's text) are exempt, as WCAG exempts inline targets in a
sentence; a radio or checkbox is measured by the label that wraps it, which is what a thumb taps.
"""

from config.demo.loader import DEMO_PASSWORD

PHONE_WIDTH = 360
MIN_TAP = 44

# Returns one line per visible tap target smaller than the minimum.
SMALL_TAP_TARGETS = """
(min) => {
  const targets = 'a[href], button, select, textarea, summary, [role=button],'
    + ' input:not([type=hidden])';
  const small = [];
  for (const el of document.querySelectorAll(targets)) {
    let box = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      box = el.closest('label');
      if (!box) {
        small.push(`unlabelled ${el.type} ${el.name}`);
        continue;
      }
    }
    if (el.closest('.prose') && el.matches('a')) continue;
    const style = getComputedStyle(box);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not rendered (closed details, hidden)
    if (r.right <= 0 || r.bottom <= 0) continue;  // off screen until focused (skip link)
    if (r.width + 0.5 < min || r.height + 0.5 < min) {
      const text = (box.innerText || box.value || box.getAttribute('aria-label') || '')
        .trim().replace(/\\s+/g, ' ').slice(0, 30);
      const cls = box.className && typeof box.className === 'string' ? '.' + box.className : '';
      const size = `${Math.round(r.width)}×${Math.round(r.height)}`;
      small.push(`${box.tagName.toLowerCase()}${cls} "${text}" ${size}`);
    }
  }
  return small;
}
"""


def no_horizontal_scroll(page):
    """True when the loaded page fits the phone's width (waits for a navigation to finish first,
    so a click that starts one cannot leave the check looking at a document being replaced)."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def small_tap_targets(page):
    """The visible tap targets on the page smaller than 44×44 CSS px, described."""
    page.wait_for_load_state()
    return page.evaluate(SMALL_TAP_TARGETS, MIN_TAP)


def fits_phone(page):
    """True when the page fits a 360 px phone: no horizontal scrolling and no tap target under
    44×44 px (an AssertionError names the small ones)."""
    if not no_horizontal_scroll(page):
        raise AssertionError(f"{page.url} scrolls sideways at {PHONE_WIDTH} px")
    small = small_tap_targets(page)
    if small:
        raise AssertionError(f"{page.url} has tap targets under {MIN_TAP}×{MIN_TAP} px: {small}")
    return True


def log_in(page, live_server, next_url="/learn/", username="teller"):
    """Log a demo account in through the login page (a fresh session) and land on ``next_url``."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{next_url}")
