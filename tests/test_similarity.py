"""The nearest-mean baseline against hand computations and an independent NumPy version."""

import numpy as np
import pytest
import torch

from lessonlib import book, broadcasting, distances, misclassified, similarity
from lessonlib.data import DigitData

TOL = 1e-6
HALF = 14 * 28  # pixels in one half of an image




def halves(top: int, bottom: int) -> torch.Tensor:
    """A uint8 (28, 28) image with one value in the top half and another in the bottom half."""
    x = torch.zeros(28, 28, dtype=torch.uint8)
    x[:14], x[14:] = top, bottom
    return x


@pytest.fixture(scope="module")
def tiny() -> DigitData:
    """Digit 0 is ink on top, digit 1 ink below; valid_0[1] is drawn like a 1, so it must be
    misclassified."""
    train = {0: torch.stack([halves(200, 0), halves(100, 0)]),  # mean0: top 150/255, bottom 0
             1: torch.stack([halves(0, 255), halves(0, 45)])}  # mean1: top 0, bottom 150/255
    valid = {0: torch.stack([halves(255, 0), halves(0, 255), halves(120, 30)]),
             1: torch.stack([halves(0, 200), halves(10, 255)])}
    return DigitData("tiny", train, valid)


def test_class_means_by_hand(tiny):
    means = similarity.class_means(tiny, [0, 1])
    assert means[0][:14].unique().tolist() == pytest.approx([150 / 255])
    assert means[0][14:].unique().tolist() == [0.0]
    assert means[1][14:].unique().tolist() == pytest.approx([150 / 255])


def test_distances_to_means_by_hand(tiny):
    means = similarity.class_means(tiny, [0, 1])
    x = tiny.images("valid", 0)[:1]  # (1, 28, 28): top 255, bottom 0
    d = similarity.distances_to_means(x, means)
    assert d.shape == (1, 2)
    to_0 = HALF * (1 - 150 / 255) / 784  # only the top half differs
    to_1 = (HALF * 1.0 + HALF * 150 / 255) / 784  # both halves differ
    assert d[0].tolist() == pytest.approx([to_0, to_1], abs=TOL)
    rmse = similarity.distances_to_means(x, means, distances.rmse)
    assert rmse[0, 0].item() == pytest.approx(np.sqrt(HALF * (1 - 150 / 255) ** 2 / 784), abs=TOL)


def test_evaluate_on_tiny_data_by_hand(tiny):
    result = similarity.evaluate(tiny, [0, 1])
    # valid 0: [top ink ✓, bottom ink ✗ (looks like a 1), mostly top ink ✓]; valid 1: both bottom
    # ink ✓
    assert result.per_digit[0] == pytest.approx(2 / 3, abs=TOL)
    assert result.per_digit[1] == pytest.approx(1.0)
    assert result.mean == pytest.approx((2 / 3 + 1) / 2, abs=TOL)
    assert result.wrong[0].tolist() == [1]
    assert result.wrong[1].tolist() == []


def test_mistakes_on_tiny_data(tiny):
    result = similarity.evaluate(tiny, [0, 1])
    m = misclassified.mistakes(tiny, result)
    assert m.total == 1 and m.true == [0] and m.predicted == [1]
    assert torch.equal(m.images[0], tiny.images("valid", 0)[1])
    assert m.distances[0, 1] < m.distances[0, 0]


def numpy_nearest_mean(data: DigitData, digits: list[int]) -> dict[int, float]:
    """An independent version of the baseline: NumPy, float64, explicit loops over images."""
    means = {d: data.train[d].numpy().astype(np.float64).mean(0) / 255 for d in digits}
    acc = {}
    for d in digits:
        hits = 0
        for im in data.valid[d].numpy().astype(np.float64) / 255:
            dist = [np.abs(im - means[k]).mean() for k in digits]
            hits += digits[int(np.argmin(dist))] == d
        acc[d] = hits / len(data.valid[d])
    return acc


@pytest.mark.parametrize("digits", [[3, 7], [4, 9], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
def test_evaluate_matches_numpy_reference(bundled, digits):
    result = similarity.evaluate(bundled, digits)
    reference = numpy_nearest_mean(bundled, digits)
    for d in digits:
        # float32; one image is 0.01
        assert result.per_digit[d] == pytest.approx(reference[d], abs=TOL)
    assert result.mean == pytest.approx(np.mean(list(reference.values())), abs=TOL)


def test_broadcast_steps_shapes_and_accuracy(bundled):
    means = similarity.class_means(bundled, [3, 7])
    valid = bundled.images("valid", 3)
    n = len(valid)
    steps, acc = broadcasting.broadcast_steps(valid, means[3], means[7], (3, 7))
    assert [s.shape for s in steps] == [(n, 28, 28), (28, 28), (n, 28, 28), (n,), (n,), (n,), ()]
    # broadcast: stride 0, no copy
    assert steps[2].code == "valid_3 - mean3" and "(0, 28, 1)" in steps[2].note
    assert acc == pytest.approx(similarity.evaluate(bundled, [3, 7]).per_digit[3], abs=TOL)


def test_sample_distances_table(bundled):
    means = similarity.class_means(bundled, [3, 7])
    x = bundled.images("valid", 7)[4]
    table = similarity.sample_distances(x, means)
    assert list(table.index) == [3, 7] and list(table.columns) == ["L1", "RMSE"]
    for d in (3, 7):
        assert table.loc[d, "L1"] == pytest.approx(distances.l1(x, means[d]).item(), abs=TOL)
        assert table.loc[d, "RMSE"] == pytest.approx(distances.rmse(x, means[d]).item(), abs=TOL)


def test_signed_mean_always_predicts_the_inkier_mean(bundled):
    """mean(x − m) = mean(x) − mean(m): the image drops out, so one class gets 100% and the other
    0%."""
    means = similarity.class_means(bundled, [3, 7])
    inkier = max((3, 7), key=lambda d: distances.ink(means[d]).item())
    table = similarity.metric_table(bundled, [3, 7], distances.METRICS)
    assert list(table.index) == list(distances.METRICS)
    assert list(table.columns) == ["3s", "7s", "mean", "all digits"]
    assert table.loc["signed mean", f"{inkier}s"] == 1.0
    assert table.loc["signed mean", "mean"] == 0.5
    assert table.loc["L1", "mean"] == pytest.approx(similarity.evaluate(bundled, [3, 7]).mean)
    assert (table.loc["L1", "all digits"]
            == pytest.approx(similarity.evaluate(bundled, bundled.digits).mean))


def test_per_digit_table(bundled):
    table = similarity.per_digit_table(bundled, bundled.digits,
                                       {"L1": distances.l1, "RMSE": distances.rmse})
    assert list(table.index) == list(range(10)) and list(table.columns) == ["L1", "RMSE"]
    assert ((table >= 0) & (table <= 1)).all().all()


def test_book_numbers_are_consistent():
    assert (book.BASELINE[3] + book.BASELINE[7]) / 2 == pytest.approx(book.BASELINE_MEAN, abs=1e-4)
    assert "ch. 4" in book.SOURCE
