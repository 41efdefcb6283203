"""Calling an image the first digit when its output is above a threshold: the accuracy a threshold
gives, the best one, and why 0 on the raw outputs and 0.5 after the sigmoid draw the same line."""

from __future__ import annotations

import torch


def accuracy_at(outputs: torch.Tensor, targets: torch.Tensor, threshold: float) -> float:
    """Share of images on the right side of the threshold: outputs (N,), targets (N,) of 1s
    (first digit) and 0s."""
    return ((outputs > threshold).float() == targets).float().mean().item()


def best_threshold(outputs: torch.Tensor, targets: torch.Tensor) -> tuple[float, float]:
    """(threshold, accuracy) with the highest accuracy; of equally good thresholds, the one nearest
    0. Thresholds lie half-way between two neighbouring outputs, or just beyond the smallest or
       largest."""
    z, order = outputs.sort()  # (N,) ascending
    t = targets[order]
    n = len(z)
    # (N + 1,): right "second digit" calls below k
    zeros_below = torch.cat([torch.zeros(1), (1 - t).cumsum(0)])
    # (N + 1,): right "first digit" calls from k
    ones_above = t.sum() - torch.cat([torch.zeros(1), t.cumsum(0)])
    correct = zeros_below + ones_above
    # (N + 1,): a threshold below each k
    cuts = torch.cat([z[:1] - 1, (z[:-1] + z[1:]) / 2, z[-1:] + 1])
    usable = torch.ones(n + 1, dtype=torch.bool)
    usable[1:n] = z[:-1] < z[1:]  # no threshold fits between two equal outputs
    best = correct[usable].max()
    candidates = cuts[usable & (correct == best)]
    threshold = candidates[candidates.abs().argmin()].item()
    return threshold, best.item() / n


def share_above(outputs: torch.Tensor, threshold: float = 0.0) -> float:
    """Share of the outputs above the threshold."""
    return (outputs > threshold).float().mean().item()


def decisions_differ(outputs: torch.Tensor, probability: float = 0.5) -> int:
    """How many images `outputs > 0` and `outputs.sigmoid() > probability` call differently."""
    return ((outputs > 0) != (outputs.sigmoid() > probability)).sum().item()


def raw_threshold(probability: float) -> float:
    """The threshold on raw outputs that draws the same line as `probability` after the sigmoid:
    logit(p)."""
    return torch.logit(torch.tensor(probability, dtype=torch.float64)).item()
