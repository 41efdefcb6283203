"""Page: train the chapter's models with SGD, live, and take the training apart."""

import streamlit as st

import ui
from lessonlib import book, loss, mistakes, tenclass
from lessonlib.data import DigitData
from lessonlib.models import MODELS
from lessonlib.optim import BasicOptim
from lessonlib.training import Trainer
from ui import training, training_setup, training_tools, trainrun
from ui.settings import BS, CLASSES, EPOCHS, HIDDEN, LR, MODEL, MOMENTUM, SEED


def intro() -> None:
    st.title("SGD training")
    st.write("The chapter's recipe, live: a model makes predictions, `mnist_loss` says how wrong "
             "they are, `backward()` finds the gradients and the optimiser steps, one mini-batch "
             "at a time. An epoch is one pass over all the training images. Then try all ten "
             "digits at once, the step to the next chapter.")


def training_area(data: DigitData, digits: tuple[int, int], baseline: float) -> None:
    """Trains one chunk per rerun while playing, then draws buttons, progress and live charts.

    Training comes first and drawing after it, all in one quick burst, so the charts never sit
    greyed out ("stale") while the next chunk trains. Clicks are already in session state, and
    slider changes have been handed to the trainer by their on_change callback. The sliders
    themselves are drawn outside this fragment: they need not be resent with every frame, which
    leaves the browser more time to draw the charts.
    """
    run = st.session_state.tr_run
    trainrun.frame(run, data, digits)
    training.controls(run)
    training.status(run)
    training.metrics(run)
    two = not run.trainer.train.multiclass
    training.charts(run, baseline, book.book_result(data, run.trainer.config.model,
                                                    run.trainer.train.labels)
                    if two else None)
    with st.expander("Where does it go wrong? Confusion matrix and misclassified digits"):
        if run.playing:
            st.caption("Shown when training is paused.")
        else:
            training_tools.errors(run)


def code(run) -> None:
    multiclass = run.trainer.train.multiclass
    losses = (tenclass.softmax, tenclass.cross_entropy, tenclass.accuracy) if multiclass else (
        loss.mnist_loss, loss.batch_accuracy)
    ui.show_code(*MODELS[run.trainer.config.model].code, *losses, BasicOptim, Trainer.train_batch,
                 mistakes.loss_function)


ui.ensure_app()
intro()
data, digits = ui.data(), ui.digit_pair()
ui.link_settings(LR, BS, MOMENTUM, MODEL, CLASSES, HIDDEN, SEED, EPOCHS)
with st.container(key="tr_main"):  # on a phone the live area comes first (training.styles)
    with st.container(key="tr_settings"):
        training_setup.model_settings(digits)
        baseline = trainrun.baseline(data, digits)
        run = trainrun.current_run(data, digits)
        st.caption(training_setup.task_text(run, baseline))
        training_setup.live_settings(run.trainer.train.multiclass)
    # shared fairly when many play
    st.session_state.tr_interval = trainrun.current_pace(run.playing).interval
    with st.container(key="tr_area"):
        st.fragment(run_every=st.session_state.tr_interval if run.playing else None)(training_area)(
            data, digits, baseline)
training.styles()
code(run)
if not ui.hidden("sweep"):
    training_tools.lr_sweep(run, trainrun.config(), list(LR.options))
if not ui.hidden("weights-file"):
    training_tools.weights_files(run)
