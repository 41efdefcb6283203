"""The your-digit page: draw a digit with the mouse, as a visitor would, and get a prediction."""

from __future__ import annotations

import stbrowser as sb
import stpage as sp


def test_drawing_a_one_is_called_a_one(page, app_url):
    sb.open_path(page, app_url, "your-digit")
    assert sp.metric(page, "Prediction") is None, "no prediction before anything is drawn"
    sp.draw(page, [(0.5, 0.15), (0.5, 0.85)])  # a vertical stroke down the middle: a 1
    sb.assert_clean(page)
    assert sp.metric(page, "Prediction") == "1", "the reader calls a plain vertical stroke a 1"
    assert sp.metric(page, "Nearest mean") == "1", "and it is nearest the mean 1"
    tall = page.evaluate("""() => \
[...document.querySelectorAll("[data-testid='stMain'] [data-testid='stImage'] img")]
        .map(i => Math.round(i.getBoundingClientRect().height)).filter(h => h > 400)""")
    assert not tall, (f"images {tall} px tall: a thin digit's preprocessing steps should not be "
                      f"stretched")


def test_a_model_trained_on_the_training_page_judges_the_drawing(page, app_url):
    sb.open_path(page, app_url, "training")
    sp.click_button(page, "Step epoch")
    sp.go_to(page, "your-digit")
    sp.draw(page, [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)])  # a 7 in one stroke
    sb.assert_clean(page)
    assert sp.metric(page, "Prediction") == "7", "the reader should call this 7 a 7"
    labels = page.locator("[data-testid='stMain'] [data-testid='stMetricLabel']").all_inner_texts()
    trained = [label for label in labels if label.startswith("Your trained model")]
    assert trained, f"after training, the page should ask the trained model too; metrics: {labels}"
    assert sp.metric(page, trained[0]) in {"3", "7"}, (
        "the model chooses between the sidebar's two digits")


def ink(page) -> int:
    """How many of the canvas's pixels are dark: the strokes as the visitor sees them (the canvas's
    layers sit in a shadow root, which Playwright's locators reach and document.querySelector does
    not)."""
    return page.locator("canvas.dc-canvas.lower-canvas").evaluate("""c => {
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 128) n++;
        return n; }""")


def test_the_drawing_survives_a_visit_to_another_page_and_to_the_photo_upload(page, app_url):
    sb.open_path(page, app_url, "your-digit")
    sp.draw(page, [(0.5, 0.15), (0.5, 0.85)])  # a 1
    drawn = ink(page)
    assert drawn > 1000 and sp.metric(page, "Prediction") == "1"
    sp.go_to(page, "pixels")
    sp.go_to(page, "your-digit")
    page.locator("canvas.dc-canvas.lower-canvas").wait_for()
    assert sp.metric(page, "Prediction") == "1", "the kept drawing is classified again on return"
    page.wait_for_timeout(500)  # the canvas loads the kept strokes just after it appears
    assert abs(ink(page) - drawn) < 0.05 * drawn, "the canvas shows the same strokes again"
    sb.after_rerun(page, page.locator("[data-testid='stButtonGroup'] button",
                                      has_text="Photo").first.click)
    assert "input=photo" in page.url, "the choice goes into the link"
    sb.after_rerun(page, page.locator("[data-testid='stButtonGroup'] button",
                                      has_text="Draw").first.click)
    page.wait_for_timeout(500)
    assert abs(ink(page) - drawn) < 0.05 * drawn and sp.metric(page, "Prediction") == "1"
    sp.draw(page, [(0.3, 0.15), (0.7, 0.15)])  # a bar across the top, added to the kept stroke
    assert ink(page) > 1.3 * drawn, "a new stroke adds to the kept drawing"
    sb.assert_clean(page)
