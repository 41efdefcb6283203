"""Skipping the zeroing of the gradients: the numbers its explanation quotes, re-measured on the
bundled digits; the weight norm against a hand computation; the norm recorded per epoch for the
training page."""

import math

import pytest
from helpers import tiny_split

from lessonlib import mistakes
from lessonlib.models import make_model
from lessonlib.norms import weight_norm
from lessonlib.training import EpochEvent, TrainConfig, Trainer, make_trainer
from ui import live


def test_weight_norm_is_the_root_of_the_sum_of_every_square():
    model = make_model("simple_net", hidden=5, seed=3)
    by_hand = math.sqrt(sum(float(v) ** 2 for p in model.parameters()
                            for v in p.detach().flatten().tolist()))
    assert weight_norm(model) == pytest.approx(by_hand, rel=1e-5)


def _measure(data, run: mistakes.ZeroingRun, keep: bool) -> tuple[float, float]:
    config = TrainConfig(run.model, run.learning_rate, run.batch_size, seed=42,
                         mistakes=frozenset({"keep_grads"}) if keep else frozenset())
    trainer = make_trainer(data, (3, 7), config)
    accuracy = [e.valid_accuracy for e in trainer.fit(20) if isinstance(e, EpochEvent)][-1]
    return accuracy, weight_norm(trainer.model)


@pytest.mark.parametrize("run", [mistakes.HARMLESS, mistakes.HARMFUL], ids=["harmless", "harmful"])
def test_the_explanations_numbers_are_what_training_measures(bundled, run):
    for i, keep in enumerate((False, True)):
        accuracy, norm = _measure(bundled, run, keep)
        assert accuracy == pytest.approx(run.accuracy[i], abs=6e-5), (run.model, keep)
        assert norm == pytest.approx(run.weight_norm[i], rel=0.01), (run.model, keep)


def test_the_explanation_quotes_both_runs():
    text = mistakes.describe("keep_grads")[1]
    for run in (mistakes.HARMLESS, mistakes.HARMFUL):
        assert f"{run.accuracy[0]:.1%}" in text and f"{run.accuracy[1]:.1%}" in text
        assert f"batch size {run.batch_size}" in text
    assert "Weight norm" in text and "hurts" in text
    # visibly worse, not noise
    assert mistakes.HARMFUL.accuracy[1] < mistakes.HARMFUL.accuracy[0] - 0.2
    assert abs(mistakes.HARMLESS.accuracy[1] - mistakes.HARMLESS.accuracy[0]) < 0.01


def test_a_live_run_records_the_norm_at_the_start_and_after_every_epoch():
    split = tiny_split(40)
    run = live.LiveRun(Trainer(split, split,
                               TrainConfig("linear", 1.0, 8, mistakes=frozenset({"keep_grads"}))))
    start = weight_norm(run.trainer.model)
    run.play(3)
    while run.playing:
        run.step(live.frame_budget(run.trainer, "1 batch a frame"))
    assert run.history.weight_norm.x == [0.0, 1.0, 2.0, 3.0]
    assert run.history.weight_norm.y[0] == pytest.approx(start)
    assert run.history.weight_norm.y[-1] == pytest.approx(weight_norm(run.trainer.model))
    reference = Trainer(split, split,
                        TrainConfig("linear", 1.0, 8, mistakes=frozenset({"keep_grads"})))
    norms = []
    for event in reference.fit(3):
        if isinstance(event, EpochEvent):
            norms.append(weight_norm(reference.model))
    assert run.history.weight_norm.y[1:] == pytest.approx(norms)


def test_the_norm_grows_far_more_without_zeroing():
    split = tiny_split(40)
    grown = {}
    for keep in (False, True):
        t = Trainer(split, split,
                    TrainConfig("linear", 1.0, 8,
                                mistakes=frozenset({"keep_grads"} if keep else ())))
        start = weight_norm(t.model)
        list(t.fit(5))
        grown[keep] = weight_norm(t.model) - start
    assert grown[True] > 5 * grown[False]
