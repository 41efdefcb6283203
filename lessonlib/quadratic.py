"""The chapter's end-to-end SGD example: fit a quadratic to a roller coaster's noisy speed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import torch

STEPS = ("init", "predict", "loss", "gradient", "step", "repeat", "stop")
BLOW_UP = 1e6  # a loss this many times the first one means the steps diverged


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


def least_squares(time: torch.Tensor, speed: torch.Tensor) -> torch.Tensor:
    """The best (a, b, c) in one shot, by linear least squares: the target SGD is creeping
    towards."""
    # (20,) -> (20, 3)
    features = torch.stack([time**2, time, torch.ones_like(time)], dim=1).double()
    # (3, 1) -> (3,)
    return torch.linalg.lstsq(features, speed.double().unsqueeze(1)).solution.squeeze(1).float()


@dataclass
class SpeedFit:
    """The seven steps on the speed data, one method each; `stage` is the last step done
    (0 = none yet)."""

    time: torch.Tensor  # (20,)
    speed: torch.Tensor  # (20,)
    learning_rate: float = 1e-5
    params: torch.Tensor = field(default_factory=lambda: torch.zeros(3))  # (3,): a, b, c
    preds: torch.Tensor | None = None  # (20,)
    loss: torch.Tensor | None = None  # rank 0
    losses: list[float] = field(default_factory=list)  # the loss before each step
    previous: torch.Tensor | None = None  # params before the last step
    stage: int = 0

    def init(self, seed: int = 0) -> None:
        """Step 1: random parameters that require gradients."""
        g = torch.Generator().manual_seed(seed)
        self.params = torch.randn(3, generator=g).requires_grad_()
        self.preds, self.loss, self.losses, self.previous = None, None, [], None

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
        self.previous = self.params.detach().clone()
        self.params.data -= self.learning_rate * self.params.grad.data
        self.params.grad = None  # otherwise the next backward() adds to this gradient
        self.preds, self.loss = None, None

    def repeat(self, times: int = 1) -> None:
        """Step 6: predict, loss, gradient and step again, `times` times (not once diverged)."""
        for _ in range(times):
            if self.diverged():
                return
            self.compute_loss()
            self.gradient()
            self.step()

    def stop(self, tolerance: float = 1e-3) -> bool:
        """Step 7: stop once diverged, or once the last step improved the loss by less than
        `tolerance` (a fraction)."""
        return self.diverged() or self.improvement() < tolerance

    # by STEPS
    STEP_METHODS: ClassVar[tuple] = (init, predict, compute_loss, gradient, step, repeat, stop)

    def next_step(self) -> int:
        """Run the next of the seven steps and return its number (stays at 7 once there)."""
        actions = (self.init, self.predict, self.compute_loss, self.gradient, self.step,
                   self.repeat, self.stop)
        if self.stage < len(actions):
            actions[self.stage]()
            self.stage += 1
        return self.stage

    def keep_going(self, times: int) -> None:
        """Step 6 again, `times` more iterations (running steps 1–5 first if they haven't run)."""
        while self.stage < 5:
            self.next_step()
        self.repeat(times)
        self.stage = 6

    def current_loss(self) -> float:
        """The loss at the current parameters, without recording it or building a graph."""
        with torch.no_grad():
            return mse(quadratic(self.time, self.params), self.speed).item()

    def loss_history(self) -> list[float]:
        """The loss before each step so far, plus the loss at the current parameters."""
        return self.losses + ([] if self.loss is not None else [self.current_loss()])

    def improvement(self) -> float:
        """How much the last step lowered the loss, as a fraction of the loss before it (nan
        before any step)."""
        history = self.loss_history()
        return (history[-2] - history[-1]) / history[-2] if len(history) >= 2 else math.nan

    def diverged(self) -> bool:
        """True once the loss is not finite or has grown BLOW_UP times past the first one."""
        if not torch.isfinite(self.params).all():
            return True
        loss = self.current_loss()
        first = self.losses[0] if self.losses else loss
        return not math.isfinite(loss) or loss > BLOW_UP * first

    def curve(self, points: int = 200) -> tuple[torch.Tensor, torch.Tensor]:
        """The fitted quadratic on a fine grid of times, for drawing: (points,), (points,)."""
        t = torch.linspace(float(self.time.min()), float(self.time.max()), points)
        with torch.no_grad():
            return t, quadratic(t, self.params)

    def best_loss(self) -> float:
        """The MSE of the least-squares quadratic: the lowest loss any a, b, c can reach on this
        data."""
        return mse(quadratic(self.time, least_squares(self.time, self.speed)), self.speed).item()

    def best_curve(self, points: int = 200) -> tuple[torch.Tensor, torch.Tensor]:
        """The least-squares quadratic on the same grid as curve(), for comparison."""
        t = self.curve(points)[0]
        return t, quadratic(t, least_squares(self.time, self.speed))
