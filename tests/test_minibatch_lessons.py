"""Mini-batches against independent references: the questionnaire's zip, shapes by hand, numpy for
the broadcast loss, DataLoader's own batches, autograd per image, and the variance of a sample mean
drawn without replacement."""

import math

import numpy as np
import pytest
import torch
from helpers import tiny_split

from lessonlib import batch_noise, minibatch
from lessonlib.loss import mnist_loss
from lessonlib.models import linear1


def test_zip_makes_the_pairs_the_questionnaire_asks_for():
    assert minibatch.dataset([1, 2, 3, 4], "abcd") == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    split = tiny_split(6)
    x, y = minibatch.dataset(split.x, split.y)[2]
    assert torch.equal(x, split.x[2]) and torch.equal(y, split.y[2])


def test_the_shapes_on_the_way(bundled):
    a, b = bundled.images("train", 3), bundled.images("train", 7)
    steps = minibatch.shape_steps(a, b, torch.zeros(784, 1), torch.zeros(1), (3, 7))
    n = len(a) + len(b)
    assert [s.shape for s in steps] == [(500, 28, 28), (500, 28, 28), (n, 28, 28), (n, 784),
                                        (784, 1), (1,), (n, 1), (n,), (n, 1)]
    assert minibatch.view_shares_memory(a)


def test_labels_of_shape_b_broadcast_to_a_b_by_b_table_and_a_wrong_loss():
    g = torch.Generator().manual_seed(0)
    preds, labels = torch.randn(7, 1, generator=g) * 3, (torch.rand(7, generator=g) > 0.5).float()
    found = minibatch.label_shapes(preds, labels)
    s = 1 / (1 + np.exp(-preds.numpy()[:, 0].astype(np.float64)))
    right = np.mean(np.where(labels.numpy() == 1, 1 - s, s))
    # row i, label j
    wrong = np.mean([[1 - s[i] if labels[j] == 1 else s[i] for j in range(7)] for i in range(7)])
    assert found.where_right == (7, 1) and found.where_wrong == (7, 7)
    assert (found.loss_right == pytest.approx(right, rel=1e-6)
            and found.loss_wrong == pytest.approx(wrong, rel=1e-6))


@pytest.mark.parametrize("shuffle", [False, True])
def test_dataloader_batches_cover_every_item_once(shuffle):
    split = tiny_split(1000)
    got = minibatch.batches(split.x, split.y, 256, shuffle, seed=3)
    assert [len(b.indices) for b in got] == [256, 256, 256, 232]  # 1,000 = 3 × 256 + 232
    assert (got[0].x_shape == (256, 784) and got[0].y_shape == (256, 1)
            and got[-1].x_shape == (232, 784))
    order = [i for b in got for i in b.indices]
    assert sorted(order) == list(range(1000)) and (order == list(range(1000))) != shuffle
    assert all(t == int(split.y[i, 0]) for b in got
               for i, t in zip(b.indices, b.targets, strict=True))
    # the seed fixes the order
    assert minibatch.batches(split.x, split.y, 256, shuffle, seed=3) == got


def test_the_books_range_example():
    got = minibatch.range_batches(seed=0)
    assert [len(b) for b in got] == [5, 5, 5] and sorted(sum(got, [])) == list(range(15))
    assert minibatch.range_batches(seed=1) != got


def test_per_image_gradients_match_autograd_one_image_at_a_time():
    split = tiny_split(12, seed=1)
    g = torch.Generator().manual_seed(2)
    w, b = torch.randn(784, 1, generator=g) * 0.05, torch.randn(1, generator=g) * 0.1
    grads = batch_noise.per_example_gradients(w, b, split.x, split.y)
    assert grads.shape == (12, 785)
    for i in (0, 5, 11):
        wi, bi = w.clone().requires_grad_(), b.clone().requires_grad_()
        mnist_loss(linear1(split.x[i : i + 1], wi, bi), split.y[i : i + 1]).backward()
        assert torch.allclose(grads[i], torch.cat([wi.grad[:, 0], bi.grad]), atol=1e-7)
    wf, bf = w.clone().requires_grad_(), b.clone().requires_grad_()
    mnist_loss(linear1(split.x, wf, bf), split.y).backward()  # the full gradient is their mean
    assert torch.allclose(grads.mean(0), torch.cat([wf.grad[:, 0], bf.grad]), atol=1e-7)


def test_batch_sizes():
    assert batch_noise.batch_sizes(1000) == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]
    assert batch_noise.batch_sizes(12) == [1, 2, 4, 8, 12]
    assert batch_noise.batch_sizes(2) == [1, 2] and batch_noise.batch_sizes(1) == [1]


def test_gradient_noise_follows_the_variance_of_a_mean_drawn_without_replacement():
    g = torch.Generator().manual_seed(4)
    # a full gradient of about 0.3 per coordinate
    grads = torch.randn(40, 785, generator=g).double() + 0.3
    table = batch_noise.gradient_noise(grads.float(), [1, 4, 16, 40], draws=4000,
                                       seed=5).set_index("batch size")
    full = grads.mean(0)
    spread = ((grads - full) ** 2).sum(1).mean().item()  # σ²: mean squared distance of one item
                                                         # from the mean
    n = len(grads)
    for b in (1, 4, 16):
        # E|mean of b − mean|² / |mean|²
        expected = spread / b * (n - b) / (n - 1) / full.norm().item() ** 2
        assert table.loc[b, "relative squared distance"] == pytest.approx(expected, rel=0.05)
    assert (table.loc[40, "relative distance"] < 1e-5
            and table.loc[40, "cosine"] == pytest.approx(1.0, abs=1e-5))
    assert table["relative distance"].is_monotonic_decreasing


def test_epoch_cost_counts_steps():
    split = tiny_split(50)
    cost = batch_noise.epoch_cost(torch.zeros(784, 1), torch.zeros(1), split.x, split.y,
                                  [1, 16, 50], max_steps=8, repeats=1).set_index("batch size")
    assert cost["steps per epoch"].tolist() == [50, math.ceil(50 / 16), 1]
    assert cost["timed steps"].tolist() == [8, 4, 1]
    assert (cost["seconds per epoch"] > 0).all()
