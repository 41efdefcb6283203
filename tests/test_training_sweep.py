"""The learning-rate sweep: same start for every rate, log spacing, divergence marked and
stopped."""

import pytest
import torch
from helpers import tiny_split

from lessonlib.sweep import log_rates, sweep
from lessonlib.training import TrainConfig, Trainer


def test_log_rates_are_evenly_spaced_in_log():
    assert log_rates(0.001, 10, 5) == [0.001, 0.01, 0.1, 1.0, 10.0]
    # an empty range: the one rate
    assert log_rates(0.1, 0.1, 5) == [0.1] and log_rates(1.0, 0.1, 3) == [1.0]
    assert log_rates(0.01, 1, 3) == [0.01, 0.1, 1.0]
    assert log_rates(0.5, 0.5, 1) == [0.5]


def test_every_rate_starts_from_the_same_weights_and_batches():
    split = tiny_split()
    runs = list(sweep(split, split, TrainConfig("simple_net", 1.0, 8, 6, seed=4),
                      [0.01, 0.1, 1.0], 2))
    first = [r.loss[0] for r in runs]
    assert first[0] == first[1] == first[2]  # the first loss is computed before any step
    assert len({r.loss[-1] for r in runs}) == 3
    assert all(r.diverged_at is None and len(r.accuracy) == 2 for r in runs)
    alone = Trainer(split, split, TrainConfig("simple_net", 0.1, 8, 6, seed=4))
    losses = [e.loss for e in alone.fit(2) if hasattr(e, "loss")]
    assert runs[1].loss == pytest.approx(losses)  # a sweep run is an ordinary run at that rate


def test_a_diverging_rate_is_marked_and_stopped_without_an_exception():
    split = tiny_split()
    config = TrainConfig("linear", 1.0, 8, mistakes=frozenset({"no_sigmoid"}))
    runs = list(sweep(split, split, config, [0.1, 1e37], 3))
    ok, bad = runs
    assert ok.diverged_at is None and len(ok.accuracy) == 3
    assert bad.diverged_at is not None and bad.diverged_at < 1 and len(bad.accuracy) == 0
    assert not torch.isfinite(torch.tensor(bad.loss[-1]))
