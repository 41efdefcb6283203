"""The MNIST-loss page in Chromium: predict each section first, then see the measured answer; drag a
threshold; the same page at phone size."""

from __future__ import annotations

import pytest
import stbrowser as sb
import stpage as sp
import test_browser_a11y as a11y

DESKTOP = {"width": 1280, "height": 900}
PREDICTS = ("loss_sign", "loss_nudge", "loss_example", "loss_sigmoid", "loss_metric")


def test_predict_then_see_and_drag_the_threshold(page, app_url):
    page.set_viewport_size(DESKTOP)  # the screenshot after the test is 1280 wide
    sb.open_path(page, app_url, "mnist-loss")
    assert sp.metric(page, "Accuracy at 0") is None, "the histograms wait for a prediction"
    for key in PREDICTS:
        sp.predict(page, key)
    assert sp.alerts(page).count("easured") >= len(PREDICTS), sp.alerts(page)
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
    sp.predict(page, "loss_example")
    codes = page.locator("[data-testid='stCode']").all_inner_texts()
    assert any("0.2333, the mean of those three" in t for t in codes), codes
    sb.assert_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_at_phone_size_with_every_answer_shown(chromium, app_url, scheme):
    a11y.phone_with_every_answer(chromium, app_url, "mnist-loss", PREDICTS, scheme)
