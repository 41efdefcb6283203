"""Drive the real app in Chromium: launch the browser, open pages, wait for Streamlit to be idle,
check, screenshot."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SHOTS = Path(__file__).parent / "screenshots"  # every test's last view, for people to look at
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
IDLE_MS = 300  # the script state must stay "notRunning" this long to count as idle

IS_IDLE = """
quietMs => {
  const app = document.querySelector("[data-testid='stApp']");
  const idle = app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && document.querySelector("[data-testid='stSpinner'], [data-testid='stSkeleton']") === null;
  if (!idle) { window.__idleSince = null; return false; }
  window.__idleSince = window.__idleSince ?? performance.now();
  return performance.now() - window.__idleSince >= quietMs;
}
"""


def unavailable(message: str) -> None:
    """Skip on a developer's machine; on CI (CI=true) a missing browser or tool is a failure, not a
    skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def launch_chromium(playwright):
    """Debian's Chromium driven by Playwright (`playwright install` cannot download its own browser
    here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_page(browser, viewport: dict | None = None, **context):
    """A page in a fresh context (a new Streamlit session) that counts the app's finished script
    runs. `context` goes to Playwright's new_context: color_scheme="dark", has_touch=True …"""
    page = browser.new_context(viewport=viewport or VIEWPORT, **context).new_page()
    page.js_errors = []  # uncaught JavaScript errors, checked by assert_clean
    page.runs_finished = 0  # script runs (whole page or fragment) the server reported finished, see
                            # after_rerun
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("websocket",
            lambda ws: ws.on("framereceived", lambda payload: _count_finished(page, payload)))
    return page


def _count_finished(page, payload: bytes | str) -> None:
    """Count the server's "script finished" messages, not those of a run cut short by a rerun."""
    if isinstance(payload, str):
        return
    msg = ForwardMsg()
    msg.ParseFromString(payload)
    if (msg.WhichOneof("type") == "script_finished"
        and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
        page.runs_finished += 1


def wait_idle(page, timeout: float = 60) -> None:
    """Wait until the script has stopped running (steadily, not between two reruns) and no spinner
    shows."""
    page.evaluate("window.__idleSince = null")
    page.wait_for_function(IS_IDLE, arg=IDLE_MS, polling=50, timeout=timeout * 1000)


def after_rerun(page, action: Callable[[], object], timeout: float = 60) -> None:
    """Do something that makes the app rerun, then wait for that run to finish and the page to
    settle.

    Counts the server's messages rather than watching the page's "running" state, which a quick run
    may never show.
    """
    before = page.runs_finished
    action()
    _wait_runs(page, before, timeout)
    wait_idle(page, timeout)


def open_path(page, base_url: str, path: str = "", timeout: float = 90) -> None:
    """Load a URL path of the app (e.g. "training?lr=0.05") and wait for its first run to finish."""
    after_rerun(page, lambda: page.goto(f"{base_url}/{path.lstrip('/')}"), timeout)


def _wait_runs(page, before: int, timeout: float) -> None:
    """Poll until more script runs have finished than `before` (Playwright delivers websocket events
    while waiting)."""
    deadline = time.monotonic() + timeout
    while page.runs_finished <= before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no script run finished within {timeout} s on {page.url}")
        page.wait_for_timeout(50)


def wait_quiet(page, quiet: float = 2.5, timeout: float = 180) -> None:
    """Wait until no script run has finished for `quiet` seconds (a playing fragment has stopped),
    then for idle."""
    deadline, count, since = time.monotonic() + timeout, page.runs_finished, time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app kept running for {timeout} s on {page.url}")
        page.wait_for_timeout(100)
        if page.runs_finished != count:
            count, since = page.runs_finished, time.monotonic()
    wait_idle(page)


def exceptions(page) -> list[str]:
    """The text of every exception box on the page."""
    return page.locator("[data-testid='stException']").all_inner_texts()


def assert_no_exception(page) -> None:
    """Fail with the traceback text when the page shows an exception box."""
    boxes = exceptions(page)
    assert not boxes, f"exception box on {page.url}:\n" + "\n---\n".join(boxes)


def page_not_found(page) -> bool:
    """Whether Streamlit's "Page not found" dialog is showing."""
    return page.get_by_role("dialog").filter(has_text="Page not found").count() > 0


def assert_clean(page) -> None:
    """No exception box, no "Page not found" dialog and no uncaught JavaScript error so far."""
    assert_no_exception(page)
    assert not page_not_found(page), f"{page.url} shows Streamlit's 'Page not found' dialog"
    assert not getattr(page, "js_errors", []), f"JavaScript errors on {page.url}: {page.js_errors}"


def screenshot(page, path: Path, full_page: bool = True, max_height: int = 12000) -> Path:
    """Save a PNG; a full page grows the window to the height of Streamlit's scrolling main area."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wait_charts_drawn(page)
    size = page.viewport_size
    if full_page:
        height = page.evaluate("document.querySelector(\"[data-testid='stMain']\")?.scrollHeight "
                               "?? 0")
        page.set_viewport_size({"width": size["width"],
                                "height": min(max(height, size["height"]), max_height)})
        _wait_layout_settled(page)
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
    return path


CHARTS_DRAWN = """
() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]\
.filter(c => c.checkVisibility()).every(
  c => c.querySelector('.js-plotly-plot .main-svg') !== null && \
c.getBoundingClientRect().height > 0)
"""


def wait_charts_drawn(page, timeout: float = 10) -> None:
    """Wait until every visible plotly chart has drawn (they go blank while a rerun replaces
    them)."""
    page.wait_for_function(CHARTS_DRAWN, polling=50, timeout=timeout * 1000)


def _wait_layout_settled(page, timeout: float = 5) -> None:
    """After a resize, wait until the main area's height has stopped changing
    (charts re-lay out)."""
    script = """() => {
      const h = document.querySelector("[data-testid='stMain']")?.scrollHeight ?? 0;
      if (window.__lastHeight !== h) { window.__lastHeight = h; \
window.__heightSince = performance.now(); }
      return performance.now() - window.__heightSince >= 250;
    }"""
    page.evaluate("window.__lastHeight = null")
    page.wait_for_function(script, polling=50, timeout=timeout * 1000)
