"""The MNIST-loss page's drawing: what the trained model is, the predict-first choices and the
measured answer for each, and the metrics, tables and alt texts of its sections."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st
import torch

from lessonlib import book, sigmoid_loss, threshold, where_loss
from lessonlib.linear1_fit import EPOCHS, RECIPE, Linear1Fit
from lessonlib.nudge import Nudge
from lessonlib.plots import loss as lplots
from lessonlib.sigmoid_loss import OneImage
from ui import loss_shared as shared
from ui.core import source

SIGN_CHOICES = ("mostly positive", "mostly negative", "about half and half")
MOVE_CHOICES = ("go up", "go down", "stay exactly the same")
LOSS_CHOICES = ("goes down", "goes up", "stays the same")
ZERO_CHOICES = ("yes, exactly 0", "no, still above 0")


def model_note(fit: Linear1Fit, data_name: str) -> str:
    """Which model the page looks into, how it was trained, and how it did."""
    a, b = fit.digits
    per_epoch = math.ceil(len(fit.train.x) / RECIPE.batch_size)
    book_steps = (math.ceil(book.TRAIN_SHAPES[0][0] / RECIPE.batch_size)
                  * book.RESULTS['linear1'].epochs)
    return (f"The model on this page: the book's linear1 (`init_params`, `xb @ weights + bias`), "
            f"trained once on {data_name} for {a} (target 1) vs {b} (target 0) and shared by every "
            f"visitor. The book's recipe: mnist_loss, learning rate {RECIPE.learning_rate:g}, "
            f"batches of {RECIPE.batch_size} (shuffled each epoch here, as on the training page; "
            f"the book's loop takes them in order), {fit.epochs} epochs: {per_epoch} batches an "
            f"epoch, {fit.steps:,} steps over {len(fit.train.x):,} training images; seed "
            f"{RECIPE.seed}. Validation accuracy **{fit.valid_accuracy:.2%}** on "
            f"{len(fit.valid.x):,} images. The book reports {book.RESULTS['linear1'].accuracy:.2%} "
            f"for 3 vs 7 after {EPOCHS} epochs on MNIST_SAMPLE's {book.TRAIN_SHAPES[0][0]:,} "
            f"training images: {book_steps:,} steps.")


def sign_answer(share: float) -> str:
    """The SIGN_CHOICES answer for the share of outputs above 0."""
    return (SIGN_CHOICES[0] if share >= 2 / 3
            else SIGN_CHOICES[1] if share <= 1 / 3 else SIGN_CHOICES[2])


def histogram_alt(z: dict[int, torch.Tensor], pair: tuple[int, int], cut: float,
                  after: bool) -> str:
    a, b = pair
    scale = "sigmoid of the outputs" if after else "raw outputs"
    return (f"Histograms of the {scale} of {len(z[1])} validation {a}s and {len(z[0])} {b}s, with "
            f"the threshold at {cut:g}; accuracy {_accuracy(z, cut, after):.2%}.")


def _accuracy(z: dict[int, torch.Tensor], cut: float, after: bool) -> float:
    outputs, targets = _outputs(z)
    return threshold.accuracy_at(outputs.sigmoid() if after else outputs, targets, cut)


def threshold_metrics(z: dict[int, torch.Tensor], pair: tuple[int, int], cut: float, after: bool,
                      where) -> None:
    """Accuracy at the learner's threshold, and how many images it calls the first digit."""
    outputs, targets = _outputs(z)
    shown = outputs.sigmoid() if after else outputs
    m = where.columns(2)
    m[0].metric(f"Accuracy at {cut:g}", f"{threshold.accuracy_at(shown, targets, cut):.2%}",
                help=f"The book's threshold here is {0.5 if after else 0:g}.")
    m[1].metric(f"Called {pair[0]} at {cut:g}", f"{int((shown > cut).sum()):,}",
                help=f"of {len(shown):,} validation images, {len(z[1]):,} of them {pair[0]}s")


