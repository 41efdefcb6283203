"""Page: the MNIST loss — outputs and a threshold, accuracy is no loss, torch.where, sigmoid,
metric."""

import streamlit as st
import torch

import ui
from lessonlib import book, loss, nudge, sigmoid_loss, threshold, where_loss
from lessonlib.linear1_fit import Linear1Fit, fit_linear1
from ui import loss_shared as shared
from ui import loss_view as view
from ui.prose import prose
from ui.settings import LOSS_PIXEL, NUDGE, PREDICTIONS, PROB_THRESHOLD, RAW, THRESHOLD

TEXT = prose("mnist-loss")


def intro() -> None:
    st.title("The MNIST loss: from outputs to a loss SGD can use")
    st.write(TEXT["intro"])


def outputs_and_threshold(fit: Linear1Fit, pair: tuple[int, int]) -> None:
    a, b = pair
    st.header("1. Outputs, and a line between the digits")
    st.write(TEXT["outputs"])
    top = st.columns(2)
    cuts = {False: ui.widget(THRESHOLD, top[0]), True: ui.widget(PROB_THRESHOLD, top[1])}
    z = shared.valid_outputs(ui.source(), pair)
    share = {d: threshold.share_above(z[t]) for d, t in ((a, 1), (b, 0))}
    guess = ui.predict_first("loss_sign", f"After training, the outputs for the validation {a}s "
                             f"(target 1) are …", view.SIGN_CHOICES)
    if guess is None:
        return
    ui.reveal(guess, view.sign_answer(share[a]), f"Measured: {share[a]:.0%} of the {a}s and "
              f"{share[b]:.0%} of the {b}s have an output above 0. " + TEXT["why positive"])
    for col, (after, cut) in zip(st.columns(2), cuts.items(), strict=True):
        col.plotly_chart(shared.histograms(ui.source(), pair, cut, after), theme="streamlit",
                         key=f"loss_hist_{after}", alt=view.histogram_alt(z, pair, cut, after))
        view.threshold_metrics(z, pair, cut, after, col)
    view.threshold_notes(z, cuts[True])
    ui.show_code(threshold.accuracy_at, threshold.best_threshold, threshold.decisions_differ,
                 threshold.raw_threshold)


def accuracy_is_no_loss(fit: Linear1Fit, pair: tuple[int, int]) -> None:
    st.header("2. Why accuracy cannot be the loss")
    blank = shared.nudged(ui.source(), pair, 0, 1.0).inked
    st.write(f"The book (*{book.SOURCE}*) tries it on random starting weights: accuracy "
             f"`{book.RANDOM_ACCURACY}` before `weights[0] *= 1.0001` and `{book.NUDGED_ACCURACY}` "
             "after, to the last digit. " + TEXT["nudge"])
    st.caption(f"weights[0] is pixel row 0, column 0: {blank:,} training images here have ink "
               f"there.")
    left, right = st.columns([2, 1])
    row, col = ui.widget(LOSS_PIXEL[0], left), ui.widget(LOSS_PIXEL[1], left)
    delta = ui.widget(NUDGE, left)
    right.plotly_chart(view.pixel_figure(fit, pair, row, col), theme="streamlit", key="loss_pixel",
                       alt=view.pixel_alt(pair, row, col))
    index, n = 28 * row + col, len(fit.train.x)
    found = shared.nudged(ui.source(), pair, index, delta)
    guess = ui.predict_first("loss_nudge", f"Add {delta:g} to weights[{index}] (row {row}, column "
                             f"{col}). The accuracy on the {n:,} training images will …",
                             view.MOVE_CHOICES)
    if guess is None:
        return
    ui.reveal(guess, view.move_answer(found.accuracy_change), view.nudge_why(found))
    view.nudge_metrics(found)
    st.write(view.movers_words(pair, delta))
    st.plotly_chart(shared.sweep_figure(ui.source(), pair, index, delta), theme="streamlit",
                    key="loss_sweep", alt=view.sweep_alt(found))
    st.caption(f"Dashed: the trained weights[{index}]; dotted: after adding {delta:g}.")
    st.write(TEXT["flat steps"])
    ui.show_code(nudge.book_accuracy, nudge.nudge, nudge.weights_that_move)


