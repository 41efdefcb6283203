"""Accessibility in real Chromium: axe-core's WCAG 2.1 A and AA rules on every page of ui.registry,
at phone and desktop sizes, in the light and the dark theme; the training page driven by the
keyboard alone; a digit drawn with a finger on the canvas.

A violation that sits inside Streamlit, which no setting or argument of ours reaches, would be
listed in ALLOWED by rule and element with the reason and the upstream issue; nothing else is
allowed. Today the list is empty."""

from __future__ import annotations

from pathlib import Path

import pytest
import stbrowser as sb
import stpage as sp

from ui.registry import PAGES

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ALLOWED: dict[tuple[str, str], str] = {}  # (rule id, CSS selector) -> the reason and the upstream
                                          # issue
RUN_AXE = """async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').flatMap(
    v => v.nodes.map(n => ({rule: v.id, impact: v.impact, target: n.target.join(' '), \
html: n.html.slice(0, 160),
                            why: n.failureSummary.split('\\n').slice(1).join(' ').trim()\
.slice(0, 200)})));
}"""


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.is_file():
        sb.unavailable(f"the accessibility test needs axe-core at {AXE}: bash scripts/install.sh "
                       f"dev (npm)")
    return AXE


def themed_page(chromium, scheme: str, size: str):
    """A fresh session in a window of that size whose system theme is light or dark (the app follows
    it)."""
    return sb.new_page(chromium, SIZES[size], color_scheme=scheme)


def violations(page, axe_source: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_source))
    return [v for v in page.evaluate(RUN_AXE, WCAG) if (v["rule"], v["target"]) not in ALLOWED]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_serious_violation_and_nothing_cut_off(chromium, app_url,
                                                                 axe_source, scheme, size):
    found = []
    for p in PAGES:
        page = themed_page(chromium, scheme, size)
        try:
            sb.open_path(page, app_url, p.key)
            sb.assert_clean(page)
            found += [f"/{p.key} {v['rule']} ({v['impact']}) at {v['target']}: {v['why']} — "
                      f"{v['html']}"
                      for v in violations(page, axe_source)]
            if size == "phone":
                found += cut_off(page, p.key)
                sb.screenshot(page, sb.SHOTS / f"a11y_{scheme}_{size}_{p.key or 'start'}.png")
        finally:
            page.context.close()
    assert not found, f"{len(found)} problems ({scheme}, {size}):\n" + "\n".join(found)


def cut_off(page, key: str) -> list[str]:
    """On a phone: the page must not be wider than the window, and no page link's text may be
    clipped."""
    problems = []
    wide = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollWidth")
    if wide > SIZES["phone"]["width"]:
        problems.append(f"/{key} is {wide} px wide on a {SIZES['phone']['width']} px phone")
    clipped = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stPageLink'] p")]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)""")
    return problems + [f"/{key}: link text cut off on a phone: {t!r}" for t in clipped]


FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || \
s.boxShadow !== 'none';
  return {label: e.getAttribute('aria-label') || e.innerText || '', tag: e.tagName, ring};
}"""


def tab_to(page, wanted, limit: int = 80) -> dict:
    """Press Tab until the focused element matches `wanted` (a test on the FOCUSED record); return
    that record."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the wanted control in {limit} presses")


def test_the_training_page_works_from_the_keyboard_alone(chromium, app_url):
    """Reach "Learning rate", change it, Play, Pause: Tab and arrow keys only, the focus visible at
    every step."""
    page = themed_page(chromium, "light", "desktop")
    try:
        sb.open_path(page, app_url, "training?epochs=1000")
        rate = tab_to(page, lambda f: f["label"] == "Learning rate")
        assert rate["ring"], "the focused slider shows no focus ring"
        sb.after_rerun(page, lambda: page.keyboard.press("ArrowLeft"))
        assert sp.slider_value(page, "Learning rate") == "0.5"
        play = tab_to(page, lambda f: f["tag"] == "BUTTON" and "Play" in f["label"])
        assert play["ring"], "the focused Play button shows no focus ring"
        page.keyboard.press("Enter")
        sp.button(page, "Pause").wait_for(timeout=30_000)
        pause = tab_to(page, lambda f: f["tag"] == "BUTTON" and "Pause" in f["label"])
        assert pause["ring"]
        page.keyboard.press("Enter")
        sp.button(page, "Play").wait_for(timeout=30_000)
        sb.wait_quiet(page)
        assert sp.metric(page, "Steps") not in ("0", None), "Play trained nothing"
        sb.assert_clean(page)
    finally:
        page.context.close()


def test_a_digit_drawn_with_a_finger_gets_a_prediction(chromium, app_url):
    """Touch events (no mouse) on the drawing canvas: a vertical stroke is read as a 1."""
    page = sb.new_page(chromium, SIZES["phone"], has_touch=True, is_mobile=True)
    try:
        sb.open_path(page, app_url, "your-digit")
        canvas = page.locator("canvas.dc-canvas.upper-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        x = box["x"] + box["width"] / 2
        ys = [box["y"] + box["height"] * f for f in (0.15, 0.3, 0.45, 0.6, 0.75, 0.85)]
        touch = page.context.new_cdp_session(page)

        def stroke() -> None:
            touch.send("Input.dispatchTouchEvent",
                       {"type": "touchStart", "touchPoints": [{"x": x, "y": ys[0]}]})
            for y in ys[1:]:
                touch.send("Input.dispatchTouchEvent",
                           {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
            touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

        sb.after_rerun(page, stroke)
        sb.screenshot(page, sb.SHOTS / "a11y_touch_drawing.png")
        assert sp.metric(page, "Prediction") == "1"
        sb.assert_clean(page)
    finally:
        page.context.close()


def test_on_a_phone_play_and_the_charts_come_before_the_settings(chromium, app_url):
    """At 390 px the training page shows Play and the live charts first, the eight settings after
    them; at 1280 px the settings stay above, beside nothing to scroll past."""
    top = """() => Object.fromEntries([["play", "[data-testid=stBaseButton-primary]"],
        ["rate", "input[aria-label='Learning rate']"], ["chart", ".st-key-tr_loss_chart"]].map(
        ([name, css]) => [name, document.querySelector(css).getBoundingClientRect().top]))"""
    for size in ("phone", "desktop"):
        page = sb.new_page(chromium, SIZES[size])
        try:
            sb.open_path(page, app_url, "training")
            y = page.evaluate(top)
            if size == "phone":
                assert y["play"] < y["chart"] < y["rate"], y
            else:
                assert y["rate"] < y["play"], y
        finally:
            page.context.close()


def phone_with_every_answer(chromium, app_url: str, path: str, keys, scheme: str) -> None:
    """The page at phone size with every predict-first box answered, so every chart and picture is
    on it: no serious axe-core violation and nothing cut off; screenshot <path>_phone_<scheme>."""
    if not AXE.is_file():
        sb.unavailable(f"the accessibility check needs axe-core at {AXE}: bash "
                       f"scripts/install.sh dev (npm)")
    phone = sb.new_page(chromium, {"width": 390, "height": 844}, color_scheme=scheme)
    try:
        sb.open_path(phone, app_url, path)
        for key in keys:
            sp.predict(phone, key)
        sb.assert_clean(phone)
        found = violations(phone, AXE) + cut_off(phone, "")
        assert not found, found
        sb.screenshot(phone, sb.SHOTS / f"{path.replace('-', '_')}_phone_{scheme}.png")
    finally:
        phone.context.close()
