"""Nudge one weight of a trained linear1: the loss moves, the accuracy almost never does, because
accuracy only changes when an output crosses 0. Computed in float64, so that tiny changes are not
rounded away."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import torch

from lessonlib.loss import mnist_loss
from lessonlib.models import linear1


def book_accuracy(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The book's first accuracy: `((preds > 0.0).float() == targets).float().mean()`; preds,
    targets (N, 1)."""
    return ((preds > 0.0).float() == targets).float().mean()


@dataclass(frozen=True)
class Nudge:
    """One weight moved by delta: loss and accuracy before and after, and what autograd says about
    each."""

    index: int
    delta: float
    loss_before: float
    loss_after: float
    accuracy_before: float
    accuracy_after: float
    loss_gradient: float  # d loss / d weights[index], from autograd
    accuracy_has_gradient: bool  # whether autograd can follow the accuracy back to the weights
    flipped: int  # images whose decision (output > 0) changed
    inked: int  # images with some ink at this pixel: the only ones whose output moves

    @property
    def loss_change(self) -> float:
        return self.loss_after - self.loss_before

    @property
    def accuracy_change(self) -> float:
        return self.accuracy_after - self.accuracy_before


def _double(*tensors: torch.Tensor) -> list[torch.Tensor]:
    return [t.detach().double() for t in tensors]


def nudge(weights: torch.Tensor, bias: torch.Tensor, x: torch.Tensor, y: torch.Tensor, index: int,
          delta: float) -> Nudge:
    """weights[index] += delta on linear1: weights (784, 1), bias (1,), x (N, 784), y (N, 1)."""
    w, b, x, y = _double(weights, bias, x, y)
    w = w.requires_grad_()
    preds = linear1(x, w, b)  # (N, 1)
    loss = mnist_loss(preds, y)
    accuracy = book_accuracy(preds, y)
    loss.backward()
    with torch.no_grad():
        moved = w.clone()
        moved[index] += delta
        after = linear1(x, moved, b)  # (N, 1)
        flipped = ((after > 0) != (preds > 0)).sum().item()
        return Nudge(index, delta, loss.item(), mnist_loss(after, y).item(), accuracy.item(),
                     book_accuracy(after, y).item(), w.grad[index].item(), accuracy.requires_grad,
                     flipped, (x[:, index] > 0).sum().item())


def _column_losses(preds: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """mnist_loss of every column of outputs: preds (N, C), y (N, 1) -> (C,)."""
    return torch.func.vmap(lambda column: mnist_loss(column[:, None], y), in_dims=1)(preds)


def sweep(weights: torch.Tensor, bias: torch.Tensor, x: torch.Tensor, y: torch.Tensor, index: int,
          span: float, points: int = 401) -> pd.DataFrame:
    """Loss and accuracy as weights[index] runs over its value ± span, every other weight kept."""
    w, b, x, y = _double(weights, bias, x, y)
    values = w[index, 0] + torch.linspace(-span, span, points, dtype=torch.float64)  # (P,)
    # (N,): the outputs without this weight
    base = linear1(x, w, b)[:, 0] - x[:, index] * w[index, 0]
    preds = base[:, None] + x[:, index, None] * values[None, :]  # (N, P): one column per value
    return pd.DataFrame({"weight": values.numpy(), "loss": _column_losses(preds, y).numpy(),
                         "accuracy": ((preds > 0).double() == y).double().mean(0).numpy()})


def weights_that_move(weights: torch.Tensor, bias: torch.Tensor, x: torch.Tensor,
                      y: torch.Tensor, delta: float, chunk: int = 112) -> tuple[int, int]:
    """Of all the weights, how many change the loss, and how many change the accuracy, when each
    alone is nudged by delta: (loss movers, accuracy movers)."""
    w, b, x, y = _double(weights, bias, x, y)
    preds = linear1(x, w, b)  # (N, 1)
    loss_moves = accuracy_moves = 0
    for start in range(0, x.shape[1], chunk):
        # (N, C): column j has weights[start + j] nudged
        nudged = preds + delta * x[:, start : start + chunk]
        kept = preds.expand_as(nudged)  # the same columns un-nudged, summed in the same order
        loss_moves += (_column_losses(nudged, y) != _column_losses(kept, y)).sum().item()
        right = ((nudged > 0).double() == y).sum(0)  # (C,): images called right
        accuracy_moves += (right != ((kept > 0).double() == y).sum(0)).sum().item()
    return loss_moves, accuracy_moves
