"""The MNIST-loss page in Chromium: predict each section first, then see the measured answer; drag a
threshold; the same page at phone size."""

from __future__ import annotations

import pytest
import stbrowser as sb
import stpage as sp
import test_browser_a11y as a11y

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
PREDICTS = ("loss_sign", "loss_nudge", "loss_example", "loss_sigmoid", "loss_metric")


def _alerts(page) -> str:
    return "\n".join(page.locator("[data-testid='stAlert']").all_inner_texts())


def predict(page, key: str, choice: int = 0) -> None:
    """Pick a choice in a section's predict-first box and wait for the answer."""
    option = page.locator(f".st-key-predict_{key}_box [role='radiogroup'] label").nth(choice)
    sb.after_rerun(page, option.click)


def test_predict_then_see_and_drag_the_threshold(page, app_url):
    page.set_viewport_size(DESKTOP)  # the screenshot after the test is 1280 wide
    sb.open_path(page, app_url, "mnist-loss")
    assert sp.metric(page, "Accuracy at 0") is None, "the histograms wait for a prediction"
    for key in PREDICTS:
        predict(page, key)
    assert _alerts(page).count("easured") >= len(PREDICTS), _alerts(page)
    accuracy = sp.metric(page, "Accuracy at 0")
    assert accuracy and accuracy.endswith("%")
    sp.press_slider(page, "Threshold on the raw outputs", "ArrowRight")
    assert sp.metric(page, "Accuracy at 0.5") is not None, "the threshold moved by one step of 0.5"
    sb.assert_clean(page)
    if a11y.AXE.is_file():
        assert not a11y.violations(page, a11y.AXE)


def test_a_link_restores_the_settings(page, app_url):
    sb.open_path(page, app_url, "mnist-loss?thr=5&p3=0.8&z=-1.5&nudge=0.1")
    assert sp.slider_value(page, "Threshold on the raw outputs") == "5.00"
    assert sp.slider_value(page, "Prediction for image 3 (target 1)") == "0.80"
    assert sp.slider_value(page, "Raw output z of one image") == "-1.50"
    assert sp.slider_value(page, "Add to that weight") == "0.1"
    predict(page, "loss_example")
    codes = page.locator("[data-testid='stCode']").all_inner_texts()
    assert any("0.2333, the mean of those three" in t for t in codes), codes
    sb.assert_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_at_phone_size_with_every_answer_shown(chromium, app_url, scheme):
    """Every section answered, so every chart and picture is on the page: no serious axe-core
    violation."""
    if not a11y.AXE.is_file():
        sb.unavailable(f"the accessibility check needs axe-core at {a11y.AXE}: bash "
                       f"scripts/install.sh dev (npm)")
    phone = sb.new_page(chromium, PHONE, color_scheme=scheme)
    try:
        sb.open_path(phone, app_url, "mnist-loss")
        for key in PREDICTS:
            predict(phone, key)
        sb.assert_clean(phone)
        found = a11y.violations(phone, a11y.AXE) + a11y.cut_off(phone, "")
        assert not found, found
        sb.screenshot(phone, sb.SHOTS / f"mnist_loss_phone_{scheme}.png")
    finally:
        phone.context.close()
