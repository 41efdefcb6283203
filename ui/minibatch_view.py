"""The mini-batch page's drawing: the predict-first choices and the measured answer for each
section, a few items of the dataset as pictures, and the trade-off's numbers in words."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from lessonlib.minibatch import Batch
from lessonlib.plots import images

ITEM_CHOICES = ("one image: 784 numbers", "a tuple: an image and its label", "a batch of images")
NOISE_CHOICES = ("closer to the full gradient", "further from it", "no change")


def item_answer(item: object) -> str:
    """The ITEM_CHOICES answer for what indexing the dataset gave."""
    if isinstance(item, tuple) and len(item) == 2:
        return ITEM_CHOICES[1]
    return (ITEM_CHOICES[0] if isinstance(item, torch.Tensor) and item.dim() == 1
            else ITEM_CHOICES[2])


def show_items(dset: list[tuple], pair: tuple[int, int], where=st) -> None:
    """The first three and the last three items of the dataset, each image with its label."""
    n = len(dset)
    picks = sorted({*range(min(3, n)), *range(max(n - 3, 0), n)})
    items = [(i, *dset[i]) for i in picks]
    where.image([images.to_uint8(x.view(28, 28), scale=3) for _, x, _ in items],
                caption=[f"dset[{i}]: y = {y.tolist()}" for i, _, y in items],
                alt=[f"dset[{i}], an image of a {pair[0] if y.item() == 1 else pair[1]}, label "
                     f"{y.item():g}"
                     for i, _, y in items])


def shape_choices(b: int) -> tuple[str, str, str]:
    return f"({b}, 1)", f"({b},)", f"({b}, {b})"


def describe(sizes: list[int]) -> str:
    """Batch sizes in words: "4 batches: 3 of 256, then 1 of 232"."""
    k = len(sizes)
    if not k:
        return "no batch at all"
    if len(set(sizes)) == 1:
        return f"{k} batch{'es' if k > 1 else ''} of {sizes[0]}"
    first = sizes[:-1]
    if len(set(first)) == 1:
        return f"{k} batches: {len(first)} of {first[0]}, then 1 of {sizes[-1]}"
    return f"{k} batches of {min(sizes)} to {max(sizes)}"


def batch_choices(n: int, batch_size: int) -> list[str]:
    """Three ways n items could be cut into batches of batch_size, the DataLoader's among them."""
    full, rest = divmod(n, batch_size)
    kept = [batch_size] * full + ([rest] if rest else [])
    if rest:
        k = full + 1
        others = [[batch_size] * full, [n // k + (i < n % k) for i in range(k)]]
    else:
        others = [[batch_size] * full + [0], [n] if full > 1 else [n // 2, n - n // 2]]
    choices = [describe(kept)]
    for sizes in others:
        words = describe(sizes) if 0 not in sizes else f"{full + 1} batches, the last one empty"
        if sizes == [batch_size] * full and rest:
            words += f"; the other {rest} images wait"
        choices.append(words)
    return list(dict.fromkeys(choices))


def composition(batches: list[Batch], pair: tuple[int, int]) -> str:
    """How many batches hold only one digit."""
    single = sum(len(set(b.targets)) == 1 for b in batches)
    return (f"{single} of the {len(batches)} batches hold images of one digit only"
            if single
            else f"every one of the {len(batches)} batches mixes {pair[0]}s and {pair[1]}s")


def noise_answer(table: pd.DataFrame) -> str:
    """The NOISE_CHOICES answer: the smallest batch against the largest batch smaller than the whole
    set."""
    below = table[table["batch size"] < table["batch size"].max()]
    last = below.iloc[-1] if len(below) > 1 else table.iloc[-1]
    first = table.iloc[0]["relative distance"]
    change = (last["relative distance"] - first) / first if first else 0.0
    return (NOISE_CHOICES[0] if change < -0.1
            else NOISE_CHOICES[1] if change > 0.1 else NOISE_CHOICES[2])


def noise_words(table: pd.DataFrame) -> str:
    """The measured distances at a few batch sizes, in words."""
    rows = table.set_index("batch size")
    shown = [s for s in rows.index if s in (1, 16, 256) or s == rows.index.max()]
    return ", ".join(f"{rows.loc[s, 'relative distance']:.2f} at batch size {s:,}" for s in shown)


def cost_words(cost: pd.DataFrame) -> str:
    """Steps and seconds per epoch at the smallest and largest batch, and how they were timed."""
    small, big = cost.iloc[0], cost.iloc[-1]
    scaled = (cost["timed steps"] < cost["steps per epoch"]).any()
    how = (f"CPU time of the first {int(cost['timed steps'].max())} steps of an epoch, scaled up, "
           "the fastest of 3 tries" if scaled
           else "CPU time of a whole epoch, the fastest of 3 tries")
    return (f"Batch size {int(small['batch size'])}: {int(small['steps per epoch']):,} steps and "
            f"{small['seconds per epoch']:.3g} s an epoch; batch size {int(big['batch size']):,}: "
            f"{int(big['steps per epoch'])} step{'s' if big['steps per epoch'] > 1 else ''} and "
            f"{big['seconds per epoch']:.3g} s ({how}, on this server when the page first asked).")