def books_example(pair: tuple[int, int]) -> None:
    a, b = pair
    st.header("3. A loss that moves: the book's example")
    st.write(TEXT["example"])
    predictions = [ui.widget(s, c) for s, c in zip(PREDICTIONS, st.columns(3), strict=True)]
    targets = torch.tensor(book.LOSS_TARGETS)
    before = where_loss.first_mnist_loss(torch.tensor(book.LOSS_PREDICTIONS), targets).item()
    after = where_loss.first_mnist_loss(torch.tensor(book.LOSS_BETTER_PREDICTIONS), targets).item()
    guess = ui.predict_first("loss_example", f"The third image is a {a} (target 1) but got only "
                             "0.2. Raise that prediction to 0.8: the loss …", view.LOSS_CHOICES)
    if guess is None:
        return
    ui.reveal(guess, view.loss_answer(before, after), f"Measured: {before:.4f} → {after:.4f} (the "
              f"book prints {book.LOSS} and {book.LOSS_BETTER}): the prediction moved towards its "
              "target, so its distance from the target, and the mean, went down.")
    st.write(TEXT["where"])
    view.where_section(torch.tensor(predictions), targets, pair)
    ui.show_code(where_loss.first_mnist_loss, where_loss.where_by_hand, where_loss.where_table)


def sigmoid_section(pair: tuple[int, int]) -> None:
    st.header("4. Sigmoid: any output into (0, 1)")
    st.write(TEXT["sigmoid"])
    z = ui.widget(RAW)
    outputs = torch.cat(list(shared.valid_outputs(ui.source(), pair).values()))
    differ = {c: threshold.decisions_differ(outputs, c) for c in (0.0, 0.5, 1.0)}
    guess = ui.predict_first("loss_sigmoid", "After the sigmoid, which threshold makes exactly the "
                             "same decisions as `preds > 0`?", [f"{c:g}" for c in differ])
    if guess is None:
        return
    best = min(differ, key=differ.get)
    half = torch.sigmoid(torch.tensor(0.0)).item()
    ui.reveal(guess, f"{best:g}", f"On the {len(outputs):,} validation outputs the rules disagree "
              "on " + ", ".join(f"{v:,} images at {c:g}" for c, v in differ.items())
              + f"; `torch.sigmoid(tensor(0.))` is {half:g}. " + TEXT["same line"])
    view.one_image_metrics(sigmoid_loss.one_image(z), pair)
    view.sigmoid_charts(z)
    ui.show_code(sigmoid_loss.sigmoid, loss.mnist_loss, sigmoid_loss.one_image)


def loss_or_metric(fit: Linear1Fit, pair: tuple[int, int]) -> None:
    st.header("5. Loss or metric?")
    with torch.no_grad():
        preds = fit.outputs(fit.valid.x)[:, None]  # (N,) -> (N, 1)
    right = (preds > 0).float() == fit.valid.y  # (N, 1)
    if not right.any():
        st.info("This model calls no validation image right, so there is nothing to compare.")
        return
    on_right = loss.mnist_loss(preds[right], fit.valid.y[right]).item()  # (k,) each
    guess = ui.predict_first("loss_metric", "On the validation images the model already calls "
                             "right, is the loss zero?", view.ZERO_CHOICES)
    if guess is None:
        return
    ui.reveal(guess, view.zero_answer(on_right), f"Measured: on the {int(right.sum()):,} images it "
              f"calls right, mnist_loss is {on_right:.4f}; on all {len(preds):,}, "
              f"{fit.valid_loss:.4f}, with accuracy {fit.valid_accuracy:.2%}.")
    st.write(TEXT["metric"])
    ui.show_code(loss.mnist_loss, loss.batch_accuracy, fit_linear1)


ui.ensure_app()
intro()
data, pair = ui.data(), ui.digit_pair()
ui.link_settings(THRESHOLD, PROB_THRESHOLD, LOSS_PIXEL[0], LOSS_PIXEL[1], NUDGE, *PREDICTIONS,
                 RAW)
fit = shared.fit(ui.source(), pair)
st.caption(view.model_note(fit, data.name))
outputs_and_threshold(fit, pair)
accuracy_is_no_loss(fit, pair)
books_example(pair)
sigmoid_section(pair)
loss_or_metric(fit, pair)
