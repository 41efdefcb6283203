"""Figures and the confusion matrix of the training page, checked against hand counts."""

import math

import numpy as np
import pytest
import torch
from helpers import tiny_split

from lessonlib import confusion
from lessonlib.book import RESULTS as BOOK_RESULTS
from lessonlib.models import make_model
from lessonlib.plots import training as plots
from lessonlib.sweep import SweepRun
from lessonlib.training import BatchEvent, EpochEvent, Split, TrainConfig, Trainer
from ui import live, training
from ui.history import History


def test_confusion_matrix_and_mistakes_match_a_hand_count():
    model = make_model("linear", seed=0)
    valid = tiny_split(30, seed=2)
    found = confusion.find_mistakes(model, valid)
    p = torch.sigmoid(model(valid.x)).squeeze(1).detach().numpy()
    truth = valid.y.squeeze(1).numpy() == 1
    pred = p > 0.5
    hand = [[np.sum(truth & pred), np.sum(truth & ~pred)],
            [np.sum(~truth & pred), np.sum(~truth & ~pred)]]
    assert found.matrix.tolist() == hand
    wrong = np.flatnonzero(truth != pred)
    assert sorted(found.wrong.tolist()) == sorted(wrong.tolist())
    sure = np.abs(p[found.wrong.numpy()] - 0.5)
    assert list(sure) == sorted(sure, reverse=True)  # most confident mistakes first


def test_perfect_model_has_no_mistakes():
    x = torch.tensor([[1.0] + [0.0] * 783, [0.0] * 784])
    valid = Split(x, torch.tensor([[1.0], [0.0]]))
    model = make_model("linear", seed=0)
    with torch.no_grad():
        model.weight.zero_()
        model.weight[0, 0] = 10.0
        model.bias.fill_(-5.0)
    found = confusion.find_mistakes(model, valid)
    assert found.matrix.tolist() == [[1, 0], [0, 1]] and len(found.wrong) == 0


def test_accuracy_figure_draws_the_baseline_across_the_chart():
    h = History()
    h.record([EpochEvent(1, 0.3, 0.8, 0.1), EpochEvent(2, 0.2, 0.9, 0.2)])
    fig = plots.accuracy_figure(h.valid_accuracy, baseline=0.95, x_max=20)
    base = fig.data[1]
    assert list(base.y) == [0.95, 0.95] and list(base.x) == [0, 20] and "95.0%" in base.name
    assert fig.layout.yaxis.range[1] > 1.0 and fig.layout.yaxis.range[0] <= 0.8


def test_loss_figure_turns_inf_and_nan_into_gaps():
    h = History()
    h.record([BatchEvent(1, 1, 0.5, 8, False, 0.5), BatchEvent(2, 1, math.inf, 8, True, 1.0)])
    y = plots.loss_figure(h.batch_loss, h.valid_loss).data[0].y
    assert y[0] == 0.5 and np.isnan(y[1])


def test_sweep_figure_marks_diverged_runs():
    ok = SweepRun(0.1, progress=[1.0], loss=[0.5])
    bad = SweepRun(10.0, progress=[0.25, 0.5], loss=[0.5, math.nan], diverged_at=0.5)
    fig = plots.sweep_figure([ok, bad])
    assert [t.name for t in fig.data[:3]] == ["lr 0.1", "lr 10 — diverged", None]
    assert (fig.data[2].marker.symbol == "x" and list(fig.data[2].x) == [0.5]
            and list(fig.data[2].y) == [0.5])


def test_live_figures_follow_the_run():
    split = tiny_split()
    run = live.LiveRun(Trainer(split, split, TrainConfig("simple_net", 0.5, 8, 6)))
    run.play(3)
    run.step(live.Budget(seconds=60, wall_seconds=60, until_epoch_end=True))
    figs = training.live_figures(run, baseline=0.9)
    assert set(figs) == {"loss", "accuracy", "weights"}
    assert list(figs["loss"].layout.xaxis.range) == [0, 3]
    assert len(figs["loss"].data[0].x) == 5 and list(figs["accuracy"].data[0].x) == [1]


def test_mistake_titles_name_the_true_digit_and_the_probability_of_the_wrong_answer():
    p = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.05, 0.95]])
    found = confusion.Mistakes(torch.zeros(2, 2, dtype=torch.long), torch.tensor([2, 1]), p,
                               truth=torch.tensor([0, 1, 0]), predicted=torch.tensor([1, 0, 1]))
    assert confusion.titles(found, (3, 7)) == ["a 3: p(7)=0.95", "a 7: p(3)=0.80"]


def test_sweep_range_ignores_the_run_that_blew_up():
    calm = SweepRun(0.1, progress=[0.25, 0.5, 0.75], loss=[0.5, 0.3, 0.2])
    wild = SweepRun(10.0, progress=[0.25, 0.5, 0.75], loss=[0.5, -1e30, -math.inf],
                    diverged_at=0.75)
    fig = plots.sweep_figure([calm, wild])
    lo, hi = fig.layout.yaxis.range
    assert lo == pytest.approx(-0.05) and hi == pytest.approx(0.55)  # 0…0.5 padded by 10 %
    assert list(fig.data[2].y) == [lo]  # the cross sits on the chart's lower edge
    assert plots.sweep_figure([calm]).layout.yaxis.range is None


def test_accuracy_figure_marks_the_books_result_and_widens_to_reach_it():
    h = History()
    h.record([EpochEvent(1, 0.3, 0.8, 0.1)])
    mark = BOOK_RESULTS["simple_net"]
    fig = plots.accuracy_figure(h.valid_accuracy, baseline=0.95, x_max=20, book=mark)
    star = next(t for t in fig.data if t.marker.symbol == "star")
    assert list(star.x) == [40] and list(star.y) == [0.9828] and "98.28%" in star.name
    assert list(fig.layout.xaxis.range) == [0, 40]


def test_the_loss_chart_smooths_the_batch_losses_as_fastai_does():
    values = [1.0, 0.5, 0.8, math.nan, 0.2, 0.4]
    h = History()
    h.record([BatchEvent(i, 1, v, 8, False, i / 10) for i, v in enumerate(values, start=1)])
    smooth = plots.loss_figure(h.batch_loss, h.valid_loss).data[1]
    expected, avg, n = [], 0.0, 0
    for v in values:  # by hand: debiased exponential moving average, beta 0.9, restarted after the
                      # nan
        if math.isnan(v):
            expected.append(math.nan)
            avg, n = 0.0, 0
            continue
        avg, n = 0.9 * avg + 0.1 * v, n + 1
        expected.append(avg / (1 - 0.9**n))
    assert smooth.name == "smoothed"
    assert np.allclose(np.asarray(smooth.y, dtype=float), expected, equal_nan=True, atol=1e-6)
    assert smooth.y[0] == pytest.approx(1.0) and smooth.y[1] == pytest.approx((0.09 + 0.05) / 0.19)


def test_a_long_sweep_run_is_drawn_with_at_most_about_600_points_that_keep_its_mean():
    n = 2_000  # a batch size of 1 on the bundled 3s and 7s, two epochs
    run = SweepRun(0.1, progress=[(i + 1) / 1000 for i in range(n)],
                   loss=[float(i % 7) for i in range(n)])
    line = plots.sweep_figure([run]).data[0]
    assert len(line.y) <= 600 and line.x[-1] == pytest.approx(2.0)
    # groups of 4 of 2,000 values
    assert float(np.mean(line.y)) == pytest.approx(np.mean(run.loss), rel=0.01)
