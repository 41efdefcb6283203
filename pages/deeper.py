"""Page: going deeper: torchvision's resnet18 trained live, and deeper nets against wider ones."""

import pandas as pd
import streamlit as st

import ui
from lessonlib import batchnorm, book, depth, models
from lessonlib.data import DigitData
from ui import deeper, live, trainrun
from ui import nonlinearity as nl
from ui.prose import prose
from ui.settings import CLASSES, DEEP_EPOCHS, SEED

TEXT = prose("deeper")


def the_model(data: DigitData, pair: tuple[int, int], est: deeper.Estimate) -> None:
    st.header("1. resnet18, for these digits")
    st.markdown(TEXT["model"])
    st.table(pd.DataFrame(deeper.recipe_rows(data, pair, deeper.all_digits())).set_index(""))
    simple = sum(p.numel() for p in models.simple_net().parameters())
    times = ("About as many", "About 10 times", "About 100 times", "Hundreds of times or more")
    guess = ui.predict_first("dp_size", f"simple_net has {simple:,} parameters. How many does "
                             "resnet18 have?", times)
    if guess is None:
        return
    ratio = est.parameters / simple
    ui.reveal(guess, deeper.size_answer(ratio, times), f"{est.parameters:,}, "
              f"{ratio:,.0f} times as many: weights of 64 to 512 filters in each of its layers.")
    m = st.columns(3)
    m[0].metric("resnet18's parameters", f"{est.parameters:,}")
    m[1].metric("simple_net's parameters", f"{simple:,}", help="784 → 30 → ReLU → 1")
    m[2].metric("resnet18 ÷ simple_net", f"{ratio:,.0f}×")
    ui.show_code(models.Resnet18, models.resnet18)


def estimate_note(est: deeper.Estimate) -> None:
    batches, sec = deeper.plural(est.batches, "batch", "batches"), deeper.seconds
    st.info(f"Timed just now on this server: one batch of {est.batch_images} images took "
            f"{sec(est.batch_seconds)}, so one epoch ({batches}) takes about "
            f"{sec(est.batch_seconds * est.batches)}, and checking the {est.valid_images:,} "
            f"validation images about {sec(est.valid_seconds)} more: **about "
            f"{sec(est.epoch_seconds)} an epoch here**. The book's table shows "
            f"{book.RESNET18_TIME} for its one epoch, on the authors' machine.")


def training_area(data: DigitData, pair: tuple[int, int], epochs: int, levels) -> None:
    """One chunk of training per rerun while training, then the buttons, progress and results."""
    run = deeper.frame(data, pair, epochs)
    training = run is not None and run.playing
    b = st.columns(3)
    more = deeper.plural(epochs, "more epoch" if run is not None else "epoch")
    b[0].button(f"Train {more}", key="dp_train", type="primary",
                icon=":material/play_arrow:", disabled=training, width="stretch")
    b[1].button("Pause", key="dp_pause", icon=":material/pause:", disabled=not training,
                width="stretch")
    b[2].button("Reset", key="dp_reset", icon=":material/restart_alt:", disabled=run is None,
                width="stretch", help="Forget this model; the next Train starts from new weights")
    deeper.room_notes()
    if run is None:
        return
    t, rows = run.trainer, deeper.epochs_done()
    text = (f"Training: epoch {t.progress:.2f} of {run.goal:g}" if training else
            f"Trained {t.progress:.2f} epochs ({t.steps:,} steps)")
    st.progress(run.fraction_done, text=text)
    m = st.columns(3)
    m[0].metric("Epochs", f"{t.progress:.2f}")
    m[1].metric("Training seconds per epoch", f"{rows[-1]['training s']:.1f}" if rows else "—")
    m[2].metric("Validation accuracy", f"{rows[-1]['validation accuracy']:.2%}" if rows else "—")
    if rows:
        st.plotly_chart(deeper.figure(run, *levels, pair), theme="streamlit", key="dp_acc",
                        alt=f"resnet18's validation accuracy after each of {len(rows)} epochs, "
                        f"last {rows[-1]['validation accuracy']:.2%}, beside simple_net's.")
        if deeper.book_mark(run, pair) is None:
            st.caption(f"The book's {book.RESULTS['resnet18'].accuracy:.2%} is for 3 against 7: "
                       "choose 3 and 7 (and Classes 2) to see it on the chart.")
        st.dataframe(rows, hide_index=True, column_config=deeper.EPOCH_COLUMNS)


