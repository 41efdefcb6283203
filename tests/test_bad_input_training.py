"""Training at the extremes of every control: no exception, a number or a clear message; a run that
overflows to inf/nan is shown as diverged, can no longer be played, and Reset starts it afresh.

The extremes are read from the page's own widgets (their first and last options, their min and max),
so a slider that gains a wider range is tested at its new ends. Already covered in
tests/test_app_training.py: Play at full speed, one batch a frame while changing settings, a
diverged flag set by hand, a sweep that marks a diverging rate.
"""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from helpers import open_page, overflowing_setup
from streamlit.testing.v1 import AppTest

from lessonlib.models import MODELS


@pytest.fixture
def page() -> AppTest:
    at = open_page("training", timeout=120)
    assert not at.exception
    return at


def ends(at: AppTest, key: str) -> tuple:
    """The first and last choice of a select_slider, as the values the page uses."""
    w = at.select_slider(key=key)
    cast = int if key == "bs" else float
    return cast(w.options[0]), cast(w.options[-1])


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def check_epoch(at: AppTest, what: str) -> None:
    """After Step epoch: either an epoch of batches with numbers shown, or a divergence shown as
    such."""
    assert not at.exception, (what, at.exception)
    t = at.session_state["tr_run"].trainer
    if t.diverged:
        assert any("inf or nan" in e.value for e in at.error), what
        assert at.button(key="tr_play").disabled and at.button(key="tr_epoch").disabled, what
        return
    assert t.steps == math.ceil(len(t.train.x) / t.config.batch_size), what
    assert math.isfinite(float(metric(at, "Last batch loss"))), what
    assert metric(at, "Validation accuracy").endswith("%") and not at.error, what


def set_and_step(at: AppTest, lr: float, bs: int, momentum: float) -> None:
    """Reset with these settings, then Step epoch."""
    at.select_slider(key="lr").set_value(lr)
    at.select_slider(key="bs").set_value(bs)
    at.select_slider(key="momentum").set_value(momentum)
    at.button(key="tr_reset").click().run()
    at.button(key="tr_epoch").click().run()
    c = at.session_state["tr_run"].trainer.config
    assert (c.learning_rate, c.batch_size, c.momentum) == (lr, bs, momentum)


@pytest.mark.slow
@pytest.mark.parametrize("model", [m for m, spec in MODELS.items() if spec.on_training_page])
def test_learning_rate_and_batch_size_at_every_end_of_their_sliders(page, model):
    at = page
    at.selectbox(key="model").set_value(model).run()
    top_momentum = ends(at, "momentum")[1]
    for lr, bs in itertools.product(ends(at, "lr"), ends(at, "bs")):
        set_and_step(at, lr, bs, top_momentum)
        check_epoch(at, f"{model} lr={lr} bs={bs} momentum={top_momentum}")
    if model == "linear":  # the same corners without momentum, and once for all ten digits
        for lr, bs in itertools.product(ends(at, "lr"), ends(at, "bs")):
            set_and_step(at, lr, bs, ends(at, "momentum")[0])
            check_epoch(at, f"{model} lr={lr} bs={bs} no momentum")
        at.radio(key="classes").set_value(10).run()
        for lr, bs in itertools.product(ends(at, "lr"), ends(at, "bs")):
            set_and_step(at, lr, bs, top_momentum)
            check_epoch(at, f"ten digits lr={lr} bs={bs}")


def test_number_inputs_at_their_ends(page):
    at = page
    at.selectbox(key="model").set_value("simple_net").run()
    for key in ("hidden", "seed"):
        w = at.number_input(key=key)
        for value in (int(w.min), int(w.max)):
            at.number_input(key=key).set_value(value).run()
            at.button(key="tr_epoch").click().run()
            check_epoch(at, f"{key}={value}")
            at.button(key="tr_reset").click().run()
    w = at.number_input(key="epochs")
    at.number_input(key="epochs").set_value(int(w.max))
    at.select_slider(key="tr_speed").set_value("1 batch a frame")
    at.button(key="tr_play").click().run()  # one frame of a 1,000-epoch Play …
    assert not at.exception and at.session_state["tr_run"].playing
    at.button(key="tr_pause").click().run()  # … paused at once
    assert not at.exception and not at.session_state["tr_run"].playing
    at.number_input(key="epochs").set_value(int(w.min))
    at.select_slider(key="tr_speed").set_value("full speed")
    at.button(key="tr_play").click().run()
    run = at.session_state["tr_run"]
    assert not at.exception and not run.playing
    assert (run.target == math.floor(run.start) + 1
            and run.trainer.progress == pytest.approx(run.target))


