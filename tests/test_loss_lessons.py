"""The MNIST loss's lessons against independent references: numpy and hand computations, calculus,
finite differences, brute force, and the book's published numbers."""

import math

import numpy as np
import pytest
import torch
from helpers import tiny_split

from lessonlib import book, nudge, sigmoid_loss, threshold, where_loss
from lessonlib.linear1_fit import fit_linear1


def np_accuracy(outputs, targets, cut):
    return float(np.mean((np.asarray(outputs) > cut) == (np.asarray(targets) == 1)))


def test_accuracy_at_a_threshold_matches_numpy():
    g = torch.Generator().manual_seed(1)
    z, y = torch.randn(301, generator=g) * 5, (torch.rand(301, generator=g) > 0.4).float()
    for cut in (-3.0, 0.0, 0.25, 2.0):
        assert (threshold.accuracy_at(z, y, cut)
                == pytest.approx(np_accuracy(z.numpy(), y.numpy(), cut), abs=1e-7))


def test_best_threshold_beats_every_threshold_tried_by_brute_force():
    g = torch.Generator().manual_seed(2)
    z = torch.randint(-6, 7, (200,), generator=g).float() / 2  # many ties
    y = ((z + torch.randn(200, generator=g) * 1.5) > 0.3).float()
    best, acc = threshold.best_threshold(z, y)
    grid = np.linspace(-5, 5, 2001)
    brute = max(np_accuracy(z.numpy(), y.numpy(), c) for c in grid)
    assert acc == pytest.approx(brute, abs=1e-9)
    assert np_accuracy(z.numpy(), y.numpy(), best) == pytest.approx(acc, abs=1e-9)


def test_best_threshold_by_hand():
    z, y = torch.tensor([-2.0, -1.0, 0.5, 1.0, 3.0]), torch.tensor([0.0, 0.0, 0.0, 1.0, 1.0])
    # half-way between 0.5 and 1
    assert threshold.best_threshold(z, y) == (pytest.approx(0.75), 1.0)


def test_zero_before_and_half_after_the_sigmoid_are_the_same_line():
    z = torch.randn(10_000, generator=torch.Generator().manual_seed(3)) * 10
    assert threshold.decisions_differ(z, 0.5) == 0
    assert threshold.decisions_differ(z, 1.0) == int((z > 0).sum())  # sigmoid never exceeds 1
    # sigmoid(-1) > 0 calls it the first
    assert threshold.decisions_differ(torch.tensor([-1.0, 2.0]), 0.0) == 1
    for p in (0.1, 0.5, 0.77):
        assert threshold.raw_threshold(p) == pytest.approx(math.log(p / (1 - p)), abs=1e-12)


def test_the_books_example_gives_the_books_numbers():
    targets = torch.tensor(book.LOSS_TARGETS)
    chosen = torch.where(targets == 1, 1 - torch.tensor(book.LOSS_PREDICTIONS),
                         torch.tensor(book.LOSS_PREDICTIONS))
    assert chosen.tolist() == pytest.approx(book.LOSS_WHERE, abs=1e-6)
    assert where_loss.first_mnist_loss(torch.tensor(book.LOSS_PREDICTIONS),
                                       targets).item() == pytest.approx(
        book.LOSS, abs=5e-5)
    assert where_loss.first_mnist_loss(torch.tensor(book.LOSS_BETTER_PREDICTIONS),
                                       targets).item() == pytest.approx(
        book.LOSS_BETTER, abs=5e-5)
    # the hand computation behind the book's
    assert (0.1 + 0.4 + 0.8) / 3 == pytest.approx(book.LOSS, abs=5e-5)


def test_where_by_hand_and_the_table_agree_with_torch_where():
    g = torch.Generator().manual_seed(4)
    p, t = torch.rand(9, generator=g), (torch.rand(9, generator=g) > 0.5).long()
    expected = torch.where(t == 1, 1 - p, p).tolist()
    assert (where_loss.where_by_hand((t == 1).tolist(), (1 - p).tolist(), p.tolist())
            == pytest.approx(expected))
    table = where_loss.where_table(p, t)
    assert table["torch.where gives"].tolist() == pytest.approx(expected)
    assert table["branch taken"].tolist() == ["1 - prds" if v == 1 else "prds" for v in t.tolist()]


@pytest.mark.parametrize("z", [-8.0, -1.5, 0.0, 0.3, 2.0, 7.9])
def test_one_images_loss_and_slope_match_calculus(z):
    s = 1 / (1 + math.exp(-z))
    one = sigmoid_loss.one_image(z)
    assert one.probability == pytest.approx(s, rel=1e-12)
    assert (one.loss[1] == pytest.approx(1 - s, rel=1e-9)
            and one.loss[0] == pytest.approx(s, rel=1e-9))
    assert one.slope[1] == pytest.approx(-s * (1 - s), rel=1e-9)
    assert one.slope[0] == pytest.approx(s * (1 - s), rel=1e-9)


def test_sigmoid_curves_match_torch_and_calculus():
    x = torch.linspace(-20, 20, 101)
    assert torch.allclose(sigmoid_loss.sigmoid(x), torch.sigmoid(x), atol=1e-7)
    table = sigmoid_loss.curves()
    s = 1 / (1 + np.exp(-table["z"].to_numpy()))
    assert (np.allclose(table["loss, target 1"], 1 - s)
            and np.allclose(table["slope, target 1"], -s * (1 - s)))
    assert (np.allclose(table["loss, target 0"], s)
            and np.allclose(table["slope, target 0"], s * (1 - s)))
    assert sigmoid_loss.steepest(table) == 0.0


