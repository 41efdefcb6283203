"""The gradient page, driven with the keyboard as a visitor would: the learning rate changes what is
shown."""

from __future__ import annotations

import pytest
import stbrowser as sb
import stpage as sp

LR = "Learning rate"
FACTOR = "each step multiplies x by"  # the metric (1 − 2·lr)


def test_learning_rate_slider_changes_the_step_and_warns_when_too_high(page, app_url):
    sb.open_path(page, app_url, "gradient")
    lr0, factor0, x0 = sp.slider_value(page, LR), sp.metric(page, FACTOR), sp.metric(page, "x now")
    assert factor0 is not None and x0 is not None, "the gradient page lost its metrics"
    assert "diverge" not in sp.alerts(page).lower(), f"lr {lr0} should not diverge"

    sp.click_button(page, "Step")
    x1 = sp.metric(page, "x now")
    assert float(x1) == pytest.approx(float(x0) * float(factor0), rel=1e-5), (
        f"{x0} · {factor0} gave {x1}")

    sp.press_slider(page, LR, "ArrowRight")
    lr1 = sp.slider_value(page, LR)
    assert float(lr1) > float(lr0)
    assert sp.metric(page, FACTOR) != factor0, (
        f"moving lr {lr0} -> {lr1} left '{FACTOR}' at {factor0}")
    assert f"Learning rate {lr1}" in sp.alerts(page), (
        "the explanation should follow the new learning rate")

    sp.press_slider(page, LR, "End")
    top = sp.slider_value(page, LR)
    assert float(top) > 1, f"End should move to the largest learning rate, got {top}"
    assert "diverge" in sp.alerts(page).lower(), f"at lr {top} the page should say it diverges"
    sb.assert_clean(page)