def train_it(data: DigitData, pair: tuple[int, int], est: deeper.Estimate) -> None:
    st.header("2. Train it")
    st.markdown(TEXT["training"])
    c = st.columns(3)
    ui.widget(CLASSES, c[0], captions=(f"{pair[0]} vs {pair[1]}", "all digits"))
    epochs = ui.widget(DEEP_EPOCHS, c[1])
    ui.widget(SEED, c[2])
    estimate_note(est)
    ten = deeper.all_digits()
    simple_acc = nl.trained_simple_net(ui.source(), pair, ten)[1]
    guess = ui.predict_first("dp_vs_simple", f"After {deeper.plural(epochs, 'epoch')} here, "
                             "which is more accurate on the validation digits: resnet18, or "
                             "simple_net after 40 epochs?",
                             (deeper.RESNET, deeper.SIMPLE, deeper.SAME))
    if guess is None:
        return
    run = deeper.current_run(data, pair)
    interval = trainrun.current_pace(run is not None and run.playing).interval
    st.fragment(run_every=interval if run is not None and run.playing else None)(training_area)(
        data, pair, epochs, (simple_acc, trainrun.baseline(data, pair)))
    rows = deeper.epochs_done()
    if rows and not (run and run.playing):
        acc = rows[-1]["validation accuracy"]
        ui.reveal(guess, deeper.versus_simple_net(acc, simple_acc),
                  f"resnet18 after {deeper.plural(rows[-1]['epoch'], 'epoch')}: {acc:.2%}; "
                  f"simple_net after 40: {simple_acc:.2%}. The book's resnet18 reached "
                  f"{book.RESULTS['resnet18'].accuracy:.2%} after 1 epoch on MNIST_SAMPLE.")
        deeper.batchnorm_check(run)
    ui.show_code(deeper.estimate, live.LiveRun.step, batchnorm.batch_statistics_accuracy)


def why_deeper(pair: tuple[int, int]) -> None:
    st.header("3. Why deeper, if one nonlinearity is enough?")
    st.markdown(TEXT["why deeper"])
    names = list(depth.NETS)
    deep, wide = names[2], names[1]
    guess = ui.predict_first("dp_depth", f"Which is more accurate on the validation {pair[0]}s and "
                             f"{pair[1]}s: {deep}, or {wide}?",
                             (deeper.DEEP, deeper.WIDE, deeper.SAME))
    if guess is None:
        return
    results = {r.name: r for r in deeper.depth_table(ui.source(), pair)}
    st.dataframe([{"net": r.name, "parameters": r.parameters, "validation accuracy": r.accuracy}
                  for r in results.values()], hide_index=True, column_config={
        "parameters": st.column_config.NumberColumn(format="localized"),
        "validation accuracy": st.column_config.NumberColumn(format="percent")})
    d, w = results[deep], results[wide]
    answer, verdict = deeper.depth_verdict(d, w)
    ui.reveal(guess, answer, f"{deep}: {d.accuracy:.2%} with {d.parameters:,} parameters; {wide}: "
              f"{w.accuracy:.2%} with {w.parameters:,}. Within half a percentage point counts as "
              f"the same. {verdict}")
    ui.show_code(depth.mlp, depth.compare)


ui.ensure_app()
st.title("Going deeper")
st.markdown(TEXT["intro"])
st.caption(f"The book's result: **{book.RESULTS['resnet18'].accuracy:.4f}** validation accuracy "
           f"({book.RESULTS['resnet18'].accuracy:.2%}) after that one epoch, on MNIST_SAMPLE.")
data, pair = ui.data(), ui.digit_pair()
ui.link_settings(CLASSES, DEEP_EPOCHS, SEED)
est = deeper.estimate(ui.source(), pair, deeper.all_digits())
the_model(data, pair, est)
train_it(data, pair, est)
why_deeper(pair)
