"""How often the training page's charts update while playing, in real Chromium.

    python bench/frame_rate.py [--seconds 10]

Starts `streamlit run app.py` (as bench/load.py does), opens the training page for each setup below
with 1,000 epochs per Play at the default speed, presses Play and, for `--seconds`, counts how often
the "Steps" metric shows a new value (every frame redraws it together with the charts). It also sums
the browser's long tasks (main-thread work over 50 ms) to show how much of the time the browser
itself was busy drawing. The browser runs on the same machine as the server. Last line:
`min_updates_per_s=X.XX` over the setups (goal: at least 4).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ARGS, CHROMIUM, IDLE, free_port, start_server  # noqa: E402

# link settings per measurement
SETUPS = ["", "model=simple_net", "classes=10", "classes=10&model=simple_net"]
COUNT = """() => { window.__updates = 0; window.__busy = 0; let last = '';
  setInterval(() => { const m = document.querySelector('[data-testid=stMetricValue]');
                      const v = m && m.textContent; \
if (v !== last) { window.__updates++; last = v; } }, 20);
  new PerformanceObserver(l => { for (const e of l.getEntries()) window.__busy += e.duration; })
    .observe({entryTypes: ['longtask']}); }"""


def measure(browser, base: str, setup: str, seconds: float) -> tuple[float, float]:
    """Updates a second and the share of time the browser's main thread spent in long tasks."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/training?epochs=1000{'&' + setup if setup else ''}")
    page.wait_for_selector(IDLE, timeout=120_000)
    page.get_by_role("button", name="Play").first.click()
    time.sleep(2)  # past the full rerun that Play starts
    page.evaluate(COUNT)
    t0 = time.perf_counter()
    time.sleep(seconds)
    updates, busy = page.evaluate("() => [window.__updates, window.__busy]")
    elapsed = time.perf_counter() - t0
    page.close()
    return updates / elapsed, busy / 1000 / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port)
    rates = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for setup in SETUPS:
                rate, busy = measure(browser, f"http://127.0.0.1:{port}", setup, args.seconds)
                rates.append(rate)
                print(f"{setup or 'default (nn.Linear, 3 vs 7)':<32} {rate:5.2f} updates/s   "
                      f"browser busy {busy:4.0%}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"min_updates_per_s={min(rates):.2f}")


if __name__ == "__main__":
    main()
