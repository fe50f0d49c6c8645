import os
import shutil
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI (.ci/run installs it).")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous and safe. Only for the browser tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
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
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def csp_violation(message):
    return "Content Security Policy" in message or "Content-Security-Policy" in message


@pytest.fixture
def phone(browser):
    """A 360×740 phone-sized page that reports no horizontal scrolling. A test fails when the
    browser refused anything for the Content-Security-Policy (a console error)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    refused = []
    page.on("console", lambda msg: csp_violation(msg.text) and refused.append(msg.text))
    yield page
    context.close()
    wait_for_live_server_requests()
    assert not refused, refused


def wait_for_live_server_requests(timeout=15):
    """Let the live server finish the requests a page sent before it closed (a heartbeat, a
    retried answer): the database flush after a transactional test must not run beside one — on
    PostgreSQL the TRUNCATE and the request's writes deadlock. Closing the browser context
    closes its connections, so the server's request threads end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [
            thread
            for thread in threading.enumerate()
            if "process_request_thread" in thread.name and thread.is_alive()
        ]
        if not busy:
            return
        time.sleep(0.05)


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
