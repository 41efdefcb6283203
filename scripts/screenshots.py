"""Regenerate the README's screenshots: one PNG per page of the app, driven in Chromium as a visitor
would.

    .venv/bin/python scripts/screenshots.py [--dark] [--phone] [--out docs/screenshots]

Starts the app on a free port, opens every page of ui.registry and saves `<url path>.png`
(`start.png` for the start page; `-dark` is appended with --dark), the first screen a visitor sees:
1400 × 1000, or 390 × 844 with --phone (into `phone/`). Needs Playwright and Debian's Chromium
(apt-get install chromium).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import stbrowser as sb  # noqa: E402  (the browser tests' helpers: Chromium, waiting for Streamlit)
import stpage as sp  # noqa: E402  (widgets by their labels)
import stserver  # noqa: E402  (streamlit run app.py on a free port)

sys.path.insert(0, str(ROOT))
from ui.registry import PAGES  # noqa: E402

VIEWPORT = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


def _scroll_to(page, text: str) -> None:
    """Scroll the main area so that the first element showing this exact text is at the top."""
    page.locator("[data-testid='stMain']").get_by_text(text, exact=True).first.evaluate(
        "e => { document.querySelector(\"[data-testid='stMain']\").scrollTop += "
        "e.getBoundingClientRect().top - 16; }")


def _gradient(page) -> None:
    for _ in range(3):
        sp.click_button(page, "Step")
    _scroll_to(page, "The slope of x², and one step at a time")


def _similarity(page) -> None:
    _scroll_to(page, "2. One validation digit")


def _training(page) -> None:
    sp.button(page, "Play").click()
    sp.button(page, "Pause").wait_for(timeout=60_000)
    sb.wait_quiet(page)  # the fragment stops rerunning once the epochs are trained
    if page.viewport_size["width"] > PHONE["width"]:  # on a phone Play and the charts come first
        _scroll_to(page, "Learning rate")


def _your_digit(page) -> None:
    sp.draw(page, [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)])  # a 7 in one stroke


SCENES: dict[str, Callable] = {"gradient": _gradient, "similarity": _similarity,
                               "training": _training, "your-digit": _your_digit}


def shoot(out: Path, dark: bool, phone: bool = False) -> list[Path]:
    """Save one screenshot per page of ui.registry; returns the files written."""
    viewport = PHONE if phone else VIEWPORT
    written = []
    with sync_playwright() as playwright, stserver.running_app() as url:
        browser = sb.launch_chromium(playwright)
        page = sb.new_page(browser, viewport, color_scheme="dark" if dark else "light")
        for path in (p.key for p in PAGES):
            sb.open_path(page, url, path)
            SCENES.get(path, lambda p: None)(page)
            page.mouse.move(0, viewport["height"] - 1)  # no hover tooltip in the picture
            sb.wait_idle(page)
            sb.assert_clean(page)
            name = f"{path or 'start'}{'-dark' if dark else ''}.png"
            written.append(sb.screenshot(page, out / ("phone" if phone else "") / name,
                                         full_page=False))
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots",
                        help="folder for the PNGs")
    parser.add_argument("--dark", action="store_true",
                        help="the dark theme (as a visitor whose system is dark)")
    parser.add_argument("--phone", action="store_true",
                        help="a 390 × 844 phone screen, into phone/")
    args = parser.parse_args()
    for path in shoot(args.out, args.dark, args.phone):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
