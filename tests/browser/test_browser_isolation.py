"""Two visitors at once, each in their own browser context (their own Streamlit session), train on
the training page: neither ever sees the other's model, settings or history."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlparse

import stbrowser as sb
import stpage as sp

LR, BS, SPEED = "Learning rate", "Batch size", "Speed"
LOSS = "loss"  # the loss chart's traces have "loss" in their names
IMAGES = 1000  # training images of the default digits, 3 and 7, in the bundled data


def steps(page) -> int:
    return int(sp.metric(page, "Steps").replace(",", ""))


def shown(page) -> dict:
    """What a visitor sees of the training: steps, epochs, rate, batch size, history points, the
    link's rate."""
    return {"steps": steps(page), "epochs": sp.metric(page, "Epochs"),
            "lr": sp.slider_value(page, LR),
            "bs": sp.slider_value(page, BS), "points": sp.chart_points(page, LOSS),
            "link lr": parse_qs(urlparse(page.url).query).get("lr")}


def rerun(page) -> None:
    """Make the page run again without touching the training: nudge the playing speed (it only
    matters when playing)."""
    sp.press_slider(page, SPEED, "ArrowLeft")


def test_two_browser_sessions_train_apart(page, chromium, app_url):
    one, two = page, sb.new_page(chromium)
    try:
        sb.open_path(one, app_url, "training")
        sb.open_path(two, app_url, "training")
        start = shown(two)
        assert (start["steps"] == 0 and start["points"] == 0 and start["lr"] == "1"
                and start["bs"] == "256")

        sp.press_slider(one, LR, "ArrowLeft")  # one: learning rate 1 -> 0.5, one epoch
        sp.click_button(one, "Step epoch")
        first = shown(one)
        assert first["lr"] == "0.5" and first["link lr"] == ["0.5"] and first["bs"] == "256"
        assert (first["steps"] == math.ceil(IMAGES / 256) and first["epochs"] == "1.00"
                and first["points"] > 0)

        rerun(two)  # two runs again after one trained: still its own untouched run
        assert shown(two) == start
        sb.screenshot(two, sb.SHOTS / "test_two_browser_sessions_train_apart_second_before.png")

        sp.press_slider(two, LR, "ArrowRight")  # two: learning rate 1 -> 2, batch size 256 -> 128,
                                                # one epoch
        sp.press_slider(two, BS, "ArrowLeft")
        sp.click_button(two, "Step epoch")
        second = shown(two)
        assert second["lr"] == "2" and second["bs"] == "128" and second["link lr"] == ["2"]
        assert (second["steps"] == math.ceil(IMAGES / 128) and second["epochs"] == "1.00"
                and second["points"] > 0)

        rerun(one)  # one is as it left it: its steps, its rate and batch size, its history
        assert shown(one) == first
        rerun(two)
        assert shown(two) == second
        sb.assert_clean(one)
        sb.assert_clean(two)
    finally:
        try:
            sb.screenshot(two, sb.SHOTS / "test_two_browser_sessions_train_apart_second.png")
        finally:
            two.context.close()
