"""Common training mistakes the page can switch on, each with the loss it really computes."""

from __future__ import annotations

from collections.abc import Callable, Collection

import torch

from lessonlib.models import batch_accuracy, mnist_loss

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

MISTAKES: dict[str, tuple[str, str]] = {  # name -> (label, one-line explanation)
    "keep_grads": ("Skip zeroing the gradients",
                   "backward() adds to .grad, so every step carries all earlier gradients and the steps keep growing."),
    "accuracy_loss": ("Accuracy as the loss",
                      "Accuracy only changes when a prediction crosses 0.5, so its gradient is zero: the weights never "
                      "move."),
    "no_sigmoid": ("Drop the sigmoid",
                   "Unsquashed activations let the loss fall forever by pushing outputs towards ±∞ instead of getting "
                   "each digit right."),
}


def unsquashed_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """mnist_loss without the sigmoid: raw activations, unbounded below."""
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def accuracy_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """1 − accuracy: a fine metric, but a step function with no gradient."""
    return 1 - batch_accuracy(predictions, targets)


def loss_function(mistakes: Collection[str] = ()) -> Loss:
    """The loss the training loop uses, given the mistakes switched on."""
    unknown = set(mistakes) - set(MISTAKES)
    if unknown:
        raise ValueError(f"unknown mistakes {sorted(unknown)}; choose from {list(MISTAKES)}")
    if "accuracy_loss" in mistakes:
        return accuracy_loss
    if "no_sigmoid" in mistakes:
        return unsquashed_loss
    return mnist_loss
