"""All ten digits at once: one output per digit, softmax and cross-entropy (the bridge to chapter
5)."""

from __future__ import annotations

import torch

from lessonlib.data import DigitData


def softmax(activations: torch.Tensor) -> torch.Tensor:
    """exp of each activation over the sum of the row's exps: (N, C) -> (N, C), each row sums to
    1."""
    # shifting by the max changes nothing but overflow
    e = (activations - activations.amax(dim=1, keepdim=True)).exp()
    return e / e.sum(dim=1, keepdim=True)


def cross_entropy(activations: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean of −log(softmax probability of the right class): (N, C) activations, (N,) class
    indices -> scalar."""
    log_p = activations - activations.logsumexp(dim=1, keepdim=True)  # log softmax, (N, C)
    return -log_p[torch.arange(len(targets)), targets].mean()


def accuracy(activations: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Share of images whose largest activation is the right class's."""
    return (activations.argmax(dim=1) == targets).float().mean()


def all_digits(data: DigitData, split: str) -> tuple[torch.Tensor, torch.Tensor, tuple[int, ...]]:
    """Every digit's images as rows, their class indices and the digit each index stands for:
    x (N, 784), y (N,) in 0..C−1, labels (C,)."""
    labels = tuple(data.digits)
    xs = [data.images(split, d).view(-1, 28 * 28) for d in labels]  # (n_d, 28, 28) -> (n_d, 784)
    y = torch.cat([torch.full((len(x),), i, dtype=torch.long) for i, x in enumerate(xs)])
    return torch.cat(xs), y, labels
