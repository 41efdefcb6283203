"""BatchNorm's two ways to normalise: with the statistics of the batch at hand (training) or with
the running averages it kept of them (validation), and how much of those averages is still their
starting value."""

from __future__ import annotations

import copy

import torch
from torch import nn

from lessonlib import tenclass
from lessonlib.loss import batch_accuracy
from lessonlib.training import Split


def layers(model: nn.Module) -> list[nn.modules.batchnorm._BatchNorm]:
    """Every BatchNorm layer of a model."""
    return [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]


def starting_share(momentum: float, steps: int) -> float:
    """The share of a running average still made of its starting value after `steps` training steps,
    each of which moves it `momentum` of the way to the batch's statistic: (1 − momentum)^steps."""
    return (1 - momentum) ** steps


@torch.no_grad()
def batch_statistics_accuracy(model: nn.Module, valid: Split, batch_size: int = 64,
                              seed: int = 0) -> float:
    """Validation accuracy when every BatchNorm normalises each shuffled batch of `batch_size`
    validation images with that batch's own mean and variance, as in training, instead of its
    running averages. Runs on a copy: the model and its averages stay as they are."""
    twin = copy.deepcopy(model).requires_grad_(False)  # no gradients are needed, so none are
                                                       # recorded
    for bn in layers(twin):
        bn.train()
        bn.track_running_stats = False  # use the batch's statistics and leave the averages alone
    order = torch.randperm(len(valid.x), generator=torch.Generator().manual_seed(seed))
    outputs = torch.empty(len(valid.x), valid.outputs)
    with torch.enable_grad():  # as in training: a model that predicts differently without gradients
                               # (Resnet18)
        for idx in order.split(batch_size):
            outputs[idx] = twin(valid.x[idx])  # (B, outputs)
    metric = tenclass.accuracy if valid.multiclass else batch_accuracy
    return metric(outputs, valid.y).item()
