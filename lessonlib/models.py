"""The chapter's models, declared once each in MODELS: how to build one and how to read its weights.

resnet18 comes from torchvision, imported only when one is built: importing it adds about 170 MB to
a process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

N_PIXELS = 28 * 28


def init_params(size: tuple[int, ...], std: float = 1.0) -> torch.Tensor:
    """Random starting weights, as the book's init_params: randn(size) * std, requiring
    gradients."""
    return (torch.randn(size) * std).requires_grad_()


def linear1(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """The hand-written linear model: (B, 784) @ (784, 1) + (1,) -> (B, 1)."""
    return xb @ weights + bias


class Linear1(nn.Module):
    """linear1 with its weights and bias held as parameters; `outputs` columns of weights
    (1 for two digits)."""

    def __init__(self, outputs: int = 1):
        super().__init__()
        self.weights = nn.Parameter(init_params((N_PIXELS, outputs)))
        self.bias = nn.Parameter(init_params((outputs,)))

    def forward(self, xb: torch.Tensor) -> torch.Tensor:
        return linear1(xb, self.weights, self.bias)


def linear(hidden: int, outputs: int = 1) -> nn.Module:
    """PyTorch's linear layer, the same model as linear1: 784 -> 1 (or -> one output per class)."""
    return nn.Linear(N_PIXELS, outputs)


def simple_net(hidden: int = 30, outputs: int = 1) -> nn.Module:
    """Two linear layers with a ReLU between: 784 -> hidden -> 1 (or -> one output per class)."""
    return nn.Sequential(nn.Linear(N_PIXELS, hidden), nn.ReLU(), nn.Linear(hidden, outputs))


VALID_CHUNK = 500  # resnet18 validates this many images at a time, to bound the memory a visitor's
                   # check takes


class Resnet18(nn.Module):
    """torchvision's resnet18, not pretrained, for MNIST rows: (N, 784) -> (N, 1, 28, 28) -> (N,
    outputs).

    As the book's resnet18 it has 18 layers with weights (17 convolutions and a linear layer) and
    BatchNorm after every convolution. Two changes fit it to these digits: its first convolution
    reads 1 channel (grey) instead of 3 (RGB), and its last layer gives `outputs` activations. With
    gradients off (a validation pass, a prediction) it predicts as a trained network does, in eval
    mode: each BatchNorm uses the averages it kept during training, not the statistics of the batch
    at hand, so an image's prediction does not depend on the images beside it."""

    def __init__(self, outputs: int = 1):
        super().__init__()
        from torchvision.models import resnet18  # here, not at the top: only a resnet18 needs
                                                 # torchvision

        # weights=None: random, as pretrained=False
        self.net = resnet18(weights=None, num_classes=outputs)
        # 1 channel in, not 3
        self.net.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)

    def forward(self, xb: torch.Tensor) -> torch.Tensor:
        images = xb.view(-1, 1, 28, 28)  # (N, 784) -> (N, 1, 28, 28)
        if torch.is_grad_enabled():
            return self.net(images)  # training: BatchNorm uses the batch's statistics and updates
                                     # its averages
        was_training = self.net.training
        self.net.eval()
        try:
            # (N, outputs)
            return torch.cat([self.net(chunk) for chunk in images.split(VALID_CHUNK)])
        finally:
            self.net.train(was_training)


def resnet18(hidden: int = 0, outputs: int = 1) -> nn.Module:
    """The book's 'going deeper' model: torchvision's resnet18 with random weights, for 28×28 grey
    digits."""
    return Resnet18(outputs)


@dataclass(frozen=True)
class ModelSpec:
    """One model of the chapter: its name on screen, how to build it, the book's learning rate for
    it, the functions "Show the code" shows, and how to read its first-layer weights as pictures."""

    label: str  # {n}: the number of outputs
    build: Callable[[int, int], nn.Module]  # (hidden units, outputs) -> a model with fresh random
                                            # weights
    book_lr: float
    code: tuple[Callable | type, ...]
    weights_note: str
    hidden: bool = False  # takes a number of hidden units: its first-layer pictures are units, not
                          # outputs
    on_training_page: bool = True  # offered by the training page (its Play, sweep, weight pictures
                                   # and files)


MODELS: dict[str, ModelSpec] = {
    "linear1": ModelSpec(
        "linear1 — xb @ weights + bias by hand, weights (784, {n})",
        lambda hidden, outputs: Linear1(outputs), 1.0, (init_params, linear1, Linear1),
        "linear1 starts from `randn` weights of size about 1, so the picture stays noisy; "
        "choose **change since the start** to see what SGD has added."),
    "linear": ModelSpec(
        "nn.Linear(28*28, {n})", linear, 1.0, (linear,),
        "nn.Linear starts from small random weights, so the picture soon shows where the digits "
        "differ."),
    "simple_net": ModelSpec(
        "simple_net — 784 → hidden → ReLU → {n}", simple_net, 0.1, (simple_net,),
        "Each small image is one hidden unit: the 784 weights it gives the pixels before its ReLU. "
        "The second layer then weighs the units' outputs.", hidden=True),
    # Not on the training page: an epoch takes seconds instead of milliseconds, so its Play, its
    # 8-rate sweep and its speeds do not fit; its first layer is 64 filters of 7×7, not pictures of
    # 784 pixel weights; and its weights (11 million numbers, about 45 MB) are far over the page's
    # weights-file limits. The deeper page trains it.
    "resnet18": ModelSpec(
        "resnet18 — torchvision, not pretrained, 1 channel in, {n} out", resnet18, 0.1,
        (Resnet18, resnet18),
        "Each small image is one of the 64 filters of resnet18's first convolution: 7×7 weights it "
        "slides over the digit.", on_training_page=False),
}


def make_model(name: str, hidden: int = 30, seed: int = 0, outputs: int = 1) -> nn.Module:
    """A freshly initialised model, the same for the same name, hidden size, seed and number of
    outputs."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    with torch.random.fork_rng():
        torch.manual_seed(seed)  # the models draw their weights from the global generator
        return MODELS[name].build(hidden, outputs)


def probabilities(activations: torch.Tensor) -> torch.Tensor:
    """Each class's probability, in the order of the labels: one output (N, 1) -> [sigmoid, 1 −
    sigmoid] (N, 2); one output per class (N, C) -> softmax (N, C)."""
    if activations.shape[1] == 1:
        p = activations.sigmoid()
        return torch.cat([p, 1 - p], dim=1)
    return activations.softmax(dim=1)


@torch.no_grad()
def predict_probabilities(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Each class's probability for each image: (N, 28, 28) -> (N, 784) -> activations -> (N, C)."""
    return probabilities(model(images.reshape(len(images), N_PIXELS)))


def first_layer_weights(model: nn.Module) -> torch.Tensor:
    """The weights each first-layer unit gives the 784 pixels, as images: (units, 784) -> (units,
    28, 28); for resnet18 its first convolution's filters: (64, 1, 7, 7) -> (64, 7, 7)."""
    if isinstance(model, Resnet18):
        return model.net.conv1.weight.detach().reshape(-1, 7, 7)
    if isinstance(model, Linear1):
        w = model.weights.T  # (784, 1) -> (1, 784)
    elif isinstance(model, nn.Linear):
        w = model.weight
    elif isinstance(model, nn.Sequential) and isinstance(model[0], nn.Linear):
        w = model[0].weight  # (hidden, 784)
    else:
        raise ValueError(f"no pixel weights for {type(model).__name__}")
    return w.detach().reshape(-1, 28, 28)
