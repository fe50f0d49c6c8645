"""Largest Contentful Paint of the learner's pages on a throttled phone, next to a bare page.

    python bench/lcp.py [--runs 5] [--settle 1.5] [--seed 0]

The target: the lesson page's LCP on a throttled phone within 1.5× of a bare page's.

Builds the demo in a fresh SQLite file in a temp folder (or the database of ``DATABASE_URL``,
which must be empty) and serves it with gunicorn, one sync worker and the production settings
(``bench.server_settings``), as ``bench/learner_pages.py`` does (its helpers are reused). It logs
in over HTTP as the demo's ``teller`` and puts the session cookie into a headless Chromium
(Debian's ``/usr/bin/chromium``, driven by Playwright as tests/e2e do): a 360×740 phone
(device scale 2, touch, Android Chrome user agent), with, through a CDP session per page:

- ``Emulation.setCPUThrottlingRate {rate: 4}``: the 4× CPU slowdown of Lighthouse's mobile runs;
- ``Network.emulateNetworkConditions`` with Chrome DevTools' "Slow 3G" preset, as DevTools
  defines it (devtools-frontend, ``front_end/core/sdk/NetworkManager.ts``, ``Slow3GConditions``:
  ``download: 500 * 1000 / 8 * .8``, ``upload`` the same, ``latency: slow3GTargetLatency * 5``
  with ``slow3GTargetLatency = 400`` — "~500Kbps", "400ms RTT"): 50,000 bytes/s each way and
  2,000 ms from each request to its response headers (request-level throttling: the latency is
  paid per request, connection setup included);
- ``Network.setCacheDisabled``: every run is a first load (a new browser context each time).

LCP is read from a ``PerformanceObserver`` for ``largest-contentful-paint`` (``buffered: true``)
installed before the page's own scripts (``add_init_script``): the last entry's ``startTime``
once the ``load`` event has fired and ``--settle`` seconds have passed (LCP entries stop at the
first input; none is sent). Also recorded: when the HTML had arrived (navigation timing's
``responseEnd``; its ``responseStart`` comes before DevTools' per-request delay, which holds
the body back), First Contentful Paint, the bytes on the wire (CDP
``Network.loadingFinished`` ``encodedDataLength``, headers included, summed over the page's
requests), how many of them were render-blocking (Resource Timing's ``renderBlockingStatus``),
and the LCP element.

Pages: the demo's first course's last lesson and the course page (the ones
``bench/learner_pages.py`` picks), and the bare page ``/bench/bare-page/`` (bench/urls.py: one
paragraph of text, no stylesheet, script, font or image; 403 unless logged in). Each page is
loaded once unthrottled first (warm server), then ``--runs`` rounds, each loading the three
pages in a shuffled order (``--seed``). Printed: per page, median / min / max LCP, median HTML
arrival and FCP, bytes, render-blocking requests and the LCP element; the ratios lesson/bare
(target ≤ 1.5) and course/bare; the requests of one lesson load with their timing; the load
average. Exit 1 if a page did not answer 200.
"""

import argparse
import os
import random
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.learner_pages import (  # noqa: E402
    USERNAME,
    build_demo,
    free_port,
    log_in,
    start_server,
)

