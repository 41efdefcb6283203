"""Results and figures that depend only on the data and a page's settings: computed once and shared
by every visitor (st.cache_resource, keyed by the arguments themselves). What comes back is
read-only: every session gets the same object."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import torch

from lessonlib import distances, misclassified, reader, similarity
from lessonlib.plots import distances as dplots
from lessonlib.plots import similarity as splots
from lessonlib.similarity import BaselineResult
from ui.core import Source, load

Digits = tuple[int, ...]
cached = st.cache_resource(max_entries=128, show_spinner=False)


@cached
def means(source: Source, digits: Digits) -> dict[int, torch.Tensor]:
    """The mean training image of each digit: {digit: (28, 28)}."""
    return similarity.class_means(load(source), list(digits))


@cached
def baseline(source: Source, digits: Digits, metric: str = "L1") -> BaselineResult:
    """Nearest-mean accuracy on the validation images of `digits`, by a metric of
    distances.METRICS."""
    return similarity.evaluate(load(source), list(digits), distances.METRICS[metric])


def every_digit(source: Source) -> Digits:
    return tuple(load(source).digits)


@cached
def scatter(source: Source, pair: Digits, metric: str, true: int, index: int) -> go.Figure:
    """Every validation image of the pair as (distance to one mean, to the other), the chosen one
    starred."""
    dist = similarity.valid_distances(load(source), means(source, pair), distances.METRICS[metric])
    return splots.distance_scatter(dist, metric, tuple(dist[true][index].tolist()))


@cached
def mistakes_gallery(source: Source, pair: Digits, metric: str) -> tuple[int, go.Figure | None]:
    """How many validation images of the pair the baseline gets wrong, and a gallery of the first of
    them."""
    wrong = misclassified.mistakes(load(source), baseline(source, pair, metric),
                                   distances.METRICS[metric])
    return wrong.total, splots.mistakes_gallery(wrong, list(pair), metric) if wrong.total else None


@cached
def per_digit(source: Source) -> tuple[pd.DataFrame, go.Figure]:
    """Every digit against all the others, under L1 and RMSE: the accuracy table (digit × metric)
    and its bars."""
    metrics = {name: distances.METRICS[name] for name in ("L1", "RMSE")}
    table = similarity.per_digit_table(load(source), list(every_digit(source)), metrics)
    return table, splots.accuracy_bars(table)


@cached
def metric_table(source: Source, pair: Digits) -> tuple[pd.DataFrame, go.Figure]:
    """The baseline's accuracy under every metric (metric × digit, mean, all digits), and its
    bars."""
    table = similarity.metric_table(load(source), list(pair), distances.METRICS)
    return table, splots.accuracy_bars(table)


def _images(source: Source, true: int, index: int,
            target: int) -> tuple[torch.Tensor, torch.Tensor]:
    data = load(source)
    # (28, 28) each
    return data.images("valid", true)[index], means(source, every_digit(source))[target]


@cached
def error_maps(source: Source, true: int, index: int, target: int) -> go.Figure:
    """a − b, |a − b| and (a − b)² of a validation image a and a mean image b."""
    return dplots.error_maps(distances.error_maps(*_images(source, true, index, target)))


@cached
def edge_maps(source: Source, true: int, index: int, target: int) -> list[go.Figure]:
    """The edges of a, of b, and |edges(a) − edges(b)|."""
    x, mean = _images(source, true, index, target)
    return dplots.edge_maps(distances.edges(x), distances.edges(mean))


@cached
def spread(pixels: int, total: float) -> tuple[go.Figure, go.Figure]:
    """The same total error shared by `pixels` pixels: its map, and L1 and RMSE against the number
    of pixels."""
    error = distances.spread_error(total, pixels)  # (28, 28)
    curve = distances.spread_table(total, list(range(int(total), 785, 8)) + [784])
    title = f"|a − b|: {pixels} pixels off by {total / pixels:.3f}"
    return dplots.magnitude(error, title, height=280), dplots.spread_curve(curve, pixels)


@cached
def reader_accuracy(source: Source) -> tuple[float, int]:
    """The share of the data's validation digits the reader names right, and how many there are
    (0–9 only)."""
    data = load(source)
    digits = [d for d in data.digits if 0 <= d <= 9]
    x = torch.cat([data.images("valid", d) for d in digits])  # (N, 28, 28)
    y = torch.cat([torch.full((data.count("valid", d),), d) for d in digits])
    return (reader.read(x).argmax(1) == y).float().mean().item(), len(y)
