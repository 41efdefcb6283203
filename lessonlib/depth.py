"""Deeper against wider: nets of linear layers with a ReLU between each pair, trained by the
project's loop, to see how many parameters each needs for its accuracy."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from lessonlib.data import DigitData
from lessonlib.models import N_PIXELS
from lessonlib.optim import BasicOptim
from lessonlib.training import EpochEvent, TrainConfig, Trainer, make_trainer

NETS = {"one hidden layer of 30 (simple_net)": (30,), "one hidden layer of 480": (480,),
        "three hidden layers of 16": (16, 16, 16)}  # name -> hidden widths


def mlp(widths: tuple[int, ...], outputs: int = 1) -> nn.Sequential:
    """784 -> widths[0] -> ReLU -> … -> widths[-1] -> ReLU -> outputs."""
    layers, inputs = [], N_PIXELS
    for width in widths:
        layers += [nn.Linear(inputs, width), nn.ReLU()]
        inputs = width
    return nn.Sequential(*layers, nn.Linear(inputs, outputs))


def parameters_of(model: nn.Module) -> int:
    """How many numbers SGD changes in a model."""
    return sum(p.numel() for p in model.parameters())


def trainer_for(model: nn.Module, data: DigitData, digits: tuple[int, int],
                config: TrainConfig) -> Trainer:
    """The project's Trainer on the data, training `model` instead of one from MODELS."""
    trainer = make_trainer(data, digits, config)
    trainer.model, trainer.opt = model, BasicOptim(model.parameters(), config.learning_rate,
                                                   config.momentum)
    return trainer


@dataclass(frozen=True)
class DepthResult:
    name: str
    widths: tuple[int, ...]
    parameters: int
    accuracy: float  # validation accuracy after the last epoch


def compare(data: DigitData, digits: tuple[int, int], epochs: int = 40, learning_rate: float = 0.1,
            seed: int = 42) -> list[DepthResult]:
    """Each net of NETS trained the same way (simple_net's recipe: batch 256, plain SGD,
    mnist_loss), from the seed."""
    results = []
    for name, widths in NETS.items():
        # the data order comes from the seed
        config = TrainConfig("simple_net", learning_rate, 256, seed=seed)
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            model = mlp(widths)
        trainer = trainer_for(model, data, digits, config)
        last = [e for e in trainer.fit(epochs) if isinstance(e, EpochEvent)][-1:]
        results.append(DepthResult(name, widths, parameters_of(model),
                                   last[0].valid_accuracy if last else 0.0))
    return results
