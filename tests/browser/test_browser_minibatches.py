"""The mini-batch page in Chromium: predict each section first, then see the measured answer; change
the batch size and predict again; the same page at phone size."""

from __future__ import annotations

import pytest
import stbrowser as sb
import stpage as sp
import test_browser_a11y as a11y

DESKTOP = {"width": 1280, "height": 900}
PREDICTS = ("mb_item", "mb_shape", "mb_batches", "mb_noise")


def test_predict_then_see_and_change_the_batch_size(page, app_url):
    page.set_viewport_size(DESKTOP)  # the screenshot after the test is 1280 wide
    sb.open_path(page, app_url, "minibatches")
    for key in PREDICTS:
        sp.predict(page, key)
    assert "4 batches: 3 of 256, then 1 of 232" in sp.alerts(page), sp.alerts(page)
    sp.press_slider(page, "Batch size", "ArrowLeft")  # 256 -> 128: new choices, predict again
    sp.predict(page, "mb_batches")
    assert "8 batches: 7 of 128, then 1 of 104" in sp.alerts(page), sp.alerts(page)
    sb.assert_clean(page)
    if a11y.AXE.is_file():
        assert not a11y.violations(page, a11y.AXE)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_at_phone_size_with_every_answer_shown(chromium, app_url, scheme):
    a11y.phone_with_every_answer(chromium, app_url, "minibatches", PREDICTS, scheme)
