"""What the MNIST-loss and mini-batch pages compute once for every visitor (st.cache_resource, keyed
by the data source, the digit pair and plain settings): the book's linear1 trained on the pair, and
the results and figures built from it. What comes back is read-only: every session gets the same
object."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import torch

from lessonlib import batch_noise, minibatch, nudge, sigmoid_loss
from lessonlib.linear1_fit import RECIPE, Linear1Fit, fit_linear1
from lessonlib.models import make_model
from lessonlib.plots import batches as bplots
from lessonlib.plots import loss as lplots
from ui.core import Source, load

Pair = tuple[int, int]
cached = st.cache_resource(max_entries=128, show_spinner=False)


@st.cache_resource(max_entries=16,
                   show_spinner="Training the book's linear1 on these two digits, once for all…")
def fit(source: Source, pair: Pair) -> Linear1Fit:
    """linear1 trained on the pair's training images with the book's recipe."""
    return fit_linear1(load(source), pair)


@cached
def valid_outputs(source: Source, pair: Pair) -> dict[int, torch.Tensor]:
    """The trained model's raw outputs on the validation images, by target: {1:
    (n_a,), 0: (n_b,)}."""
    f = fit(source, pair)
    z, y = f.outputs(f.valid.x), f.valid.y[:, 0]  # (N,), (N,)
    return {1: z[y == 1], 0: z[y == 0]}


@cached
def histograms(source: Source, pair: Pair, threshold: float, after_sigmoid: bool) -> go.Figure:
    """The validation outputs of each digit, raw or after the sigmoid, with the threshold."""
    z = valid_outputs(source, pair)
    first, second = (z[1].sigmoid(), z[0].sigmoid()) if after_sigmoid else (z[1], z[0])
    return lplots.output_histograms(first, second, pair, threshold, after_sigmoid)


@cached
def ink(source: Source, pair: Pair) -> torch.Tensor:
    """Mean ink of each pixel over the pair's training images: (28, 28)."""
    return fit(source, pair).train.x.mean(0).view(28, 28)


@cached
def nudged(source: Source, pair: Pair, index: int, delta: float) -> nudge.Nudge:
    """weights[index] += delta on the trained model, measured on the training images."""
    f = fit(source, pair)
    return nudge.nudge(f.weights, f.bias, f.train.x, f.train.y, index, delta)


@cached
def movers(source: Source, pair: Pair, delta: float) -> tuple[int, int]:
    """How many of the 784 weights, nudged alone by delta, change the loss and the accuracy."""
    f = fit(source, pair)
    return nudge.weights_that_move(f.weights, f.bias, f.train.x, f.train.y, delta)


@cached
def sweep_figure(source: Source, pair: Pair, index: int, delta: float) -> go.Figure:
    """Loss and accuracy of the training images as weights[index] runs over ± max(10, 2·delta)."""
    f = fit(source, pair)
    span = max(10.0, 2 * delta)
    table = nudge.sweep(f.weights, f.bias, f.train.x, f.train.y, index, span)
    now = f.weights[index, 0].item()
    return lplots.nudge_curves(table, now, now + delta, index)


@cached
def sigmoid_table() -> pd.DataFrame:
    """sigmoid and one image's loss (and slope) for each target over z in −8…8."""
    return sigmoid_loss.curves()


@cached
def sigmoid_figures(z: float) -> tuple[go.Figure, go.Figure]:
    """The sigmoid curve and one image's loss for each target, with z marked on both."""
    return lplots.sigmoid_curve(sigmoid_table(), z), lplots.one_image_loss(sigmoid_table(), z)


@cached
def label_shapes(source: Source, pair: Pair,
                 most: int = 2048) -> tuple[minibatch.LabelShapes, int, int]:
    """mnist_loss on the training images with (N, 1) and with (N,) labels (on a random `most` of
    them when there are more: the wrong table has N × N numbers); the result, how many images it
    used and how many there are."""
    f = fit(source, pair)
    n = len(f.train.x)
    idx = (torch.randperm(n, generator=torch.Generator().manual_seed(0))[:most] if n > most
           else torch.arange(n))
    with torch.no_grad():
        preds = f.train.x[idx] @ f.weights + f.bias  # (B, 1)
    return minibatch.label_shapes(preds, f.train.y[idx, 0]), len(idx), n


@cached
def loader_batches(source: Source, pair: Pair, batch_size: int, shuffle: bool,
                   seed: int) -> list[minibatch.Batch]:
    """One epoch of DataLoader batches over the pair's training images."""
    f = fit(source, pair)
    return minibatch.batches(f.train.x, f.train.y, batch_size, shuffle, seed)


@cached
def batch_figures(source: Source, pair: Pair, batch_size: int, shuffle: bool,
                  seed: int) -> tuple[go.Figure, go.Figure]:
    """Where each item landed, and how many of each digit every batch holds."""
    got = loader_batches(source, pair, batch_size, shuffle, seed)
    return bplots.batch_map(got, pair), bplots.batch_counts(got, pair)


@st.cache_resource(max_entries=16,
                   show_spinner="Measuring mini-batch gradients and epoch times, once for all…")
def trade_off(source: Source,
              pair: Pair) -> tuple[pd.DataFrame, pd.DataFrame, go.Figure, go.Figure]:
    """At linear1's starting weights (the book's init_params, the recipe's seed): gradient noise and
    epoch cost for every batch size, as tables and figures."""
    x, y = fit(source, pair).train.x, fit(source, pair).train.y
    model = make_model("linear1", seed=RECIPE.seed)
    grads = batch_noise.per_example_gradients(model.weights, model.bias, x, y)
    sizes = batch_noise.batch_sizes(len(x))
    noise = batch_noise.gradient_noise(grads, sizes)
    cost = batch_noise.epoch_cost(model.weights, model.bias, x, y, sizes)
    return noise, cost, bplots.noise_figure(noise), bplots.cost_figure(cost)
