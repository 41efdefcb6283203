"""Two linear layers with nothing between them are one linear layer: multiply out the weights,
combine the biases."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from lessonlib.models import N_PIXELS


def two_linear_layers(hidden: int = 30, outputs: int = 1, seed: int = 42) -> nn.Sequential:
    """simple_net without its ReLU: 784 -> hidden -> outputs, random weights from the seed."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(N_PIXELS, hidden), nn.Linear(hidden, outputs))


@torch.no_grad()
def collapse(layers: nn.Sequential) -> nn.Linear:
    """The one linear layer that computes the same as two: W = W2 @ W1 and b = W2 @ b1 + b2."""
    first, second = layers[0], layers[1]
    one = nn.Linear(first.in_features, second.out_features)
    one.weight.copy_(second.weight @ first.weight)  # (outputs, hidden) @ (hidden, 784) -> (outputs,
                                                    # 784)
    # (outputs, hidden) @ (hidden,) + (outputs,)
    one.bias.copy_(second.weight @ first.bias + second.bias)
    return one


@dataclass(frozen=True)
class Collapsed:
    """Both models' outputs on the same images, and how far apart they are."""

    two: torch.Tensor  # (N, outputs) from the two layers
    one: torch.Tensor  # (N, outputs) from the collapsed layer
    max_difference: float  # the largest |two − one|
    largest_output: float  # the largest |two|, to judge the difference against
    parameters_two: int
    parameters_one: int

    @property
    def same(self) -> bool:
        """Equal to within float32 rounding: relative 1e-5 of the outputs' size."""
        return self.max_difference <= 1e-5 * max(1.0, self.largest_output)


@torch.no_grad()
def compare(layers: nn.Sequential, x: torch.Tensor) -> Collapsed:
    """Run images x (N, 784) through the two layers and through their collapse: (N, outputs)
    each."""
    one = collapse(layers)
    two_out, one_out = layers(x), one(x)
    count = lambda m: sum(p.numel() for p in m.parameters())
    return Collapsed(two_out, one_out, (two_out - one_out).abs().max().item(),
                     two_out.abs().max().item(), count(layers), count(one))
