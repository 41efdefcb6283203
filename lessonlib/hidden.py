"""simple_net from the inside: its parameters' shapes, and the activations its hidden layer computes
on one digit."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

# the book's hand-written names
BOOK_NAMES = {"0.weight": "w1", "0.bias": "b1", "2.weight": "w2", "2.bias": "b2"}


def parameter_table(net: nn.Sequential) -> list[dict]:
    """Each parameter of simple_net: its name, shape, number of values, and the book's hand-written
    counterpart."""
    rows = []
    for name, p in net.named_parameters():
        book = BOOK_NAMES.get(name, "")
        # the book multiplies x @ w1
        book_shape = tuple(p.shape[::-1]) if p.dim() == 2 else tuple(p.shape)
        rows.append({"parameter": name, "shape": tuple(p.shape), "values": p.numel(),
                     "the book's version": f"{book} {book_shape}" if book else ""})
    return rows


@dataclass(frozen=True)
class HiddenLayer:
    """One image through simple_net: the hidden layer's weighted sums, the same after ReLU, and the
    output."""

    before: torch.Tensor  # (hidden,) x @ W1ᵀ + b1
    after: torch.Tensor  # (hidden,) ReLU of that
    output: float  # the last layer's activation; sigmoid of it is the model's probability of the
                   # first digit

    @property
    def zeroed(self) -> int:
        """How many hidden activations ReLU set to zero."""
        return int((self.after == 0).sum())


@torch.no_grad()
def hidden_activations(net: nn.Sequential, image: torch.Tensor) -> HiddenLayer:
    """Run one (28, 28) image through simple_net layer by layer: (1, 784) -> (1, hidden) -> (1,
    hidden) -> (1, 1)."""
    x = image.reshape(1, -1)
    before = net[0](x)
    after = net[1](before)
    return HiddenLayer(before[0], after[0], net[2](after)[0, 0].item())
