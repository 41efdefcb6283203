"""The mini-batch page in Chromium: predict each section first, then see the measured answer; change
the batch size and predict again; the same page at phone size."""

from __future__ import annotations

import pytest
import stbrowser as sb
import stpage as sp
import test_browser_a11y as a11y

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
PREDICTS = ("mb_item", "mb_shape", "mb_batches", "mb_noise")


def _alerts(page) -> str:
    return "\n".join(page.locator("[data-testid='stAlert']").all_inner_texts())


def predict(page, key: str, choice: int = 0) -> None:
    option = page.locator(f".st-key-predict_{key}_box [role='radiogroup'] label").nth(choice)
    sb.after_rerun(page, option.click)


def test_predict_then_see_and_change_the_batch_size(page, app_url):
    page.set_viewport_size(DESKTOP)  # the screenshot after the test is 1280 wide
    sb.open_path(page, app_url, "minibatches")
    for key in PREDICTS:
        predict(page, key)
    assert "4 batches: 3 of 256, then 1 of 232" in _alerts(page), _alerts(page)
    sp.press_slider(page, "Batch size", "ArrowLeft")  # 256 -> 128: new choices, predict again
    predict(page, "mb_batches")
    assert "8 batches: 7 of 128, then 1 of 104" in _alerts(page), _alerts(page)
    sb.assert_clean(page)
    if a11y.AXE.is_file():
        assert not a11y.violations(page, a11y.AXE)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_at_phone_size_with_every_answer_shown(chromium, app_url, scheme):
    """Every section answered, so every chart and picture is on the page: no serious axe-core
    violation."""
    if not a11y.AXE.is_file():
        sb.unavailable(f"the accessibility check needs axe-core at {a11y.AXE}: bash "
                       f"scripts/install.sh dev (npm)")
    phone = sb.new_page(chromium, PHONE, color_scheme=scheme)
    try:
        sb.open_path(phone, app_url, "minibatches")
        for key in PREDICTS:
            predict(phone, key)
        sb.assert_clean(phone)
        found = a11y.violations(phone, a11y.AXE) + a11y.cut_off(phone, "")
        assert not found, found
        sb.screenshot(phone, sb.SHOTS / f"minibatches_phone_{scheme}.png")
    finally:
        phone.context.close()
