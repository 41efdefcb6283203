"""Distances against independent references: torch.nn.functional, NumPy and hand-worked examples."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lessonlib import distances
from lessonlib.similarity import class_means

TOL = 1e-6  # float32 sums over 784 pixels




@pytest.fixture(scope="module")
def real_pair(bundled):
    """A real validation 3 and the mean training 3."""
    return bundled.images("valid", 3)[0], class_means(bundled, [3])[3]


def random_pairs(n=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [(torch.rand(28, 28, generator=g), torch.rand(28, 28, generator=g)) for _ in range(n)]


@pytest.mark.parametrize("a,b", random_pairs())
def test_l1_and_rmse_match_torch_functional_on_random_images(a, b):
    assert distances.l1(a, b).item() == pytest.approx(F.l1_loss(a, b).item(), abs=TOL)
    assert distances.rmse(a, b).item() == pytest.approx(F.mse_loss(a, b).sqrt().item(), abs=TOL)


def test_l1_and_rmse_match_torch_functional_on_real_images(real_pair):
    a, b = real_pair
    assert distances.l1(a, b).item() == pytest.approx(F.l1_loss(a, b).item(), abs=TOL)
    assert distances.rmse(a, b).item() == pytest.approx(F.mse_loss(a, b).sqrt().item(), abs=TOL)
    table = distances.compare_with_torch(a, b)  # what the page shows: by hand, by PyTorch, their
                                                # difference
    x, y = (t.double().numpy() for t in real_pair)
    by_numpy = [np.abs(x - y).mean(), np.sqrt(((x - y) ** 2).mean())]
    assert list(table.index) == ["L1", "RMSE"]
    assert table["by hand"].to_numpy() == pytest.approx(by_numpy, abs=TOL)
    assert table["torch.nn.functional"].to_numpy() == pytest.approx(by_numpy, abs=TOL)
    assert (table["difference"] < TOL).all()


def test_l1_and_rmse_match_numpy(real_pair):
    a, b = (t.double().numpy() for t in real_pair)
    assert distances.l1(*real_pair).item() == pytest.approx(np.abs(a - b).mean(), abs=TOL)
    assert distances.rmse(*real_pair).item() == pytest.approx(np.sqrt(((a - b) ** 2).mean()),
                                                              abs=TOL)


def test_hand_worked_example():
    a, b = torch.zeros(28, 28), torch.zeros(28, 28)
    a[3, 4] = 1.0  # ink only in a
    b[20, 10] = 0.5  # ink only in b
    assert distances.l1(a, b).item() == pytest.approx(1.5 / 784, abs=1e-9)
    assert distances.rmse(a, b).item() == pytest.approx(math.sqrt(1.25 / 784), abs=1e-9)
    assert distances.signed_mean(a, b).item() == pytest.approx(0.5 / 784, abs=1e-9)


def test_batch_broadcasting_shapes_and_values(bundled):
    x = bundled.images("valid", 7)  # (100, 28, 28)
    m = class_means(bundled, [3])[3]  # (28, 28)
    for name, metric in distances.METRICS.items():
        assert metric(x, m).shape == (len(x),), name
    d1, d2 = distances.l1(x, m), distances.rmse(x, m)
    for i in (0, 17, len(x) - 1):
        assert d1[i].item() == pytest.approx(F.l1_loss(x[i], m).item(), abs=TOL)
        assert d2[i].item() == pytest.approx(F.mse_loss(x[i], m).sqrt().item(), abs=TOL)
    expanded = m.expand_as(x)  # what broadcasting does, without a copy
    assert expanded.stride()[0] == 0
    assert torch.allclose(d1, F.l1_loss(x, expanded, reduction="none").mean((-1, -2)), atol=TOL)


def test_signed_errors_cancel_but_l1_does_not():
    a, b = torch.zeros(28, 28), torch.zeros(28, 28)
    a[5, 5] = b[9, 9] = 1.0  # the same amount of ink in different places
    assert distances.signed_mean(a, b).item() == 0.0
    assert distances.l1(a, b).item() == pytest.approx(2 / 784, abs=1e-9)


def test_signed_mean_is_a_difference_of_ink(real_pair):
    a, b = real_pair
    expected = distances.ink(a) - distances.ink(b)
    assert distances.signed_mean(a, b).item() == pytest.approx(expected.item(), abs=TOL)


def test_error_parts_add_up_to_l1_and_signed_mean(real_pair):
    pos, neg = distances.error_parts(*real_pair)
    assert pos > 0 and neg > 0
    assert pos - neg == pytest.approx(distances.signed_mean(*real_pair).item(), abs=TOL)
    assert pos + neg == pytest.approx(distances.l1(*real_pair).item(), abs=TOL)


def test_error_maps_are_the_pieces_of_the_metrics(real_pair):
    maps = distances.error_maps(*real_pair)
    assert list(maps) == ["a − b", "|a − b|", "(a − b)²"]
    assert all(m.shape == (28, 28) for m in maps.values())
    assert maps["|a − b|"].mean().item() == pytest.approx(distances.l1(*real_pair).item(), abs=TOL)
    assert maps["(a − b)²"].mean().sqrt().item() == pytest.approx(distances.rmse(*real_pair).item(),
                                                                  abs=TOL)


def test_edges_are_first_differences():
    x = torch.zeros(28, 28)
    x[:, 10] = 1.0  # a vertical stroke one pixel wide
    e = distances.edges(x)
    assert e.shape == (27, 27)
    dx = np.diff(x.numpy(), axis=1)[:-1, :]  # change to the right neighbour, (27, 27)
    dy = np.diff(x.numpy(), axis=0)[:, :-1]  # change to the lower neighbour, (27, 27)
    np.testing.assert_allclose(e.numpy(), np.sqrt(dx**2 + dy**2), atol=TOL)
    assert set(np.flatnonzero(e[0].numpy())) == {9, 10}  # ink starts at column 10 and stops after
                                                         # it
    assert distances.edges(torch.rand(4, 28, 28)).shape == (4, 27, 27)


def test_edge_l1_compares_outlines(real_pair):
    a, b = real_pair
    assert distances.edge_l1(a, a).item() == 0.0
    expected = (distances.edges(a) - distances.edges(b)).abs().mean()
    assert distances.edge_l1(a, b).item() == pytest.approx(expected.item(), abs=TOL)


@pytest.mark.parametrize("pixels", [16, 100, 784])
def test_spread_error_keeps_its_total(pixels):
    e = distances.spread_error(16, pixels)
    assert e.shape == (28, 28)
    assert int((e > 0).sum()) == pixels
    assert e.sum().item() == pytest.approx(16, rel=1e-5)


def test_spread_table_l1_flat_rmse_falls_as_one_over_sqrt():
    counts = [16, 64, 256, 784]
    table = distances.spread_table(16, counts)
    for k in counts:
        assert table.loc[k, "L1"] == pytest.approx(16 / 784, rel=1e-5)
        assert table.loc[k, "RMSE"] == pytest.approx(math.sqrt(k * (16 / k) ** 2 / 784), rel=1e-5)
    assert table["RMSE"].is_monotonic_decreasing


@pytest.mark.parametrize("pixels", [0, 785])
def test_spread_error_rejects_impossible_counts(pixels):
    with pytest.raises(ValueError):
        distances.spread_error(16, pixels)


def test_edge_maps_show_both_edge_images_and_their_absolute_difference(real_pair):
    from lessonlib.plots.distances import edge_maps

    a, b = real_pair
    ea, eb = distances.edges(a), distances.edges(b)
    figures = edge_maps(ea, eb)
    z = [np.asarray(f.data[0].z) for f in figures]
    np.testing.assert_allclose(z[0], ea.numpy())
    np.testing.assert_allclose(z[1], eb.numpy())
    np.testing.assert_allclose(z[2], np.abs(ea.numpy() - eb.numpy()), atol=1e-7)  # numpy by hand
    assert [f.layout.title.text for f in figures] == ["edges(a)", "edges(b)",
                                                      "|edges(a) − edges(b)|"]