def test_the_sweep_at_the_ends_of_its_range(page):
    at = page
    low, high = ends(at, "tr_sweep_range")
    most = int(at.number_input(key="tr_sweep_count").max)
    for rates, count in (((low, low), 2), ((high, high), 2), ((low, high), most)):
        at.select_slider(key="tr_sweep_range").set_value(rates)
        at.number_input(key="tr_sweep_count").set_value(count)
        at.number_input(key="tr_sweep_epochs").set_value(1)
        at.button(key="tr_sweep_run").click().run()
        assert not at.exception, rates
        table = at.dataframe[0].value
        # one rate when the range is one rate
        assert len(table) == (1 if rates[0] == rates[1] else count), rates
        assert table["learning rate"].min() == rates[0] and table["learning rate"].max() == rates[1]


def diverge(at: AppTest) -> None:
    """The book's simple_net without its sigmoid, small batches, heavy momentum, the largest rate:
    it overflows."""
    overflowing_setup(at)
    at.select_slider(key="lr").set_value(ends(at, "lr")[1]).run()
    at.button(key="tr_epoch").click().run()


def test_a_real_divergence_is_shown_play_is_disabled_and_reset_recovers(page):
    at = page
    diverge(at)
    assert not at.exception
    run = at.session_state["tr_run"]
    t = run.trainer
    assert t.diverged and not math.isfinite(run.history.batch_loss.y[-1])
    assert t.steps < math.ceil(len(t.train.x) / 16)  # it stopped at the overflow, before the
                                                     # epoch's end
    [error] = [e.value for e in at.error if "inf or nan" in e.value]
    assert f"at step {t.steps}" in error and "Reset" in error
    assert metric(at, "Last batch loss") in ("nan", "inf", "-inf")
    for key in ("tr_play", "tr_step", "tr_epoch"):
        assert at.button(key=key).disabled, key
    assert not at.button(key="tr_reset").disabled


    at.button(key="tr_reset").click().run()
    fresh = at.session_state["tr_run"].trainer
    assert fresh is not t and fresh.steps == 0 and not fresh.diverged
    assert (not [e for e in at.error if "inf or nan" in e.value]
            and not at.button(key="tr_play").disabled)
    assert at.select_slider(key="lr").value == ends(at, "lr")[1]  # Reset keeps the settings …
    at.select_slider(key="lr").set_value(0.01).run()  # … and with a sane rate it trains
    at.button(key="tr_epoch").click().run()
    check_epoch(at, "after reset at lr=0.01")
    assert all(torch.isfinite(p).all() for p in fresh.model.parameters())


def test_the_your_digit_page_says_that_the_sessions_model_diverged(page):
    at = page
    diverge(at)
    assert at.session_state["tr_run"].trainer.diverged
    at.switch_page("pages/your-digit.py").run()
    at.segmented_control(key="input").set_value("photo").run()
    at.button(key="yd_sample_button").click().run()
    assert not at.exception
    assert any("diverged" in w.value for w in at.warning)


def test_a_divergence_while_playing_stops_the_play(page):
    at = page
    overflowing_setup(at)
    at.select_slider(key="lr").set_value(ends(at, "lr")[1])
    at.select_slider(key="tr_speed").set_value("full speed")
    at.number_input(key="epochs").set_value(3)
    at.button(key="tr_play").click().run()
    assert not at.exception
    run = at.session_state["tr_run"]
    assert run.trainer.diverged and not run.playing and run.trainer.progress < 1
    assert any("inf or nan" in e.value for e in at.error) and at.button(key="tr_play").disabled
