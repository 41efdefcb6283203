"""The nonlinearity page in Chromium: predict, see the two layers collapse, train the ReLUs by SGD;
at desktop and phone widths."""

from __future__ import annotations

import pytest
import stbrowser as sb
import stpage as sp

PREDICTIONS = {"nl_collapse": "No: one layer computes the same", "nl_relu_params": "None",
               "nl_sgd": "Closer",
               "nl_counts": "Smaller with every doubling", "nl_hidden": "Fewer than half"}



@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_predict_then_train_the_relus_by_sgd(chromium, app_url, width, height):
    page = sb.new_page(chromium, {"width": width, "height": height})
    try:
        sb.open_path(page, app_url, "nonlinearity")
        for key, text in PREDICTIONS.items():
            sp.predict(page, key, text)
        assert float(sp.metric(page, "largest |difference|")) < 1e-5
        assert sp.metric(page, "SGD steps") is None, "SGD has not trained yet"
        sp.click_button(page, "Train 500 steps")
        assert sp.metric(page, "SGD steps") == "500"
        assert float(sp.metric(page, "RMSE after SGD")) < float(sp.metric(page, "RMSE by hand"))
        sb.assert_clean(page)
        sb.screenshot(page, sb.SHOTS / f"nonlinearity_{width}.png")
    finally:
        page.context.close()
