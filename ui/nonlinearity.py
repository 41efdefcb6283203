"""The nonlinearity page's parts: results shared by every visitor (the book's simple_net trained on
the data, SGD fits with 1 to 32 ReLUs) and each visitor's own hand-set ReLUs and the SGD fit that
starts from them."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st
import torch
from torch import nn

from lessonlib import relu, relusum
from lessonlib.collapse import Collapsed
from lessonlib.hidden import HiddenLayer
from lessonlib.plots import nonlinearity as plots
from lessonlib.relusum import Fit, Hand
from lessonlib.training import EpochEvent, TrainConfig, make_trainer
from ui.core import Source, load

cached = st.cache_resource(max_entries=32, show_spinner=False)
# the book's recipe: lr 0.1, batch 256
SIMPLE_NET = TrainConfig("simple_net", 0.1, 256, hidden=30, seed=42)
SIMPLE_NET_EPOCHS = 40
COUNTS = (1, 2, 4, 8, 16, 32)  # how many ReLUs SGD may use
COUNT_STEPS = 2000
# where the sliders start: not yet a fit
HAND = Hand(0.0, (-1.5, -0.5, 0.5, 1.5), (-1.0, 1.0, 1.0, -1.0))
STEPS_A_PRESS = 500


@cached
def trained_simple_net(source: Source, pair: tuple[int, int],
                       all_digits: bool = False) -> tuple[nn.Module, float]:
    """The book's simple_net trained on the data for 40 epochs (lr 0.1, batch 256, seed 42), and its
    validation accuracy. Shared read-only: nothing may train it further."""
    config = dataclasses.replace(SIMPLE_NET, all_digits=all_digits)
    trainer = make_trainer(load(source), pair, config)
    last = [e for e in trainer.fit(SIMPLE_NET_EPOCHS) if isinstance(e, EpochEvent)]
    return trainer.model, last[-1].valid_accuracy if last else float("nan")


@cached
def relu_counts(counts: tuple[int, ...] = COUNTS, steps: int = COUNT_STEPS
                ) -> tuple[list[float], dict[int, torch.Tensor]]:
    """For each count of ReLUs, the error SGD reaches from spread-out kinks, and its curve on the
    grid."""
    errors, curves = [], {}
    for n in counts:
        fit = Fit(relusum.spread_net(n))
        fit.train(steps)
        errors.append(relusum.rmse(fit.net))
        curves[n] = relusum.curve(fit.net)
    return errors, curves


def hand_sliders() -> Hand:
    """A slider for the height and for each ReLU's kink and slope (the visitor's own, not in the
    link)."""
    height = st.slider("b: the height left of every kink", -2.0, 2.0, HAND.height, 0.05, key="nl_b")
    kinks, slopes = [], []
    for i, col in enumerate(st.columns(len(HAND.kinks))):
        n = "₁₂₃₄₅₆₇₈"[i]
        col.markdown(f"**ReLU {i + 1}**: a{n}·relu(x − k{n})")
        kinks.append(col.slider(f"kink k{n}", -2.0, 2.0, HAND.kinks[i], 0.05, key=f"nl_k{i}"))
        slopes.append(col.slider(f"slope a{n}", -4.0, 4.0, HAND.slopes[i], 0.05, key=f"nl_a{i}"))
    return Hand(height, tuple(kinks), tuple(slopes))


def sgd_fit(hand: Hand) -> Fit | None:
    """The visitor's SGD fit, if it started from the curve the sliders show now."""
    started, fit = st.session_state.get("nl_fit", (None, None))
    return fit if started == hand else None


def train_from(hand: Hand) -> None:
    """The Train button: STEPS_A_PRESS more SGD steps, from the hand-set curve the first time."""
    fit = sgd_fit(hand) or Fit(relusum.hand_net(hand))
    fit.train(STEPS_A_PRESS)
    st.session_state.nl_fit = (hand, fit)


