"""The chapter's training loop three ways, from the same seed on the same batches: the book's
BasicOptim, torch.optim.SGD, and a Learner; and how far apart their weights end up."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import torch
from torch import nn

from lessonlib.learner import DataLoader, DataLoaders, Learner, train_model
from lessonlib.loss import batch_accuracy, mnist_loss
from lessonlib.models import make_model
from lessonlib.optim import BasicOptim
from lessonlib.training import Split, TrainConfig, Trainer

WAYS = ("BasicOptim", "torch.optim.SGD", "Learner")
AGREEMENT = ("identical", "close", "different")  # how the final weights compare, as the page asks
CLOSE = 1e-5  # at most this far apart: float32 rounding (its eps is 1.2e-7), not a different
              # training


@dataclass(frozen=True)
class WayResult:
    """One way's trained model and its per-epoch rows: [train loss, validation loss, validation
    accuracy]."""

    way: str
    model: nn.Module
    rows: list[list[float]]

    @property
    def accuracy(self) -> float:
        return self.rows[-1][2]


@dataclass(frozen=True)
class Comparison:
    """Every way's result, and the largest difference between any two ways' weights, pair by
    pair."""

    results: dict[str, WayResult]
    differences: dict[tuple[str, str], float]
    trainer_difference: float  # BasicOptim's weights against the training page's Trainer, same
                               # config

    @property
    def largest(self) -> float:
        return max(self.differences.values())


def dataloaders(train: Split, valid: Split, config: TrainConfig) -> DataLoaders:
    """Shuffled training batches drawn from the config's seed; validation batches in order."""
    return DataLoaders(DataLoader(train, config.batch_size, shuffle=True, seed=config.seed),
                       DataLoader(valid, config.batch_size))


def fresh_model(config: TrainConfig) -> nn.Module:
    """The config's model with its seed's starting weights: the same for every way."""
    return make_model(config.model, config.hidden, config.seed)


def by_basic_optim(train: Split, valid: Split, config: TrainConfig, epochs: int) -> WayResult:
    """The book's loop with its own optimiser class."""
    model = fresh_model(config)
    opt = BasicOptim(model.parameters(), config.learning_rate)
    rows = train_model(model, dataloaders(train, valid, config), opt, epochs, mnist_loss,
                       [batch_accuracy])
    return WayResult(WAYS[0], model, rows)


def by_torch_sgd(train: Split, valid: Split, config: TrainConfig, epochs: int) -> WayResult:
    """The same loop with PyTorch's optimiser."""
    model = fresh_model(config)
    opt = torch.optim.SGD(model.parameters(), lr=config.learning_rate)
    rows = train_model(model, dataloaders(train, valid, config), opt, epochs, mnist_loss,
                       [batch_accuracy])
    return WayResult(WAYS[1], model, rows)


def by_learner(train: Split, valid: Split, config: TrainConfig, epochs: int) -> WayResult:
    """The same again, as fastai's Learner is called in the book."""
    learn = Learner(dataloaders(train, valid, config), fresh_model(config),
                    opt_func=torch.optim.SGD, loss_func=mnist_loss, metrics=batch_accuracy)
    learn.fit(epochs, lr=config.learning_rate)
    return WayResult(WAYS[2], learn.model, learn.recorder.values)


def largest_difference(a: nn.Module, b: nn.Module) -> float:
    """max |a − b| over every weight and bias of two models of the same shape."""
    return max((p - q).abs().max().item()
               for p, q in zip(a.parameters(), b.parameters(), strict=True))


def compare(train: Split, valid: Split, config: TrainConfig, epochs: int) -> Comparison:
    """Train all three ways (and the training page's Trainer) and measure how far apart their
    weights are."""
    results = {r.way: r for r in (f(train, valid, config, epochs)
                                  for f in (by_basic_optim, by_torch_sgd, by_learner))}
    differences = {(a, b): largest_difference(results[a].model, results[b].model)
                   for a, b in itertools.combinations(WAYS, 2)}
    trainer = Trainer(train, valid, TrainConfig(config.model, config.learning_rate,
                                                config.batch_size, config.hidden, config.seed))
    for _ in trainer.fit(epochs):
        pass
    return Comparison(results, differences,
                      largest_difference(results[WAYS[0]].model, trainer.model))


def agreement(largest: float) -> str:
    """"identical" when no weight differs at all, "close" within CLOSE, else "different"."""
    return AGREEMENT[0] if largest == 0 else AGREEMENT[1] if largest <= CLOSE else AGREEMENT[2]


def exact_multiple(learning_rate: float) -> bool:
    """Whether multiplying a float32 by this rate is exact (barring overflow): a power of two, as 1
    or 0.5."""
    return learning_rate > 0 and math.frexp(learning_rate)[0] == 0.5
