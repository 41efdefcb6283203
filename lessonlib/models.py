"""The chapter's models, their loss and their metric: one output for two digits, or one output per class."""

from __future__ import annotations

import torch
from torch import nn

MODELS = ("linear1", "linear", "simple_net")
BOOK_LEARNING_RATES = {"linear1": 1.0, "linear": 1.0, "simple_net": 0.1}  # the rates the chapter trains them with
N_PIXELS = 28 * 28


def init_params(size: tuple[int, ...], std: float = 1.0, generator: torch.Generator | None = None) -> torch.Tensor:
    """Random starting weights, as the book's init_params: randn(size) * std, requiring gradients."""
    return (torch.randn(size, generator=generator) * std).requires_grad_()


def linear1(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """The hand-written linear model: (B, 784) @ (784, 1) + (1,) -> (B, 1)."""
    return xb @ weights + bias


class Linear1(nn.Module):
    """linear1 with its weights and bias held as parameters; `outputs` columns of weights (1 for two digits)."""

    def __init__(self, generator: torch.Generator | None = None, outputs: int = 1):
        super().__init__()
        self.weights = nn.Parameter(init_params((N_PIXELS, outputs), generator=generator))
        self.bias = nn.Parameter(init_params((outputs,), generator=generator))

    def forward(self, xb: torch.Tensor) -> torch.Tensor:
        return linear1(xb, self.weights, self.bias)


def simple_net(hidden: int = 30, outputs: int = 1) -> nn.Module:
    """Two linear layers with a ReLU between: 784 -> hidden -> 1 (or -> one output per class)."""
    return nn.Sequential(nn.Linear(N_PIXELS, hidden), nn.ReLU(), nn.Linear(hidden, outputs))


def make_model(name: str, hidden: int = 30, seed: int = 0, outputs: int = 1) -> nn.Module:
    """A freshly initialised model, the same for the same name, hidden size, seed and number of outputs."""
    g = torch.Generator().manual_seed(seed)
    if name == "linear1":
        return Linear1(g, outputs)
    with torch.random.fork_rng():
        torch.manual_seed(seed)  # nn.Linear draws from the global generator
        if name == "linear":
            return nn.Linear(N_PIXELS, outputs)
        if name == "simple_net":
            return simple_net(hidden, outputs)
    raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")


def mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The book's loss: squash activations with sigmoid, then the mean distance from each target."""
    predictions = predictions.sigmoid()
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def batch_accuracy(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Share of activations on the right side of 0.5 after sigmoid."""
    correct = (predictions.sigmoid() > 0.5) == targets
    return correct.float().mean()


def probabilities(activations: torch.Tensor) -> torch.Tensor:
    """Each class's probability, in the order of the labels: one output (N, 1) -> [sigmoid, 1 − sigmoid] (N, 2);
    one output per class (N, C) -> softmax (N, C)."""
    if activations.shape[1] == 1:
        p = activations.sigmoid()
        return torch.cat([p, 1 - p], dim=1)
    return activations.softmax(dim=1)


@torch.no_grad()
def predict_probabilities(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Each class's probability for each image: (N, 28, 28) -> (N, 784) -> activations -> (N, C)."""
    return probabilities(model(images.reshape(len(images), N_PIXELS)))


def first_layer_weights(model: nn.Module) -> torch.Tensor:
    """The weights each first-layer unit gives the 784 pixels, as images: (units, 784) -> (units, 28, 28)."""
    if isinstance(model, Linear1):
        w = model.weights.T  # (784, 1) -> (1, 784)
    elif isinstance(model, nn.Linear):
        w = model.weight
    elif isinstance(model, nn.Sequential) and isinstance(model[0], nn.Linear):
        w = model[0].weight  # (hidden, 784)
    else:
        raise ValueError(f"no pixel weights for {type(model).__name__}")
    return w.detach().reshape(-1, 28, 28)
