"""Training in short chunks, for a page that redraws between them: budgets, a run's state, its
speed."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from lessonlib.models import first_layer_weights
from lessonlib.norms import weight_norm
from lessonlib.training import BatchEvent, EpochEvent, Trainer
from ui.history import History
from ui.pace import ALONE, FRAME_SECONDS, WORK_SECONDS, Pace

WALL_SECONDS = 0.6  # and at most this long on the clock, when other work slows this thread down
SPEEDS = {  # label -> epochs per second, None for as fast as the machine goes
    "1 batch a frame": 0.0,
    "1 epoch a second": 1.0,
    "4 epochs a second": 4.0,
    "full speed": None,
}


@dataclass
class Budget:
    """When a chunk of training stops: whichever limit comes first."""

    seconds: float = WORK_SECONDS  # CPU seconds of the training thread
    wall_seconds: float = WALL_SECONDS
    batches: int | None = None
    until_epoch_end: bool = False
    goal: float | None = None  # stop once this many epochs are done


def _spent(budget: Budget, n: int, cpu0: float, wall0: float) -> bool:
    return ((budget.batches is not None and n >= budget.batches)
            or time.thread_time() - cpu0 >= budget.seconds
            or time.perf_counter() - wall0 >= budget.wall_seconds)


def advance(trainer: Trainer, budget: Budget,
            on_epoch_end: Callable[[Trainer], None] | None = None) -> list[BatchEvent | EpochEvent]:
    """Train batch after batch until the budget is spent; the chunk's events come back.
    `on_epoch_end` sees the trainer right after each epoch's validation.

    CPU time, not the clock, bounds the work, so a busy machine (or server) still trains as much
    between two redraws as a quiet one; the wall-clock cap keeps the page answering when it is very
    busy.
    """
    events: list[BatchEvent | EpochEvent] = []
    cpu0, wall0, n = time.thread_time(), time.perf_counter(), 0
    while not trainer.diverged and (budget.goal is None or trainer.progress < budget.goal - 1e-9):
        event = trainer.train_batch()
        events.append(event)
        n += 1
        if event.diverged:
            break
        if event.epoch_done:
            events.append(trainer.end_epoch())
            if on_epoch_end is not None:
                on_epoch_end(trainer)
            if budget.until_epoch_end:
                break
        if _spent(budget, n, cpu0, wall0):
            break
    return events


def batches_per_epoch(trainer: Trainer) -> int:
    """How many batches an epoch takes at the current batch size."""
    return math.ceil(len(trainer.train.x) / trainer.config.batch_size)


def frame_budget(trainer: Trainer, speed: str, goal: float | None = None,
                 elapsed: float | None = None, pace: Pace = ALONE) -> Budget:
    """The budget of one frame while playing at a named speed: the batches that speed trains in the
    `elapsed` seconds since the last frame (at most two frames' worth, so a page that stalled does
    not lurch ahead), and never more CPU time than the pace allows."""
    rate = SPEEDS[speed]
    if rate is None:
        return Budget(seconds=pace.work_seconds, goal=goal)
    elapsed = min(max(pace.interval if elapsed is None else elapsed, 0.0), 2 * pace.interval)
    batches = max(1, round(rate * elapsed * batches_per_epoch(trainer)))
    return Budget(seconds=pace.work_seconds, batches=batches, goal=goal)


@dataclass
class LiveRun:
    """A trainer, its history, where playing should stop, and the recent speed."""

    trainer: Trainer  # None once released (the server needed its memory)
    history: History = field(default_factory=History)
    start: float = 0.0  # epochs done when Play was pressed
    goal: float | None = None  # epochs to reach; None when paused
    target: float | None = None  # the goal of the last Play, kept when paused, for the progress bar
    _recent: deque = field(default_factory=lambda: deque(maxlen=40))  # (time, batches, examples)
    start_weights: torch.Tensor = field(init=False)  # (units, 28, 28) first-layer weights before
                                                     # any training
    start_norm: float = field(init=False)  # the norm of all its weights before any training

    def __post_init__(self) -> None:
        self.start_weights = first_layer_weights(self.trainer.model).clone()
        self.start_norm = weight_norm(self.trainer.model)
        self._record_norm(self.trainer)

    def _record_norm(self, trainer: Trainer) -> None:
        """The weights' norm now, at the epochs done so far: at the start and after every epoch."""
        self.history.weight_norm.add(trainer.progress, weight_norm(trainer.model))

    def pixel_weights(self, change: bool = False) -> torch.Tensor:
        """The first layer's weights as images, or how far training has moved them:
        (units, 28, 28)."""
        now = first_layer_weights(self.trainer.model)
        return now - self.start_weights if change else now

    @property
    def released(self) -> bool:
        """Whether the server has cleared this run's model to make room for others (see release)."""
        return self.trainer is None

    def release(self) -> None:
        """Drop the model, its optimiser and its data, so their memory can be freed; the run is
        over."""
        self.goal = None
        self.trainer = None

    @property
    def playing(self) -> bool:
        return self.goal is not None

    def play(self, epochs: int) -> None:
        """Start playing: train until `epochs` more whole epochs are done."""
        self.start = self.trainer.progress
        self.goal = self.target = math.floor(self.start) + max(1, epochs)

    def pause(self) -> None:
        self.goal = None

    def since_last_frame(self) -> float:
        """Seconds since the last chunk was trained (one frame's worth before the first)."""
        return time.perf_counter() - self._recent[-1][0] if self._recent else FRAME_SECONDS

    def step(self, budget: Budget) -> list[BatchEvent | EpochEvent]:
        """Train one chunk, record it, pause if the goal is reached or the loss diverged."""
        if self.goal is not None:
            budget.goal = self.goal
        events = advance(self.trainer, budget, self._record_norm)
        self.history.record(events)
        batches = [e for e in events if isinstance(e, BatchEvent)]
        self._recent.append((time.perf_counter(), len(batches), sum(e.batch_size for e in batches)))
        if (self.trainer.diverged
            or (self.goal is not None and self.trainer.progress >= self.goal - 1e-9)):
            self.pause()
        return events

    @property
    def fraction_done(self) -> float:
        """How far the last Play has got towards its goal, 0..1 (1 before any Play)."""
        if self.target is None or self.target <= self.start:
            return 1.0
        return min(1.0, max(0.0, (self.trainer.progress - self.start) / (self.target - self.start)))

    def speed(self, window: float = 2.0) -> tuple[float, float]:
        """Steps and examples per second of wall time over the last couple of seconds of frames."""
        now = time.perf_counter()
        recent = [r for r in self._recent if now - r[0] <= window]
        if len(recent) < 2:
            return 0.0, 0.0
        span = recent[-1][0] - recent[0][0]
        steps, examples = sum(r[1] for r in recent[1:]), sum(r[2] for r in recent[1:])
        return (steps / span, examples / span) if span > 0 else (0.0, 0.0)
