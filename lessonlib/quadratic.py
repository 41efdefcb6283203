"""The chapter's end-to-end SGD example: fit a quadratic to a roller coaster's noisy speed."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

STEPS = ("init", "predict", "loss", "gradient", "step", "repeat", "stop")


def speed_data(seed: int = 42) -> tuple[torch.Tensor, torch.Tensor]:
    """20 time points and a noisy quadratic speed measured at each, as in the book."""
    g = torch.Generator().manual_seed(seed)
    time = torch.arange(0, 20).float()  # (20,)
    speed = torch.randn(20, generator=g) * 3 + 0.75 * (time - 9.5) ** 2 + 1  # (20,)
    return time, speed


def quadratic(t: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """a·t² + b·t + c for params (a, b, c)."""
    a, b, c = params
    return a * (t**2) + (b * t) + c


def mse(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean squared error."""
    return ((preds - targets) ** 2).mean()


@dataclass
class SpeedFit:
    """The seven steps on the speed data, one call each: init, predict, loss, gradient, step."""

    time: torch.Tensor
    speed: torch.Tensor
    learning_rate: float = 1e-5
    params: torch.Tensor = field(default_factory=lambda: torch.zeros(3))
    preds: torch.Tensor | None = None
    loss: torch.Tensor | None = None
    losses: list[float] = field(default_factory=list)

    def init(self, seed: int = 0) -> None:
        """Step 1: random parameters that require gradients."""
        g = torch.Generator().manual_seed(seed)
        self.params = torch.randn(3, generator=g).requires_grad_()
        self.preds, self.loss, self.losses = None, None, []

    def predict(self) -> torch.Tensor:
        """Step 2: the model's speed at every time point."""
        self.preds = quadratic(self.time, self.params)
        return self.preds

    def compute_loss(self) -> torch.Tensor:
        """Step 3: how wrong the predictions are (MSE)."""
        self.loss = mse(self.predict() if self.preds is None else self.preds, self.speed)
        self.losses.append(self.loss.item())
        return self.loss

    def gradient(self) -> torch.Tensor:
        """Step 4: backward() fills params.grad with d(loss)/d(params)."""
        if self.loss is None:
            self.compute_loss()
        self.loss.backward()
        return self.params.grad

    def step(self) -> None:
        """Step 5: move each parameter against its gradient, then reset the gradient."""
        if self.params.grad is None:
            self.gradient()
        self.params.data -= self.learning_rate * self.params.grad.data
        self.params.grad = None
        self.preds, self.loss = None, None

    def repeat(self, times: int = 1) -> None:
        """Step 6: predict, loss, gradient and step again, `times` times."""
        for _ in range(times):
            self.compute_loss()
            self.gradient()
            self.step()
