"""The optimiser page as a learner uses it: predict, train the three ways, see equal results; at
desk and phone size."""

from __future__ import annotations

import stbrowser as sb
import stpage as sp

PHONE = {"width": 390, "height": 844}


def test_predict_then_train_all_three(page, app_url):
    sb.open_path(page, app_url, "optimiser")
    assert sp.title(page) == "The optimiser and Learner"
    assert not sp.button(page, "Train all three").count(), "the button waits for a prediction"
    sp.predict(page, "opt_same", "close")
    sp.click_button(page, "Train all three")
    assert sp.metric(page, "BasicOptim vs torch.optim.SGD") == "0"
    assert sp.metric(page, "torch.optim.SGD vs Learner") == "0"
    assert "measured: identical" in sp.alerts(page), sp.alerts(page)
    assert sp.chart_points(page, "Learner") > 1
    sb.assert_clean(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sb.screenshot(page, sb.SHOTS / "optimiser_1280.png")
    page.set_viewport_size(PHONE)
    sb.screenshot(page, sb.SHOTS / "optimiser_phone.png")
    sb.assert_clean(page)
