"""Distances between images: L1 (mean absolute difference) and RMSE (root mean squared error)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def l1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference over the last two axes: (…, 28, 28) -> (…)."""
    return (a - b).abs().mean((-1, -2))


def rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Root of the mean squared difference over the last two axes: (…, 28, 28) -> (…)."""
    return ((a - b) ** 2).mean((-1, -2)).sqrt()


def signed_mean(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean of a − b without abs or square: positive and negative errors cancel."""
    return (a - b).mean((-1, -2))


def l1_torch(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """L1 distance of two images as PyTorch computes it."""
    return F.l1_loss(a, b)


def rmse_torch(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """RMSE of two images as PyTorch computes it."""
    return F.mse_loss(a, b).sqrt()


def edges(x: torch.Tensor) -> torch.Tensor:
    """Edge strength from first differences: (…, 28, 28) -> (…, 27, 27)."""
    dx = x[..., :-1, 1:] - x[..., :-1, :-1]  # horizontal change
    dy = x[..., 1:, :-1] - x[..., :-1, :-1]  # vertical change
    return (dx**2 + dy**2).sqrt()


def edge_l1(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """L1 distance between edge maps: compares strokes' outlines rather than ink."""
    return l1(edges(a), edges(b))


METRICS = {"L1": l1, "RMSE": rmse, "signed mean": signed_mean, "edge L1": edge_l1}
