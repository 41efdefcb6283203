"""The optimiser page's runs: the three ways trained once per data and settings (shared by every
visitor, since the same seed gives the same result), each visitor's last run, and how the results
are shown."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
import torch

from lessonlib import three_ways
from lessonlib.plots import optimiser as plots
from lessonlib.three_ways import Comparison
from lessonlib.training import TrainConfig, binary_split
from ui.core import Source, load, source

MAX_STEPS = 3000  # mini-batch steps a way may take for one click (the bundled digits: 20 epochs of
                  # 16 are 1,260)
Key = tuple  # (source, pair, model, learning rate, batch size, hidden, seed, epochs)


@st.cache_resource(max_entries=32, show_spinner=False)
def _compare(src: Source, pair: tuple[int, int], model: str, lr: float, bs: int,
             hidden: int, seed: int, epochs: int) -> Comparison:
    data = load(src)
    train, valid = binary_split(data, "train", pair), binary_split(data, "valid", pair)
    return three_ways.compare(train, valid, TrainConfig(model, lr, bs, hidden, seed), epochs)


def key(pair: tuple[int, int], config: TrainConfig, epochs: int) -> Key:
    """What a run depends on: the data, the two digits, the settings."""
    c = config
    return source(), pair, c.model, c.learning_rate, c.batch_size, c.hidden, c.seed, epochs


def steps_per_way(train_images: int, batch_size: int, epochs: int) -> int:
    """How many mini-batch steps each way takes: epochs × batches an epoch."""
    return epochs * math.ceil(train_images / batch_size)


def run(k: Key) -> None:
    """Train the three ways for these settings (or take the shared result) and keep it for this
    visitor."""
    with st.spinner("Training three ways…"):
        st.session_state.opt_result = (k, _compare(*k))


def last(k: Key) -> Comparison | None:
    """This visitor's last result, if it was made with these very settings."""
    kept = st.session_state.get("opt_result")
    return kept[1] if kept and kept[0] == k else None


def results_table(c: Comparison) -> pd.DataFrame:
    """One row a way: its accuracy and losses after the last epoch."""
    return pd.DataFrame([{"way": way, "validation accuracy": r.accuracy,
                          "validation loss": r.rows[-1][1],
                          "training loss": r.rows[-1][0]} for way, r in c.results.items()])


def differences(c: Comparison) -> None:
    """The largest weight difference of each pair of ways, as metrics."""
    cols = st.columns(len(c.differences))
    for col, ((a, b), d) in zip(cols, c.differences.items(), strict=True):
        col.metric(f"{a} vs {b}", f"{d:.1e}" if d else "0",
                   help=f"max |a − b| over every weight and bias of the models trained by {a} and "
                   f"by {b}")


def why(c: Comparison, lr: float) -> str:
    """Why the weights came out as they did, from the measured differences."""
    eps = torch.finfo(torch.float32).eps
    answer, same = (three_ways.agreement(c.largest),
                    c.differences[("torch.optim.SGD", "Learner")] == 0)
    start = ("All three start from the same weights (the seed) and see the same batches in the "
             "same order. "
             + ("The Learner runs the very same torch.optim.SGD steps, so those two agree exactly. "
                if same else ""))
    if answer == "identical":
        exact = f" Multiplying by lr = {lr:g} is exact in float32, so even the rounding agrees." \
            if three_ways.exact_multiple(lr) else ""
        return start + f"Every weight ends bit for bit the same.{exact} Try lr 0.1 next."
    if answer == "close":
        return start + ("BasicOptim computes `p -= grad * lr`, torch.optim.SGD "
                        f"`p.add_(grad, alpha=-lr)`: with lr = {lr:g} they round the last bit of a "
                        "float32 differently now and then. The largest difference, "
                        f"{c.largest:.1e}, is float32 rounding (its eps is {eps:.2e}), not a "
                        "different training.")
    return start + (f"Yet the weights differ by up to {c.largest:.2g}: each step can differ only "
                    "in the last bit (`p -= grad * lr` against `p.add_(grad, alpha=-lr)`), so "
                    "this training did not forget those tiny differences, it amplified them, step "
                    "after step. Compare the accuracies above.")


def accuracy_chart(c: Comparison) -> None:
    """Validation accuracy per epoch of every way, with what it shows in words for screen
    readers."""
    final = ", ".join(f"{w} {r.accuracy:.2%}" for w, r in c.results.items())
    st.plotly_chart(plots.accuracy_by_epoch(c.results), theme="streamlit", key="opt_accuracy",
                    alt=f"Validation accuracy after each epoch for the three ways. After the last "
                    f"epoch: {final}.")


def trainer_note(c: Comparison) -> str:
    """How the BasicOptim way compares with the training page's Trainer on the same settings."""
    d = c.trainer_difference
    how = "bit for bit the same weights as" if d == 0 else f"weights within {d:.1e} of"
    same = (": this page's loop and the app's one training loop take the same steps"
            if d <= three_ways.CLOSE else "")
    return (f"The training page's Trainer (BasicOptim inside), given these settings, ends with "
            f"{how} the BasicOptim way{same}.")
