"""From images to mini-batches: a dataset of (x, y) pairs, the shape of every tensor on the way (and
the silent (B, B) when the labels keep shape (B,)), and DataLoader's batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.utils.data import DataLoader

from lessonlib.broadcasting import Step
from lessonlib.loss import mnist_loss
from lessonlib.models import linear1


def dataset(xs: Sequence, ys: Sequence) -> list[tuple]:
    """What PyTorch calls a Dataset, as the book builds one: a list of (x, y) pairs,
    `list(zip(xs, ys))`."""
    return list(zip(xs, ys, strict=False))


def shape_steps(images_a: torch.Tensor, images_b: torch.Tensor, weights: torch.Tensor,
                bias: torch.Tensor, names: tuple[int, int] = (3, 7)) -> list[Step]:
    """The book's way from two stacks of images to predictions and labels, with the real shape of
    every tensor."""
    a, b = names
    steps: list[Step] = []

    def keep(code: str, t: torch.Tensor, note: str) -> torch.Tensor:
        steps.append(Step(code, tuple(t.shape), note))
        return t

    sa = keep(f"stacked_{a}s", images_a, f"every training {a}: a rank-3 tensor")
    sb = keep(f"stacked_{b}s", images_b, f"every training {b}")
    both = keep(f"torch.cat([stacked_{a}s, stacked_{b}s])", torch.cat([sa, sb]),
                "one stack, first digit first")
    x = keep("train_x = ….view(-1, 28*28)", both.view(-1, 28 * 28),
             "each image becomes one row of 784 pixels; -1: as many rows as it takes")
    w = keep("weights = init_params((28*28, 1))", weights, "one weight per pixel, as a column")
    keep("bias = init_params(1)", bias, "one number")
    with torch.no_grad():
        keep("preds = linear1(train_x)", linear1(x, w, bias),
             "train_x @ weights + bias: one output per row")
    y = keep(f"tensor([1]*len(stacked_{a}s) + [0]*len(stacked_{b}s))",
             torch.tensor([1] * len(sa) + [0] * len(sb)),
             "the labels: a rank-1 tensor, one number per image")
    keep("train_y = ….unsqueeze(1)", y.unsqueeze(1), "a new axis of size 1: a column, like preds")
    return steps


def view_shares_memory(images: torch.Tensor) -> bool:
    """Whether `images.view(-1, 28*28)` reads the very numbers of `images` (no copy):
    (N, 28, 28) -> (N, 784)."""
    flat = images.view(-1, 28 * 28)
    return flat.untyped_storage().data_ptr() == images.untyped_storage().data_ptr()


@dataclass(frozen=True)
class LabelShapes:
    """mnist_loss on B images with labels of shape (B, 1), as it should be, and of shape (B,)."""

    where_right: tuple[int, ...]  # the shape torch.where gives inside mnist_loss with (B, 1) labels
    loss_right: float
    where_wrong: tuple[int, ...]  # … with (B,) labels: broadcast against (B, 1) preds
    loss_wrong: float


def label_shapes(preds: torch.Tensor, labels: torch.Tensor) -> LabelShapes:
    """What mnist_loss computes for preds (B, 1) with labels (B,) unsqueezed to (B, 1), and left as
    (B,)."""
    p = preds.sigmoid()
    right, wrong = labels.unsqueeze(1), labels  # (B, 1) and (B,)
    shape_right = tuple(torch.where(right == 1, 1 - p, p).shape)  # (B, 1)
    shape_wrong = tuple(torch.where(wrong == 1, 1 - p, p).shape)  # (B, 1) against (B,): (B, B)
    return LabelShapes(shape_right, mnist_loss(preds, right).item(), shape_wrong,
                       mnist_loss(preds, wrong).item())


@dataclass(frozen=True)
class Batch:
    """One mini-batch from a DataLoader: which items it holds, their targets, and the shapes of x
    and y."""

    indices: tuple[int, ...]
    targets: tuple[int, ...]
    x_shape: tuple[int, ...]
    y_shape: tuple[int, ...]


def batches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool,
            seed: int) -> list[Batch]:
    """One epoch of `DataLoader(dset, batch_size, shuffle)` on (x, y, index) triples, so each batch
    tells which items landed in it: x (N, 784), y (N, 1)."""
    triples = list(zip(x, y, range(len(x)), strict=True))
    loader = DataLoader(triples, batch_size=batch_size, shuffle=shuffle,
                        generator=torch.Generator().manual_seed(seed))
    return [Batch(tuple(i.tolist()), tuple(int(v) for v in yb[:, 0].tolist()), tuple(xb.shape),
                  tuple(yb.shape))
            for xb, yb, i in loader]


def range_batches(seed: int, n: int = 15, batch_size: int = 5) -> list[list[int]]:
    """The book's first DataLoader: `list(DataLoader(range(15), batch_size=5, shuffle=True))`,
    seeded."""
    loader = DataLoader(range(n), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    return [b.tolist() for b in loader]
