"""Our own Learner (the chapter's further-research project): fastai's constructor arguments, the
book's loop.

`Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy).fit(epochs, lr)`
trains as the book's `train_model` does: the same `train_epoch` (predict, loss, backward, step, zero
the gradients) over the same mini-batches, which `DataLoader` shuffles exactly as
lessonlib.training.Trainer does for the same seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.optim import SGD

from lessonlib.loss import mnist_loss
from lessonlib.training import Split

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Batch = tuple[torch.Tensor, torch.Tensor]  # xb (B, 784), yb (B, 1)


class DataLoader:
    """Mini-batches (xb, yb) of a split; with `shuffle`, a new order every epoch from a generator
    seeded with `seed`, drawn as Trainer draws it, so the same seed gives the same batches."""

    def __init__(self, split: Split, batch_size: int = 256, shuffle: bool = False, seed: int = 0):
        self.split, self.batch_size, self.shuffle = split, max(1, int(batch_size)), shuffle
        self.gen = torch.Generator().manual_seed(seed)

    def __iter__(self) -> Iterator[Batch]:
        n = len(self.split.x)
        order = torch.randperm(n, generator=self.gen) if self.shuffle else torch.arange(n)  # (N,)
        for idx in order.split(self.batch_size):
            yield self.split.x[idx], self.split.y[idx]

    def __len__(self) -> int:
        return math.ceil(len(self.split.x) / self.batch_size)


@dataclass
class DataLoaders:
    """The training batches and the validation batches, as fastai's DataLoaders(dl, valid_dl)."""

    train: DataLoader
    valid: DataLoader


def train_epoch(model: nn.Module, dl: Iterable[Batch], opt, loss_func: Loss = mnist_loss) -> float:
    """One pass over the training batches: predict, loss, gradients, step, zero them; the mean batch
    loss."""
    total, count = 0.0, 0
    for xb, yb in dl:
        loss = loss_func(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
        total, count = total + loss.item() * len(xb), count + len(xb)
    return total / max(count, 1)


@torch.no_grad()
def validate(model: nn.Module, dl: Iterable[Batch], loss_func: Loss,
             metrics: Sequence[Callable]) -> list[float]:
    """The validation loss, then each metric: means over every validation image (batches weighted by
    size)."""
    sums, count = [0.0] * (1 + len(metrics)), 0
    for xb, yb in dl:
        preds = model(xb)  # (B, 1)
        for i, f in enumerate([loss_func, *metrics]):
            sums[i] += f(preds, yb).item() * len(xb)
        count += len(xb)
    return [s / max(count, 1) for s in sums]


def train_model(model: nn.Module, dls: DataLoaders, opt, epochs: int, loss_func: Loss = mnist_loss,
                metrics: Sequence[Callable] = ()) -> list[list[float]]:
    """The book's train_model: `epochs` times train_epoch, then validate; one row per epoch: [train
    loss, validation loss, *metrics]."""
    rows = []
    for _ in range(epochs):
        train_loss = train_epoch(model, dls.train, opt, loss_func)
        rows.append([train_loss, *validate(model, dls.valid, loss_func, metrics)])
    return rows


def set_lr(opt, lr: float) -> None:
    """Give an optimiser a new learning rate: torch.optim's keep it per parameter group, BasicOptim
    as .lr."""
    if hasattr(opt, "param_groups"):
        for group in opt.param_groups:
            group["lr"] = lr
    else:
        opt.lr = lr


@dataclass
class Recorder:
    """What fit() reports after each epoch, as fastai's learn.recorder: names, and one row of values
    an epoch."""

    names: list[str]
    values: list[list[float]] = field(default_factory=list)


class Learner:
    """A model, its data, an optimiser function, a loss and metrics, with fit(epochs, lr): fastai's
    Learner, reduced to what chapter 4 uses."""

    def __init__(self, dls: DataLoaders, model: nn.Module, opt_func: Callable = SGD,
                 loss_func: Loss = mnist_loss,
                 metrics: Callable | Sequence[Callable] | None = None, lr: float = 1e-3):
        self.dls, self.model, self.opt_func, self.loss_func, self.lr = (
            dls, model, opt_func, loss_func, lr)
        self.metrics = [] if metrics is None else [metrics] if callable(metrics) else list(metrics)
        self.opt = None  # made by the first fit, from the model's parameters
        names = [getattr(m, "__name__", type(m).__name__) for m in self.metrics]
        self.recorder = Recorder(["train_loss", "valid_loss", *names])

    def fit(self, epochs: int, lr: float | None = None) -> None:
        """Train `epochs` epochs at `lr` (else the Learner's lr); each epoch adds a row to
        self.recorder."""
        lr = self.lr if lr is None else lr
        if self.opt is None:
            self.opt = self.opt_func(self.model.parameters(), lr)
        set_lr(self.opt, lr)
        rows = train_model(self.model, self.dls, self.opt, epochs, self.loss_func, self.metrics)
        self.recorder.values.extend(rows)
