"""Drive the real app in Chromium: start the server, launch the browser, wait for Streamlit to be idle."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).parent / "screenshots"  # every test's last view, for people to look at
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
STARTUP_SECONDS = 60
IDLE_MS = 300  # the script state must stay "notRunning" this long to count as idle

# Counts the app's reruns, so a test can wait for the rerun its click caused rather than guess how long it takes.
COUNT_RERUNS = """
window.__stRuns = 0;
new MutationObserver(records => {
  for (const r of records) {
    if (r.target.getAttribute('data-test-script-state') === 'running' && r.oldValue !== 'running') window.__stRuns++;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""

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


class ServerError(RuntimeError):
    """The Streamlit server did not come up."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


def _start(port: int, log, extra_args: list[str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
           str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *extra_args]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextlib.contextmanager
def running_app(extra_args: list[str] | None = None, attempts: int = 3) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port; yields its base URL and stops it afterwards.

    extra_args: more `--section.option value` flags for Streamlit, e.g. ["--theme.base", "dark"].
    """
    with tempfile.TemporaryFile("w+") as log:
        for _ in range(attempts):  # another process may grab the free port before Streamlit binds it
            url = f"http://127.0.0.1:{free_port()}"
            proc = _start(int(url.rsplit(":", 1)[1]), log, extra_args or [])
            deadline = time.monotonic() + STARTUP_SECONDS
            while proc.poll() is None and time.monotonic() < deadline and not _healthy(url):
                time.sleep(0.2)
            if proc.poll() is None and _healthy(url):
                break
            _stop(proc)
            log.seek(0)
            output = log.read()
            if "already in use" not in output:
                raise ServerError(f"Streamlit did not become healthy within {STARTUP_SECONDS} s:\n{output[-4000:]}")
        else:
            raise ServerError("Streamlit could not find a free port")
        try:
            yield url
        finally:
            _stop(proc)


def launch_chromium(playwright):
    """Debian's Chromium driven by Playwright (`playwright install` cannot download its own browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_page(browser, viewport: dict | None = None):
    """A page in a fresh context (a new Streamlit session) that counts reruns."""
    context = browser.new_context(viewport=viewport or VIEWPORT)
    context.add_init_script(COUNT_RERUNS)
    page = context.new_page()
    page.js_errors = []  # uncaught JavaScript errors, checked by assert_clean
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def wait_idle(page, timeout: float = 60) -> None:
    """Wait until the script has stopped running (steadily, not between two reruns) and no spinner shows."""
    page.evaluate("window.__idleSince = null")
    page.wait_for_function(IS_IDLE, arg=IDLE_MS, polling=50, timeout=timeout * 1000)


def reruns(page) -> int:
    """How many times the app's script has started running in this page so far."""
    return page.evaluate("window.__stRuns ?? 0")


def after_rerun(page, action: Callable[[], object], timeout: float = 60) -> None:
    """Do something that makes the app rerun, then wait for that rerun to finish."""
    before = reruns(page)
    action()
    page.wait_for_function("n => (window.__stRuns ?? 0) > n", arg=before, polling=50, timeout=timeout * 1000)
    wait_idle(page, timeout)


def open_path(page, base_url: str, path: str = "", timeout: float = 90) -> None:
    """Load a URL path of the app (e.g. "training?lr=0.05") and wait for its first run to finish."""
    page.goto(f"{base_url}/{path.lstrip('/')}")
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    page.wait_for_function("() => (window.__stRuns ?? 0) > 0", polling=50, timeout=timeout * 1000)
    wait_idle(page, timeout)


def exceptions(page) -> list[str]:
    """The text of every exception box on the page."""
    return page.locator("[data-testid='stException']").all_inner_texts()


def assert_no_exception(page) -> None:
    """Fail with the traceback text when the page shows an exception box."""
    boxes = exceptions(page)
    assert not boxes, f"exception box on {page.url}:\n" + "\n---\n".join(boxes)


def assert_clean(page) -> None:
    """No exception box on the page and no uncaught JavaScript error so far."""
    assert_no_exception(page)
    assert not getattr(page, "js_errors", []), f"JavaScript errors on {page.url}: {page.js_errors}"


def screenshot(page, path: Path, full_page: bool = True, max_height: int = 12000) -> Path:
    """Save a PNG; a full page grows the window to the height of Streamlit's scrolling main area."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wait_charts_drawn(page)
    size = page.viewport_size
    if full_page:
        height = page.evaluate("document.querySelector(\"[data-testid='stMain']\")?.scrollHeight ?? 0")
        page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), max_height)})
        _wait_layout_settled(page)
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
    return path


CHARTS_DRAWN = """
() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(
  c => c.querySelector('.js-plotly-plot .main-svg') !== null && c.getBoundingClientRect().height > 0)
"""


def wait_charts_drawn(page, timeout: float = 10) -> None:
    """Wait until every plotly chart on the page has drawn (they go blank while a rerun replaces them)."""
    page.wait_for_function(CHARTS_DRAWN, polling=50, timeout=timeout * 1000)


def _wait_layout_settled(page, timeout: float = 5) -> None:
    """After a resize, wait until the main area's height has stopped changing (charts re-lay out)."""
    script = """() => {
      const h = document.querySelector("[data-testid='stMain']")?.scrollHeight ?? 0;
      if (window.__lastHeight !== h) { window.__lastHeight = h; window.__heightSince = performance.now(); }
      return performance.now() - window.__heightSince >= 250;
    }"""
    page.evaluate("window.__lastHeight = null")
    page.wait_for_function(script, polling=50, timeout=timeout * 1000)


# ---- reading and driving widgets by their visible labels ----------------------------------------------------------

METRIC_VALUE = """
label => {
  for (const m of document.querySelectorAll("[data-testid='stMetric']")) {
    const l = m.querySelector("[data-testid='stMetricLabel']");
    if (l && l.innerText.trim() === label) return m.querySelector("[data-testid='stMetricValue']").innerText.trim();
  }
  return null;
}
"""


def metric(page, label: str) -> str | None:
    """The displayed value of the st.metric with this exact label (None if there is none)."""
    return page.evaluate(METRIC_VALUE, label)


def slider(page, label: str):
    """The thumb of the slider (or select_slider) with this exact label; focus it and use the keyboard."""
    return page.locator(f"[data-testid='stSlider'] input[type='range'][aria-label={json.dumps(label)}]")


def slider_value(page, label: str) -> str:
    """The value a slider displays, as text."""
    return slider(page, label).get_attribute("aria-valuetext")


def press_slider(page, label: str, *keys: str) -> None:
    """Focus a slider's thumb and press keys; waits for the rerun the new value causes."""
    thumb = slider(page, label)
    thumb.focus()

    def press() -> None:
        for key in keys:
            thumb.press(key)

    after_rerun(page, press)


def click_button(page, label: str) -> None:
    """Click the button with this exact label and wait for the rerun."""
    after_rerun(page, page.get_by_role("button", name=label, exact=True).click)


def sidebar_links(page) -> dict[str, str]:
    """URL path -> visible label of every page link in the sidebar navigation."""
    more = page.locator("[data-testid='stSidebarNavViewButton']")
    if more.count() and "more" in more.inner_text():
        more.click()
    links = page.locator("[data-testid='stSidebarNavLink']")
    found = {}
    for i in range(links.count()):
        link = links.nth(i)
        path = urllib.parse.urlparse(link.get_attribute("href")).path.strip("/")
        found[path] = link.inner_text().strip().splitlines()[-1].strip()
    return found


def title(page) -> str:
    """The text of the page's st.title."""
    return page.locator("[data-testid='stMain'] h1").first.inner_text().strip()


CHART_POINTS = """
part => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")]
  .flatMap(g => g._fullData || []).filter(t => (t.name || '').includes(part))
  .reduce((n, t) => n + (t._length ?? 0), 0)
"""


def chart_points(page, trace_name_part: str) -> int:
    """How many points the plotly traces whose name contains this text have, over every chart on the page.

    Reads plotly.js's decoded traces (`_fullData`): `data` may hold base64-packed arrays without a length.
    """
    return page.evaluate(CHART_POINTS, trace_name_part)


def wait_metric_values(page, label: str, count: int, timeout: float = 60) -> list[str]:
    """Watch a metric until it has shown `count` different values; returns them in the order seen."""
    script = "([label, count]) => {\n const v = (" + METRIC_VALUE.strip() + """)(label);
      window.__seen = window.__seen || [];
      if (v !== null && window.__seen[window.__seen.length - 1] !== v) window.__seen.push(v);
      return new Set(window.__seen).size >= count;
    }"""
    page.evaluate("window.__seen = []")
    page.wait_for_function(script, arg=[label, count], polling=20, timeout=timeout * 1000)
    return page.evaluate("window.__seen")
