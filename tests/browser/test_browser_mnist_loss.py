"""The MNIST-loss page in Chromium: predict each section first, then see the measured answer; drag a threshold;
the same page at phone size."""

from __future__ import annotations

import stbrowser as sb
import stpage as sp

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


def test_the_page_at_phone_size(chromium, app_url):
    phone = sb.new_page(chromium, PHONE)
    try:
        sb.open_path(phone, app_url, "mnist-loss")
        for key in PREDICTS:
            predict(phone, key)
        sb.assert_clean(phone)
        sb.screenshot(phone, sb.SHOTS / "mnist_loss_phone.png")
    finally:
        phone.context.close()