def threshold_notes(z: dict[int, torch.Tensor], probability: float) -> None:
    """The best raw threshold, and the sigmoid threshold as a raw one."""
    outputs, targets = _outputs(z)
    best, best_acc = threshold.best_threshold(outputs, targets)
    raw = threshold.raw_threshold(probability)
    st.caption(f"The threshold {probability:g} after the sigmoid is the raw threshold "
               f"log(p / (1 − p)) = {raw:.3f}; `sigmoid(preds) > 0.5` and `preds > 0` disagree on "
               f"{threshold.decisions_differ(outputs, 0.5):,} of these {len(outputs):,} images. "
               f"The best raw threshold on them is {best:.2f} ({best_acc:.2%}), but choosing it by "
               "looking at the validation images would tune the model to them; the book keeps 0.")


def _outputs(z: dict[int, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """All validation outputs, the first digit's first, and their targets: (N,), (N,)."""
    return torch.cat([z[1], z[0]]), torch.cat([torch.ones(len(z[1])), torch.zeros(len(z[0]))])


def pixel_figure(fit: Linear1Fit, pair: tuple[int, int], row: int, col: int) -> go.Figure:
    return lplots.pixel_map(shared.ink(source(), pair), row, col)


def pixel_alt(pair: tuple[int, int], row: int, col: int) -> str:
    ink = shared.ink(source(), pair)[row, col].item()
    return (f"The mean of the {pair[0]}s' and {pair[1]}s' training images, pixel row {row}, column "
            f"{col} ringed: its mean ink is {ink:.2f} (0 is blank, 1 full ink).")


def move_answer(change: float) -> str:
    return MOVE_CHOICES[0] if change > 0 else MOVE_CHOICES[1] if change < 0 else MOVE_CHOICES[2]


def nudge_why(n: Nudge) -> str:
    """Why the accuracy did what it did, in the measured numbers."""
    if n.inked == 0:
        return ("No training image has ink at this pixel, so this weight multiplies 0 every time: "
                "no output moves, neither the loss nor the accuracy can change. (The book's "
                "weights[0] is pixel row 0, column 0.)")
    text = (f"{n.inked:,} training images have ink at this pixel, so all their outputs moved, and "
            f"the loss moved by {n.loss_change:+.3g}. ")
    if n.flipped == 0:
        return (text
                + "But no output crossed 0, so no decision changed and the accuracy stayed exactly "
                "the same.")
    if n.accuracy_change == 0:
        return text + (f"{n.flipped} outputs crossed 0, as many to the right side as to the wrong "
                       "one, so the accuracy came out the same.")
    return text + (f"{n.flipped} output{'s' if n.flipped > 1 else ''} crossed 0, so the accuracy "
                   f"jumped by {n.accuracy_change:+.2%}: with a nudge this big, some images change "
                   f"sides.")


def nudge_metrics(n: Nudge) -> None:
    """Loss and accuracy before and after, and what autograd says about each."""
    m = st.columns(4)
    m[0].metric("Loss after the nudge", f"{n.loss_after:.6f}",
                f"{n.loss_change:+.3g}" if n.loss_change else "0",
                delta_color="off", delta_arrow="auto" if n.loss_change else "off")
    m[1].metric("Accuracy after the nudge", f"{n.accuracy_after:.2%}",
                f"{n.accuracy_change:+.2%}" if n.accuracy_change else "no change",
                delta_color="off", delta_arrow="auto" if n.accuracy_change else "off")
    m[2].metric("d loss / d weight (autograd)", f"{n.loss_gradient:.3g}",
                help=f"gradient × nudge = {n.loss_gradient * n.delta:+.3g}, near the loss's change")
    m[3].metric("d accuracy / d weight", "none" if not n.accuracy_has_gradient else "?",
                help="`preds > 0.0` gives booleans: autograd cannot follow it back to the weights")
    st.caption(f"Before the nudge: loss {n.loss_before:.6f}, accuracy {n.accuracy_before:.2%}. "
               "Computed in float64, so that tiny changes are not rounded away. The accuracy "
               f"tensor has `requires_grad = {n.accuracy_has_gradient}`: it has no gradient at "
               "all.")


def movers_words(pair: tuple[int, int], delta: float) -> str:
    """How many of the 784 weights, each nudged alone by delta, change the loss and the
    accuracy."""
    moved_loss, moved_acc = shared.movers(source(), pair, delta)
    smaller = " Try a smaller nudge." if moved_acc else ""
    return (f"Each of the 784 weights nudged alone by {delta:g}: **{moved_loss}** change the "
            f"loss, **{moved_acc}** change the accuracy.{smaller}")


def sweep_alt(n: Nudge) -> str:
    return (f"Two charts against the value of weights[{n.index}]: the training loss, a smooth "
            f"curve, and the accuracy, flat steps; at the trained value loss {n.loss_before:.4f}, "
            f"accuracy {n.accuracy_before:.2%}.")


def loss_answer(before: float, after: float) -> str:
    return (LOSS_CHOICES[0] if after < before
            else LOSS_CHOICES[1] if after > before else LOSS_CHOICES[2])


def where_section(predictions: torch.Tensor, targets: torch.Tensor, pair: tuple[int, int]) -> None:
    """torch.where on the learner's predictions, element by element, the mean, and the same by
    hand."""
    table = where_loss.where_table(predictions, targets)
    table.insert(0, "image of", [pair[0] if t == 1 else pair[1] for t in table["target"]])
    st.dataframe(table.style.format({"prediction": "{:.2f}", "torch.where gives": "{:.4f}"}))
    chosen = torch.where(targets == 1, 1 - predictions, predictions)  # (3,)
    by_hand = where_loss.where_by_hand((targets == 1).tolist(), (1 - predictions).tolist(),
                                       predictions.tolist())
    value = where_loss.first_mnist_loss(predictions, targets).item()
    st.code(f"prds = tensor({[round(p, 2) for p in predictions.tolist()]})\n"
            f"torch.where(trgts==1, 1-prds, prds)  # "
            f"tensor({[round(v, 4) for v in chosen.tolist()]})\n"
            f"mnist_loss(prds, trgts)              # {value:.4f}, the mean of those three",
            language="python", wrap_lines=True)
    same = torch.allclose(chosen, torch.tensor(by_hand))
    mine = tuple(round(p, 2) for p in predictions.tolist())
    note = (f" These are the book's numbers: it prints {book.LOSS}."
            if mine == book.LOSS_PREDICTIONS else "")
    st.caption(f"The list comprehension gives {'the same' if same else 'different'} numbers: "
               f"{[round(v, 4) for v in by_hand]}.{note}")


def one_image_metrics(one: OneImage, pair: tuple[int, int]) -> None:
    a, b = pair
    m = st.columns(4)
    m[0].metric(f"sigmoid({one.z:g})", f"{one.probability:.4f}")
    m[1].metric(f"Loss if it is a {a} (target 1)", f"{one.loss[1]:.4f}")
    m[2].metric(f"Loss if it is a {b} (target 0)", f"{one.loss[0]:.4f}")
    m[3].metric("d loss / dz, target 1 (autograd)", f"{one.slope[1]:.4f}")


def sigmoid_alts(z: float) -> tuple[str, str]:
    """What the sigmoid chart and the one-image loss chart show, with the numbers at z."""
    p = torch.sigmoid(torch.tensor(z, dtype=torch.float64)).item()
    return (f"The sigmoid curve from z = −8 to 8, through 0.5 at z = 0, with z = {z:g} marked at "
            f"{p:.3f}.",
            f"One image's loss against z: for target 1 it falls from 1 to 0 (at z = {z:g}: "
            f"{1 - p:.3f}), for target 0 it rises from 0 to 1 (at z = {z:g}: {p:.3f}).")


def sigmoid_charts(z: float) -> None:
    """The sigmoid and one image's loss against z, side by side, and where the loss changes
    fastest."""
    alts = sigmoid_alts(z)
    for col, fig, key, alt in zip(st.columns(2), shared.sigmoid_figures(z), ("loss_sigmoid_chart",
                                  "loss_one_image_chart"), alts, strict=True):
        col.plotly_chart(fig, theme="streamlit", key=key, alt=alt)
    table = shared.sigmoid_table()
    tail = table["slope, target 1"].iloc[-1]
    st.caption(f"The loss changes fastest at z = {sigmoid_loss.steepest(table):g}, where an image "
               f"sits on the line; at z = 8 its slope is only {tail:.1e}.")


def zero_answer(value: float) -> str:
    return ZERO_CHOICES[0] if value == 0 else ZERO_CHOICES[1]
