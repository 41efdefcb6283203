"""AppTest: the MNIST-loss page asks before it shows, and what it shows matches numbers computed
here with numpy from the same trained linear1."""

import math

import numpy as np
import pytest
from helpers import answer, metrics, open_page, random_sample, revealed

from lessonlib import book
from lessonlib.linear1_fit import fit_linear1

PREDICTS = ("loss_sign", "loss_nudge", "loss_example", "loss_sigmoid", "loss_metric")


@pytest.fixture(scope="module")
def fit():
    from lessonlib.data import load_bundled

    return fit_linear1(load_bundled(), (3, 7))


@pytest.fixture(scope="module")
def outputs(fit):
    """Validation outputs and targets, by numpy from the trained weights."""
    z = (fit.valid.x.numpy().astype(np.float64) @ fit.weights.numpy() + fit.bias.numpy())[:, 0]
    return z, fit.valid.y[:, 0].numpy()


def pct(v: float) -> str:
    return f"{v:.2%}"


def test_each_section_waits_for_a_prediction():
    at = open_page("mnist-loss")
    assert not at.exception
    assert at.title[0].value.startswith("The MNIST loss")
    assert len(at.get("plotly_chart")) == 1  # only the pixel map: no histogram, no curves before a
                                             # guess
    assert ([r.key for r in at.radio if r.key.startswith("predict_")]
            == [f"predict_{k}" for k in PREDICTS])
    assert "Accuracy at 0" not in metrics(at) and "Loss after the nudge" not in metrics(at)


def test_outputs_and_threshold_against_numpy(outputs):
    z, y = outputs
    at = answer(open_page("mnist-loss"), "loss_sign", 1)  # "mostly negative": wrong for the 3s
    share3, share7 = np.mean(z[y == 1] > 0), np.mean(z[y == 0] > 0)
    assert share3 > 2 / 3  # so the right answer is "mostly positive"
    assert "measured: mostly positive" in revealed(at)
    assert f"{share3:.0%} of the 3s and {share7:.0%} of the 7s" in revealed(at)
    shown = metrics(at)
    assert shown["Accuracy at 0"] == pct(np.mean((z > 0) == (y == 1)))
    assert shown["Accuracy at 0.5"] == shown["Accuracy at 0"]  # the same line, after the sigmoid
    at.slider(key="thr").set_value(5.0).run()
    at.slider(key="pthr").set_value(0.7).run()
    shown = metrics(at)
    assert shown["Accuracy at 5"] == pct(np.mean((z > 5) == (y == 1)))
    assert shown["Called 3 at 5"] == f"{int((z > 5).sum()):,}"
    s = 1 / (1 + np.exp(-z))
    assert shown["Accuracy at 0.7"] == pct(np.mean((s > 0.7) == (y == 1)))
    assert f"{math.log(0.7 / 0.3):.3f}" in " ".join(c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 3  # both histograms and the pixel map
    assert not at.exception


def test_a_nudge_against_numpy(fit):
    at = open_page("mnist-loss", {"wrow": "10", "wcol": "12", "nudge": "1"})
    assert at.slider(key="wrow").value == 10 and at.select_slider(key="nudge").value == 1.0
    answer(at, "loss_nudge", 2)
    x, yt = fit.train.x.double().numpy(), fit.train.y.double().numpy()
    w, b = fit.weights.double().numpy(), fit.bias.double().numpy()
    moved = w.copy()
    moved[28 * 10 + 12] += 1.0
    before, after = np.mean((x @ w + b > 0) == (yt == 1)), np.mean((x @ moved + b > 0) == (yt == 1))
    shown = metrics(at)
    assert shown["Accuracy after the nudge"] == pct(after)
    s = 1 / (1 + np.exp(-(x @ moved + b)))
    assert shown["Loss after the nudge"] == f"{np.mean(np.where(yt == 1, 1 - s, s)):.6f}"
    assert shown["d accuracy / d weight"] == "none"
    word = "go up" if after > before else "go down" if after < before else "stay exactly the same"
    assert word in revealed(at)
    assert at.get("plotly_chart")  # the sweep


def test_a_blank_pixel_moves_nothing():
    at = answer(open_page("mnist-loss", {"wrow": "0", "wcol": "0"}), "loss_nudge", 2)
    assert ("Right: stay exactly the same" in revealed(at)
            and "No training image has ink at this pixel" in revealed(at))
    assert "0 training images here have ink there" in " ".join(c.value for c in at.caption)


def test_the_books_example_and_the_learners_numbers():
    at = answer(open_page("mnist-loss"), "loss_example")
    assert "Right: goes down" in revealed(at)
    assert f"(the book prints {book.LOSS} and {book.LOSS_BETTER})" in revealed(at)
    code = " ".join(c.value for c in at.code)
    assert "0.4333, the mean of those three" in code
    table = at.dataframe[0].value
    assert table["torch.where gives"].tolist() == pytest.approx([0.1, 0.4, 0.8], abs=1e-6)
    at.slider(key="p3").set_value(0.8).run()
    assert "0.2333, the mean of those three" in " ".join(c.value for c in at.code)
    at.slider(key="p2").set_value(0.0).run()  # the second image (target 0) now predicted exactly 0
    assert (f"{(0.1 + 0.0 + 0.2) / 3:.4f}, the mean of those three"
            in " ".join(c.value for c in at.code))
    assert at.dataframe[0].value["branch taken"].tolist() == ["1 - prds", "prds", "1 - prds"]


def test_sigmoid_section_against_calculus():
    at = answer(open_page("mnist-loss", {"z": "-1.5"}), "loss_sigmoid", 1)
    assert "Right: 0.5" in revealed(at)
    s = 1 / (1 + math.exp(1.5))
    shown = metrics(at)
    assert shown["sigmoid(-1.5)"] == f"{s:.4f}"
    assert shown["Loss if it is a 3 (target 1)"] == f"{1 - s:.4f}"
    assert shown["Loss if it is a 7 (target 0)"] == f"{s:.4f}"
    assert shown["d loss / dz, target 1 (autograd)"] == f"{-s * (1 - s):.4f}"
    assert "fastest at z = 0" in " ".join(c.value for c in at.caption)


def test_loss_or_metric_against_numpy(outputs):
    z, y = outputs
    at = answer(open_page("mnist-loss"), "loss_metric", 0)
    right = (z > 0) == (y == 1)
    s = 1 / (1 + np.exp(-z[right]))
    on_right = np.mean(np.where(y[right] == 1, 1 - s, s))
    assert "measured: no, still above 0" in revealed(at)
    assert (f"on the {int(right.sum()):,} images it calls right, mnist_loss is {on_right:.4f}"
            in revealed(at))


def test_another_pair_and_a_tiny_folder(tmp_path, open_folders):
    at = open_page("mnist-loss", {"digits": "4,9"})
    for key in PREDICTS:
        answer(at, key)
    assert not at.exception and "Called 4 at 0" in metrics(at)
    random_sample(tmp_path, digits=(2, 5), n_train=3, n_valid=2)
    at.sidebar.text_input[0].input(str(tmp_path))
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert int(metrics(at)["Called 2 at 0"]) <= 4  # 2 validation 2s and 2 5s
