"""How big a mini-batch? How far a mini-batch's gradient strays from the whole training set's as the
batch grows, and what each batch size costs in steps and seconds per epoch, for the book's linear1
and mnist_loss."""

from __future__ import annotations

import math
import time

import pandas as pd
import torch
from torch.utils.data import DataLoader

from lessonlib.loss import mnist_loss
from lessonlib.models import linear1


def per_example_gradients(weights: torch.Tensor, bias: torch.Tensor, x: torch.Tensor,
                          y: torch.Tensor) -> torch.Tensor:
    """Each image's own gradient of mnist_loss for (weights, bias): (N, 785), weights' 784 then the
    bias.

    Autograd gives each image's d loss / d output; for linear1 the chain rule makes the weights'
    gradient that times the image's pixels, and the bias's that times 1."""
    preds = linear1(x, weights.detach(), bias.detach()).requires_grad_()  # (N, 1)
    # (N, 1): d loss_i / d output_i
    (per_output,) = torch.autograd.grad(mnist_loss(preds, y) * len(x), preds)
    return torch.cat([per_output * x, per_output], dim=1)  # (N, 785)


def batch_sizes(n: int) -> list[int]:
    """1, 2, 4, … below n, then n itself (the whole training set: the full gradient)."""
    return [2**k for k in range(max(n - 1, 1).bit_length()) if 2**k < n] + [n]


def gradient_noise(grads: torch.Tensor, sizes: list[int], draws: int = 100,
                   seed: int = 0) -> pd.DataFrame:
    """For each batch size, over `draws` random batches (as a shuffled DataLoader makes them): how
    far the batch's mean gradient is from the full gradient, relative to the full gradient's length,
    and their cosine."""
    full = grads.mean(0)  # (785,)
    gen = torch.Generator().manual_seed(seed)
    rows = []
    for size in sizes:
        picks = torch.stack([torch.randperm(len(grads), generator=gen)[:size]
                             for _ in range(draws)])  # (D, B)
        # (D, N): 1/B on each batch's items
        pick = torch.zeros(draws, len(grads)).scatter_(1, picks, 1.0 / size)
        means = pick @ grads  # (D, N) @ (N, 785) -> (D, 785): each batch's mean gradient
        distance = (means - full).norm(dim=1) / full.norm()  # (D,)
        cosine = torch.nn.functional.cosine_similarity(means, full[None], dim=1)  # (D,)
        rows.append({"batch size": size, "relative distance": distance.mean().item(),
                     "relative squared distance": distance.square().mean().item(),
                     "distance p10": distance.quantile(0.1).item(),
                     "distance p90": distance.quantile(0.9).item(), "cosine": cosine.mean().item()})
    return pd.DataFrame(rows)


def epoch_cost(weights: torch.Tensor, bias: torch.Tensor, x: torch.Tensor, y: torch.Tensor,
               sizes: list[int],
               learning_rate: float = 1.0, max_steps: int = 32, repeats: int = 3) -> pd.DataFrame:
    """Steps per epoch, and CPU seconds per epoch of the book's loop (DataLoader, linear1,
    mnist_loss, backward, step) for each batch size: the fastest of `repeats` timings of the epoch's
    first `max_steps` steps (or all of them), scaled to the whole epoch. CPU time of this thread, so
    that other work on the machine counts less."""
    dset = list(zip(x, y, strict=True))
    rows = []
    for size in sizes:
        steps = math.ceil(len(x) / size)
        timed = min(steps, max_steps)
        best = min(_time_steps(dset, size, timed, weights, bias, learning_rate)
                   for _ in range(repeats))
        rows.append({"batch size": size, "steps per epoch": steps,
                     "seconds per epoch": best * steps / timed, "timed steps": timed})
    return pd.DataFrame(rows)


def _time_steps(dset: list[tuple], size: int, steps: int, weights: torch.Tensor, bias: torch.Tensor,
                learning_rate: float) -> float:
    """CPU seconds for the first `steps` steps of an epoch of plain SGD on linear1, from fresh
    copies of the weights."""
    w, b = weights.detach().clone().requires_grad_(), bias.detach().clone().requires_grad_()
    loader = DataLoader(dset, batch_size=size, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    start = time.thread_time()
    for done, (xb, yb) in enumerate(loader, start=1):
        mnist_loss(linear1(xb, w, b), yb).backward()
        with torch.no_grad():
            for p in (w, b):
                p -= p.grad * learning_rate
                p.grad = None
        if done == steps:
            break
    return time.thread_time() - start
