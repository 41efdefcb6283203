"""The your-digit page: draw a digit with the mouse, as a visitor would, and get a prediction."""

from __future__ import annotations

import stbrowser as sb
import stpage as sp


def _draw_one(page) -> None:
    """A vertical stroke down the middle of the drawing canvas: a 1."""
    canvas = page.locator("canvas.upper-canvas")  # fabric.js draws on the top layer of the component
    box = canvas.bounding_box()
    x, top, bottom = box["x"] + box["width"] / 2, box["y"] + 0.15 * box["height"], box["y"] + 0.85 * box["height"]
    page.mouse.move(x, top)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(x, top + (bottom - top) * i / 20)
    page.mouse.up()


def test_drawing_a_one_is_called_a_one(page, app_url):
    sb.open_path(page, app_url, "your-digit")
    assert sp.metric(page, "Prediction") is None, "no prediction before anything is drawn"
    sb.after_rerun(page, lambda: _draw_one(page))
    sb.assert_clean(page)
    assert sp.metric(page, "Prediction") == "1", "a plain vertical stroke is nearest the mean 1"
    tall = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stImage'] img")]
        .map(i => Math.round(i.getBoundingClientRect().height)).filter(h => h > 400)""")
    assert not tall, f"images {tall} px tall: a thin digit's preprocessing steps should not be stretched"
