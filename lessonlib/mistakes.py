"""Common training mistakes the page can switch on, each with the loss it really computes."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import torch

from lessonlib import tenclass
from lessonlib.loss import batch_accuracy, mnist_loss

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class ZeroingRun:
    """Validation accuracy and weight norm after 20 epochs on the bundled 3s and 7s (seed 42), with
    the gradients zeroed after each step and without; measured once; tests/test_mistakes_zeroing.py
    measures them again."""

    model: str
    learning_rate: float
    batch_size: int
    accuracy: tuple[float, float]  # (zeroed, not zeroed)
    weight_norm: tuple[float, float]  # (zeroed, not zeroed)


HARMLESS = ZeroingRun("linear", 1.0, 256, (0.9715, 0.9676), (2.98, 81.8))  # the page's defaults
HARMFUL = ZeroingRun("simple_net", 1.0, 16, (0.9799, 0.5692), (6.37, 3177.0))


def _keep_grads_text() -> str:
    a, b = HARMLESS, HARMFUL
    return ("backward() adds to .grad, so every step carries all earlier gradients and the steps "
            "keep growing. Watch **Weight norm**: on the bundled 3s and 7s with nn.Linear, "
            f"learning rate {a.learning_rate:g} and batch size {a.batch_size} it reaches "
            f"{a.weight_norm[1]:.0f} after 20 epochs instead of {a.weight_norm[0]:.1f}, yet "
            f"accuracy barely moves ({a.accuracy[1]:.1%} instead of {a.accuracy[0]:.1%}): a linear "
            "model's answer depends on the direction of its weights and bias, not their size. "
            f"With {b.model} at learning rate {b.learning_rate:g} and batch size {b.batch_size} it "
            f"hurts: {b.accuracy[1]:.1%} instead of {b.accuracy[0]:.1%} after 20 epochs (seed 42), "
            "falling epoch after epoch.")


MISTAKES: dict[str, tuple[str, str]] = {  # name -> (label, explanation)
    "keep_grads": ("Skip zeroing the gradients", _keep_grads_text()),
    "accuracy_loss": ("Accuracy as the loss",
                      "Accuracy only changes when a prediction crosses 0.5, so its gradient is "
                      "zero: the weights never move."),
    "no_sigmoid": ("Drop the sigmoid",
                   "Unsquashed activations let the loss fall forever by pushing outputs towards ±∞ "
                   "instead of getting each digit right."),
}
TEN_CLASS_TEXT: dict[str, tuple[str, str]] = {  # the same mistakes, told for one output per class
    "accuracy_loss": ("Accuracy as the loss",
                      "Accuracy only changes when another class's activation becomes the largest, "
                      "so its gradient is zero: the weights never move."),
    "no_sigmoid": ("Drop the softmax",
                   "Without softmax the loss is minus the right class's raw activation: it falls "
                   "forever by making that activation huge, and never has to make the others "
                   "small."),
}


def describe(name: str, multiclass: bool = False) -> tuple[str, str]:
    """A mistake's label and one-line explanation, for one output (two digits) or one output per
    class."""
    return (TEN_CLASS_TEXT if multiclass and name in TEN_CLASS_TEXT else MISTAKES)[name]


def unsquashed_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """mnist_loss without the sigmoid: raw activations, unbounded below."""
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def accuracy_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """1 − accuracy: a fine metric, but a step function with no gradient."""
    return 1 - batch_accuracy(predictions, targets)


def raw_activation_loss(activations: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Cross-entropy without the softmax: minus the right class's raw activation, unbounded
    below."""
    return -activations[torch.arange(len(targets)), targets].mean()


def ten_class_accuracy_loss(activations: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """1 − accuracy over the classes: a step function with no gradient."""
    return 1 - tenclass.accuracy(activations, targets)


def loss_function(mistakes: Collection[str] = (), multiclass: bool = False) -> Loss:
    """The loss the training loop uses, given the mistakes switched on: mnist_loss for two digits
    (one output), cross-entropy for one output per class."""
    unknown = set(mistakes) - set(MISTAKES)
    if unknown:
        raise ValueError(f"unknown mistakes {sorted(unknown)}; choose from {list(MISTAKES)}")
    if "accuracy_loss" in mistakes:
        return ten_class_accuracy_loss if multiclass else accuracy_loss
    if "no_sigmoid" in mistakes:
        return raw_activation_loss if multiclass else unsquashed_loss
    return tenclass.cross_entropy if multiclass else mnist_loss
