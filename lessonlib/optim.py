"""The book's BasicOptim: plain SGD, with optional momentum as torch.optim.SGD computes it."""

from __future__ import annotations

from collections.abc import Iterable

import torch


class BasicOptim:
    """p -= lr * grad (or lr * velocity with momentum), then forget the gradients."""

    def __init__(self, params: Iterable[torch.Tensor], learning_rate: float, momentum: float = 0.0):
        self.params, self.lr, self.momentum = list(params), learning_rate, momentum
        self.velocity = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        """Move every parameter against its gradient; a parameter without a gradient stays put."""
        for p, v in zip(self.params, self.velocity, strict=True):
            if p.grad is None:
                continue
            g = p.grad
            if self.momentum:
                g = v.mul_(self.momentum).add_(g)  # v = momentum * v + grad, as torch.optim.SGD (no dampening)
            p -= g * self.lr

    def zero_grad(self) -> None:
        """Drop the gradients, so the next backward() starts from zero instead of adding on."""
        for p in self.params:
            p.grad = None

    def reset_velocity(self) -> None:
        """Forget the momentum built up so far."""
        for v in self.velocity:
            v.zero_()
