"""The book's BasicOptim: plain SGD, with optional momentum as torch.optim.SGD computes it."""

from __future__ import annotations

from collections.abc import Iterable

import torch


class BasicOptim:
    """p -= lr * grad (or lr * velocity with momentum), then forget the gradients."""

    def __init__(self, params: Iterable[torch.Tensor], learning_rate: float, momentum: float = 0.0):
        self.params, self.lr, self.momentum = list(params), learning_rate, momentum
        # made at the first step with momentum
        self.velocity: list[torch.Tensor | None] = [None] * len(self.params)

    @torch.no_grad()
    def step(self) -> None:
        """Move every parameter against its gradient; a parameter without a gradient stays put."""
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad
            if self.momentum:
                if self.velocity[i] is None:  # plain SGD keeps no copy of the weights' size
                                              # (resnet18: 45 MB)
                    self.velocity[i] = torch.zeros_like(p)
                # v = momentum * v + grad, as torch.optim.SGD
                g = self.velocity[i].mul_(self.momentum).add_(g)
            p -= g * self.lr

    def zero_grad(self) -> None:
        """Drop the gradients, so the next backward() starts from zero instead of adding on."""
        for p in self.params:
            p.grad = None

    def reset_velocity(self) -> None:
        """Forget the momentum built up so far."""
        self.velocity = [None] * len(self.params)