def np_loss(w, b, x, y):
    z = x @ w + b
    s = 1 / (1 + np.exp(-z))
    return float(np.mean(np.where(y == 1, 1 - s, s)))


def test_a_nudge_against_numpy_and_finite_differences():
    split = tiny_split(60, seed=5)
    g = torch.Generator().manual_seed(6)
    w, b = torch.randn(784, 1, generator=g) * 0.1, torch.randn(1, generator=g) * 0.1
    x, y = split.x.double().numpy(), split.y.double().numpy()
    wn, bn = w.double().numpy(), b.double().numpy()
    j, delta = 50, 0.05
    found = nudge.nudge(w, b, split.x, split.y, j, delta)
    moved = wn.copy()
    moved[j] += delta
    assert found.loss_before == pytest.approx(np_loss(wn, bn, x, y), rel=1e-9)
    assert found.loss_after == pytest.approx(np_loss(moved, bn, x, y), rel=1e-9)
    eps = 1e-6
    up, down = wn.copy(), wn.copy()
    up[j] += eps
    down[j] -= eps
    assert (found.loss_gradient
            == pytest.approx((np_loss(up, bn, x, y) - np_loss(down, bn, x, y)) / (2 * eps),
                             rel=1e-5))
    before, after = x @ wn + bn > 0, x @ moved + bn > 0
    assert found.accuracy_before == pytest.approx(np.mean(before == (y == 1)), abs=1e-7)
    assert found.accuracy_after == pytest.approx(np.mean(after == (y == 1)), abs=1e-7)
    assert found.flipped == int((before != after).sum()) and found.inked == int((x[:, j] > 0).sum())
    assert not found.accuracy_has_gradient


def test_a_blank_pixels_weight_moves_nothing():
    split = tiny_split(20)
    split.x[:, 0] = 0  # pixel 0 blank in every image
    w, b = torch.randn(784, 1), torch.zeros(1)
    found = nudge.nudge(w, b, split.x, split.y, 0, 10.0)
    assert (found.inked == 0 and found.loss_change == 0 and found.accuracy_change == 0
            and found.loss_gradient == 0)


def test_which_weights_move_loss_and_accuracy_by_brute_force():
    split = tiny_split(30, seed=7)
    split.x[:, :100] = 0  # a blank border: these weights cannot move anything
    g = torch.Generator().manual_seed(8)
    w, b = torch.randn(784, 1, generator=g) * 0.05, torch.zeros(1)
    x, y = split.x.double().numpy(), split.y.double().numpy()
    wn, bn = w.double().numpy(), b.double().numpy()
    for delta in (1e-3, 0.5):
        loss_moves = accuracy_moves = 0
        base_loss, base_right = np_loss(wn, bn, x, y), int(((x @ wn + bn > 0) == (y == 1)).sum())
        for j in range(784):
            moved = wn.copy()
            moved[j] += delta
            loss_moves += np_loss(moved, bn, x, y) != base_loss
            accuracy_moves += int(((x @ moved + bn > 0) == (y == 1)).sum()) != base_right
        assert (nudge.weights_that_move(w, b, split.x, split.y, delta)
                == (loss_moves, accuracy_moves))
        assert loss_moves == 784 - 100


def test_the_sweep_passes_through_the_trained_weights():
    split = tiny_split(40, seed=9)
    w, b = torch.randn(784, 1, generator=torch.Generator().manual_seed(10)) * 0.1, torch.zeros(1)
    table = nudge.sweep(w, b, split.x, split.y, 120, span=5.0, points=101)
    middle = table.iloc[50]
    found = nudge.nudge(w, b, split.x, split.y, 120, 0.0)
    assert middle["weight"] == pytest.approx(w[120, 0].item(), abs=1e-6)
    assert middle["loss"] == pytest.approx(found.loss_before, rel=1e-9)
    assert middle["accuracy"] == pytest.approx(found.accuracy_before, abs=1e-7)
    x, y = split.x.double().numpy(), split.y.double().numpy()
    moved = w.double().numpy().copy()
    moved[120] = table.iloc[0]["weight"]
    assert table.iloc[0]["loss"] == pytest.approx(np_loss(moved, 0.0, x, y), rel=1e-9)


def test_linear1_trained_with_the_books_recipe(bundled):
    fit = fit_linear1(bundled, (3, 7))
    # 4 batches an epoch on the bundled 3s, 7s
    assert fit.epochs == 21 and fit.steps == 21 * math.ceil(1000 / 256)
    assert fit.weights.shape == (784, 1) and fit.bias.shape == (1,)
    z = (fit.valid.x.numpy() @ fit.weights.numpy() + fit.bias.numpy())[:, 0]
    assert fit.valid_accuracy == pytest.approx(np_accuracy(z, fit.valid.y[:, 0].numpy(), 0.0),
                                               abs=1e-6)
    assert fit.valid_accuracy > 0.85  # trained: far above a coin toss
    again = fit_linear1(bundled, (3, 7))
    assert torch.equal(again.weights, fit.weights)  # the same recipe and seed give the same model