def show_sgd(hand: Hand, fit: Fit) -> tuple[float, float]:
    """SGD's loss falling, the target with the hand fit and SGD's, and the errors:
    (hand's RMSE, SGD's)."""
    start = relusum.hand_net(hand)
    mine, sgd = relusum.rmse(start), relusum.rmse(fit.net)
    x = relusum.grid()
    left, right = st.columns(2)
    left.plotly_chart(plots.loss_figure(fit.losses), theme="streamlit", key="nl_loss",
                      alt=f"SGD's loss over {fit.steps} steps, from {fit.losses[0]:.4f} to "
                      f"{fit.losses[-1]:.4f}.")
    fits = {"by hand": relusum.curve(start), "by SGD": relusum.curve(fit.net)}
    right.plotly_chart(plots.fit_figure(x, relusum.target(x), fits, relusum.kinks(fit.net)),
                       theme="streamlit", key="nl_sgd_fit",
                       alt=f"The target, your curve (RMSE {mine:.3f}) and SGD's (RMSE {sgd:.3f}).")
    m = st.columns(3)
    m[0].metric("SGD steps", f"{fit.steps:,}")
    m[1].metric("RMSE by hand", f"{mine:.4f}")
    m[2].metric("RMSE after SGD", f"{sgd:.4f}", delta=f"{sgd - mine:+.4f}", delta_color="inverse")
    return mine, sgd


def show_counts(errors: list[float], curves: dict[int, torch.Tensor]) -> None:
    """The error against the number of ReLUs, and the target with a few of the fitted curves."""
    left, right = st.columns(2)
    left.plotly_chart(plots.counts_figure(COUNTS, errors), theme="streamlit", key="nl_counts",
                      alt="RMSE against the number of ReLUs: " + ", ".join(
                          f"{n}: {e:.3f}" for n, e in zip(COUNTS, errors, strict=True)))
    x, shown = relusum.grid(), (COUNTS[1], COUNTS[2], COUNTS[-1])
    right.plotly_chart(plots.fit_figure(x, relusum.target(x),
                                        {f"{n} ReLUs": curves[n] for n in shown}),
                       theme="streamlit", key="nl_counts_fit",
                       alt=f"The target and SGD's curves with {', '.join(map(str, shown))} ReLUs.")


def show_collapse(r: Collapsed, pair: tuple[int, int]) -> None:
    """How many images, both models' parameters, the largest difference, and the first outputs side
    by side."""
    m = st.columns(4)
    m[0].metric("validation images", f"{len(r.two):,}",
                help=f"all validation {pair[0]}s and {pair[1]}s")
    m[1].metric("parameters: two layers", f"{r.parameters_two:,}")
    m[2].metric("parameters: one layer", f"{r.parameters_one:,}")
    m[3].metric("largest |difference|", f"{r.max_difference:.1e}")
    first = pd.DataFrame({"two layers": r.two[:5, 0], "one layer": r.one[:5, 0]})
    st.dataframe(first.rename_axis("image").style.format("{:.6f}"))


def show_hidden(h: HiddenLayer, pair: tuple[int, int], true: int) -> None:
    """The hidden activations before and after ReLU, and what the output says."""
    p = torch.sigmoid(torch.tensor(h.output)).item()
    st.plotly_chart(plots.hidden_figure(h.before, h.after), theme="streamlit", key="nl_bars",
                    alt=f"The {len(h.after)} hidden activations before and after ReLU; {h.zeroed} "
                    f"are zero.")
    st.caption(f"Output activation {h.output:.3f}; sigmoid gives {p:.3f}, so the model says "
               f"**{pair[0] if p > 0.5 else pair[1]}** (the true digit is {true}).")


def show_relu() -> None:
    """ReLU's four spellings on the same numbers, one row each, and its curve from −2 to 2."""
    x = torch.linspace(-2, 2, 9)
    forms = relu.relu_forms(x)
    table = pd.DataFrame({name: y.tolist() for name, y in forms.items()},
                         index=[f"{v:g}" for v in x])
    st.dataframe(table.T.rename_axis("x ="))  # a row per spelling, a column per x
    same = all(torch.equal(v, forms["F.relu(x)"]) for v in forms.values())
    st.caption(f"All four give the same numbers: {'yes' if same else 'no'}.")
    grid, y = relu.curve()
    st.plotly_chart(plots.relu_figure(grid, y), theme="streamlit", key="nl_relu",
                    alt="ReLU from x = −2 to 2: zero up to x = 0, then y = x up to (2, 2).")


def show_hand(hand: Hand) -> float:
    """The target and the hand-set curve with its kinks, and how far apart they are: returns that
    RMSE."""
    net, x = relusum.hand_net(hand), relusum.grid()
    error = relusum.rmse(net)
    fig = plots.fit_figure(x, relusum.target(x), {"your ReLUs": relusum.curve(net)},
                           relusum.kinks(net))
    st.plotly_chart(fig, theme="streamlit", key="nl_hand", alt=f"The target {relusum.TARGET} "
                    f"from −2 to 2 and your sum of four ReLUs, root mean squared error "
                    f"{error:.3f}.")
    st.metric("your curve's RMSE from the target", f"{error:.4f}")
    return error
