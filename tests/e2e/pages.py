"""Helpers shared by the browser tests."""

PHONE_WIDTH = 360


def no_horizontal_scroll(page):
    """True when the loaded page fits the phone's width (waits for a navigation to finish first,
    so a click that starts one cannot leave the check looking at a document being replaced)."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
