"""The chapter's loss and metric for two digits: one output per image, sigmoid, target 1 for the
first digit."""

from __future__ import annotations

import torch


def mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The book's loss: squash activations with sigmoid, then the mean distance from each target."""
    predictions = predictions.sigmoid()
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def batch_accuracy(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Share of activations on the right side of 0.5 after sigmoid."""
    correct = (predictions.sigmoid() > 0.5) == targets
    return correct.float().mean()