CHROMIUM = "/usr/bin/chromium"
TARGET = 1.5
SLOW_3G = {  # Chrome DevTools' "Slow 3G" (see the docstring)
    "offline": False,
    "latency": 400 * 5,
    "downloadThroughput": 500 * 1000 / 8 * 0.8,
    "uploadThroughput": 500 * 1000 / 8 * 0.8,
}
CPU_SLOWDOWN = 4
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}
OBSERVE_LCP = """
window.__lcp = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const el = entry.element;
    window.__lcp.push({
      startTime: entry.startTime,
      size: entry.size,
      url: entry.url,
      element: el ? el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
        + " \\"" + (el.textContent || "").trim().slice(0, 30) + "\\"" : null,
    });
  }
}).observe({type: "largest-contentful-paint", buffered: true});
"""
READ_METRICS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const resources = performance.getEntriesByType("resource").map((r) => ({
    name: r.name, start: r.startTime, end: r.responseEnd,
    blocking: r.renderBlockingStatus, type: r.initiatorType,
  }));
  return {
    lcp: window.__lcp.length ? window.__lcp[window.__lcp.length - 1] : null,
    candidates: window.__lcp.length,
    fcp: fcp ? fcp.startTime : null,
    html_end: nav.responseEnd,
    load: nav.loadEventEnd,
    blocking: resources.filter((r) => r.blocking === "blocking").length,
    resources,
  };
}"""


def load(browser, base, path, cookie, settle, throttled=True):
    """One first load of ``path`` in a new phone context: the page's metrics and bytes."""
    context = browser.new_context(**PHONE)
    try:
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        context.add_init_script(OBSERVE_LCP)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if throttled:
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        wire = {}
        cdp.on(
            "Network.loadingFinished",
            lambda event: wire.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        response = page.goto(base + path, wait_until="load", timeout=180_000)
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        # The observer's callback runs after the paint it reports: wait for a first entry (polled
        # from here: the page's CSP forbids the eval that wait_for_function would need).
        for _ in range(600):
            if page.evaluate("window.__lcp.length"):
                break
            page.wait_for_timeout(100)
        page.wait_for_timeout(settle * 1000)
        metrics = page.evaluate(READ_METRICS)
        if metrics["lcp"] is None:
            raise SystemExit(f"{path}: no largest-contentful-paint entry")
        metrics["bytes"] = sum(wire.values())
        metrics["requests"] = len(wire)
        return metrics
    finally:
        context.close()


def summary(runs):
    lcp = [run["lcp"]["startTime"] for run in runs]
    return {
        "lcp": statistics.median(lcp),
        "min": min(lcp),
        "max": max(lcp),
        "html": statistics.median(run["html_end"] for run in runs),
        "fcp": statistics.median(run["fcp"] for run in runs),
        "kb": statistics.median(run["bytes"] for run in runs) / 1024,
        "requests": max(run["requests"] for run in runs),
        "blocking": max(run["blocking"] for run in runs),
        "element": runs[-1]["lcp"]["element"],
    }


def report(results, before, after, options):
    print(
        f"Chromium {CHROMIUM}, 360×740 phone, CPU ÷{CPU_SLOWDOWN}, DevTools Slow 3G "
        f"({SLOW_3G['latency']:.0f} ms per request, {SLOW_3G['downloadThroughput']:,.0f} B/s), "
        f"cache disabled; {options.runs} runs per page, interleaved; gunicorn 1 sync worker, "
        f"production settings"
    )
    header = ("page", "LCP ms", "min", "max", "HTML", "FCP", "KB", "req", "blocking")
    print(f"{header[0]:<7}" + "".join(f"{h:>9}" for h in header[1:]) + "  LCP element")
    rows = {name: summary(runs) for name, runs in results.items()}
    for name, row in rows.items():
        print(
            f"{name:<7}{row['lcp']:>9.0f}{row['min']:>9.0f}{row['max']:>9.0f}{row['html']:>9.0f}"
            f"{row['fcp']:>9.0f}{row['kb']:>9.1f}{row['requests']:>9}{row['blocking']:>9}  "
            f"{row['element']}"
        )
    bare = rows["bare"]["lcp"]
    lesson = rows["lesson"]["lcp"] / bare
    verdict = "within" if lesson <= TARGET else "ABOVE"
    print(
        f"lesson/bare {lesson:.2f} ({verdict} the {TARGET}× target), "
        f"course/bare {rows['course']['lcp'] / bare:.2f}"
    )
    print("one lesson load, its requests (ms from navigation start):")
    last = results["lesson"][-1]
    print(f"  {'document':<40} 0 → {last['html_end']:.0f}")
    for resource in last["resources"]:
        print(
            f"  {urlsplit(resource['name']).path[-40:]:<40} {resource['start']:.0f} → "
            f"{resource['end']:.0f}  {resource['type']}, {resource['blocking']}"
        )
    print(
        f"load average {before[0]:.2f} before, {after[0]:.2f} after ({os.cpu_count()} CPUs): "
        "CPU throttling is relative to this machine, so compare runs made under similar load"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=1.5, help="seconds after load")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    workdir, env, paths = build_demo("cplms-lcp-")
    pages = {"lesson": paths["lesson"], "course": paths["course"], "bare": "/bench/bare-page/"}
    print(f"as {USERNAME}: {pages}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port, workdir)
    shuffle = random.Random(options.seed).shuffle
    try:
        cookie = log_in(port).split(";", 1)[0].removeprefix("sessionid=")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            for path in pages.values():  # warm the server: routes, renditions, first visit
                load(browser, base, path, cookie, 0, throttled=False)
            before = os.getloadavg()
            results = {name: [] for name in pages}
            for _round in range(options.runs):
                order = list(pages)
                shuffle(order)
                for name in order:
                    results[name].append(load(browser, base, pages[name], cookie, options.settle))
            after = os.getloadavg()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, before, after, options)


if __name__ == "__main__":
    main()
