"""The deeper page in Chromium: predict, train resnet18 for one epoch while the page redraws, read
what it measured; at desktop and phone widths."""

from __future__ import annotations

import re

import stbrowser as sb
import stpage as sp


def test_train_resnet18_for_an_epoch(chromium, app_url):
    page = sb.new_page(chromium, {"width": 1280, "height": 900})
    try:
        sb.open_path(page, app_url, "deeper?epochs=1", timeout=180)
        note = page.locator("[data-testid='stAlert']").filter(has_text="an epoch here").inner_text()
        assert re.search(r"about [\d.]+ s an epoch here", note), note
        sp.predict(page, "dp_vs_simple", "resnet18")
        # deeper against wider: three small nets, for everyone
        sp.predict(page, "dp_depth", "About the same")
        sp.button(page, "Train 1 epoch").click()
        page.wait_for_function(f"() => ({sp.METRIC_VALUE.strip()})('Validation "
                               f"accuracy')?.endsWith('%')",
                               # one batch a redraw, then the validation pass
                               polling=500, timeout=1_200_000)
        sb.wait_quiet(page, quiet=3, timeout=600)
        assert re.fullmatch(r"\d+\.\d\d%", sp.metric(page, "Validation accuracy") or ""), (
            "accuracy after an epoch")
        assert (sp.metric(page, "Epochs") == "1.00"
                and float(sp.metric(page, "Training seconds per epoch")) > 0)
        assert (sp.button(page, "Pause").is_disabled()
                and sp.chart_points(page, "resnet18 here") == 1)
        sb.assert_clean(page)
        sb.screenshot(page, sb.SHOTS / "deeper_1280.png")
    finally:
        page.context.close()


def test_phone_width_predict_start_and_pause(chromium, app_url):
    page = sb.new_page(chromium, {"width": 390, "height": 844})
    try:
        sb.open_path(page, app_url, "deeper?epochs=2", timeout=180)
        sp.predict(page, "dp_vs_simple", "simple_net")
        sp.button(page, "Train 2 epochs").click()
        page.wait_for_function("() => [...document.querySelectorAll(\"[data-testid='stMain'] "
                               "button\")].some(b => b.innerText.includes('Pause') && !b.disabled)",
                               timeout=60_000)
        sp.click_button(page, "Pause")
        sb.wait_quiet(page, quiet=3, timeout=300)
        assert not sp.button(page, "Train 2 more epochs").is_disabled(), (
            "paused: Train is available again")
        sb.assert_clean(page)
        sb.screenshot(page, sb.SHOTS / "deeper_390.png")
    finally:
        page.context.close()
