"""The chapter's jargon, measured on a real model: simple_net's parameters, the activations one
mini-batch of real digits produces, one backward pass and one SGD step, and which tensors that step
changed."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from lessonlib.loss import mnist_loss
from lessonlib.models import make_model
from lessonlib.optim import BasicOptim
from lessonlib.training import Split

BOOK_LR = 0.1  # the book's learning rate for simple_net


@dataclass(frozen=True)
class TensorInfo:
    """One tensor of the model at work: what it is, its shape, and what autograd and one step did
    with it."""

    name: str
    kind: str  # "input", "parameter", "activation" or "loss"
    shape: tuple[int, ...]
    requires_grad: bool
    has_grad: bool  # .grad was filled by backward()
    changed: bool  # the step changed its values in place

    @property
    def rank(self) -> int:
        return len(self.shape)


@dataclass(frozen=True)
class Anatomy:
    """simple_net on one mini-batch: every tensor, the loss before and after one step, and a few
    measurements."""

    tensors: list[TensorInfo]
    layers: list[str]  # each layer's class name, in order
    batch_counts: tuple[int, int]  # images of the first and the second digit in the batch
    loss_before: float
    loss_after: float  # on the same batch, after one step
    relu_zeros: float  # share of the ReLU's outputs that are 0 on this batch
    largest_step: float  # max |lr · grad| over every parameter
    output_moved: float  # max change of the output activations when the batch goes through again

    def of_kind(self, kind: str) -> list[TensorInfo]:
        return [t for t in self.tensors if t.kind == kind]

    @property
    def changed_kinds(self) -> set[str]:
        """The kinds of tensor one SGD step changed."""
        return {t.kind for t in self.tensors if t.changed}


def first_batch(split: Split, batch_size: int = 256,
                seed: int = 42) -> tuple[torch.Tensor, torch.Tensor]:
    """The first shuffled mini-batch the training page would draw with this seed: xb (B, 784), yb
    (B, 1)."""
    # (B,)
    order = torch.randperm(len(split.x), generator=torch.Generator().manual_seed(seed))[:batch_size]
    return split.x[order], split.y[order]


def anatomy(xb: torch.Tensor, yb: torch.Tensor, hidden: int = 30, seed: int = 42,
            lr: float = BOOK_LR) -> Anatomy:
    """Run simple_net forward on the batch, backward, and one BasicOptim step; report on every
    tensor."""
    model = make_model("simple_net", hidden, seed)
    activations, h = [], xb  # (B, 784)
    for name, layer in model.named_children():
        h = layer(h)  # (B, hidden), (B, hidden), then (B, 1)
        activations.append((f"{name}: {type(layer).__name__}", h))
    loss = mnist_loss(h, yb)  # ()
    loss.backward()
    params = list(model.named_parameters())
    before = {id(t): t.detach().clone()
              for t in [xb, *(p for _, p in params), *(a for _, a in activations), loss]}
    largest_step = max((lr * p.grad).abs().max().item() for _, p in params)
    BasicOptim(model.parameters(), lr).step()

    def info(name: str, kind: str, t: torch.Tensor) -> TensorInfo:
        has_grad = t.is_leaf and t.grad is not None  # backward() fills .grad of leaves only: what
                                                     # we made, not computed
        return TensorInfo(name, kind, tuple(t.shape), t.requires_grad, has_grad,
                          not torch.equal(before[id(t)], t.detach()))

    tensors = [info("xb", "input", xb), *(info(n, "parameter", p) for n, p in params),
               *(info(n, "activation", a) for n, a in activations), info("loss", "loss", loss)]
    with torch.no_grad():
        again = model(xb)  # (B, 1)
        after = mnist_loss(again, yb).item()
        moved = (again - activations[-1][1]).abs().max().item()
        relu_zeros = (activations[1][1] == 0).float().mean().item()
    first = int((yb == 1).sum())
    return Anatomy(tensors, [type(m).__name__ for m in model.children()], (first, len(yb) - first),
                   loss.item(), after, relu_zeros, largest_step, moved)


QUIZ = ("only the parameters", "only the activations", "parameters and activations",
        "the input images too")


def what_changed(kinds: set[str]) -> str:
    """The quiz's choice that matches the kinds of tensor a step changed."""
    if "input" in kinds:
        return QUIZ[3]
    if "parameter" in kinds and "activation" in kinds:
        return QUIZ[2]
    return QUIZ[1] if "activation" in kinds else QUIZ[0]


@dataclass(frozen=True)
class Term:
    """A word of the book's recap: its meaning in one line, and the app's pages (url paths) that
    show it live."""

    name: str
    meaning: str
    pages: tuple[str, ...]


TERMS = (
    Term("Activations",
         "Numbers a layer computes from its input; a forward pass computes new ones.",
         ("nonlinearity", "training")),
    Term("Parameters", "Numbers that start random and that SGD changes: the weights and biases "
         "that define the model.", ("training", "optimiser")),
    Term("Tensor",
         "A regularly shaped array of numbers; activations and parameters are all kept in tensors.",
         ("pixels",)),
    Term("Rank", "How many axes a tensor has: rank 0 is a scalar, 1 a vector, 2 a matrix. A rank-3 "
         "tensor is a stack of matrices, not a matrix.", ("pixels",)),
    Term("Linear layer", "Multiplies its input by a weight matrix and adds a bias: `x @ W.T + b`.",
         ("training",)),
    Term("Nonlinear layer", "Any layer that is not linear, between the linear ones; without it, "
         "stacked linear layers add up to one linear layer.",
         ("nonlinearity", "deeper", "training")),
    Term("Activation function", "Another name for a nonlinearity such as ReLU; not the same as the "
         "activations, the numbers it computes.", ("nonlinearity", "training")),
    Term("ReLU", "Returns 0 for negative numbers and leaves positive ones unchanged: `max(0, x)`.",
         ("nonlinearity", "training")),
    Term("Mini-batch", "A few inputs and their labels gathered into two tensors; SGD takes one "
         "step per mini-batch.", ("minibatches", "training")),
    Term("Forward pass",
         "Applying the model to inputs: computing the activations, up to the predictions.",
         ("mnist-loss", "training")),
    Term("Loss", "One number saying how well or badly the model does; SGD makes it smaller.",
         ("mnist-loss", "training")),
    Term("Gradient", "The derivative of the loss with respect to a parameter: how the loss changes "
         "when that parameter changes a little.", ("gradient",)),
    Term("Backward pass",
         "Computing the gradient of the loss with respect to every parameter: `loss.backward()`.",
         ("gradient",)),
    Term("Gradient descent",
         "Moving every parameter a little against its gradient, to make the loss smaller.",
         ("gradient", "optimiser")),
    Term("Learning rate",
         "How big that step is: the multiple of the gradient subtracted from each parameter.",
         ("gradient", "training")),
)


def _shape(t: TensorInfo) -> str:
    return str(t.shape)  # as Python writes it: (30,) for one axis, () for none


def examples(a: Anatomy, digits: tuple[int, int], lr: float = BOOK_LR) -> dict[str, str]:
    """Each term's live example, in words, from simple_net at work on one mini-batch."""
    p = {t.name: t for t in a.of_kind("parameter")}
    acts, (xb,), (loss,) = a.of_kind("activation"), a.of_kind("input"), a.of_kind("loss")
    first, relu, out = acts[0], acts[1], acts[-1]
    total = sum(math.prod(t.shape) for t in p.values())
    batch = xb.shape[0]
    flow = " → ".join([_shape(xb), *(_shape(t) for t in acts)])
    return {
        "Activations": f"This batch makes {_shape(first)} after the first linear layer, "
                       f"{_shape(relu)} after ReLU and {_shape(out)} at the end: one output "
                       f"activation per image.",
        "Parameters": f"simple_net's {len(p)} parameter tensors, "
                      + ", ".join(f"`{n}` {_shape(t)}" for n, t in p.items())
                      + f": {total:,} numbers.",
        "Tensor": f"The mini-batch `xb` is a tensor of shape {_shape(xb)}: {batch} images of 784 "
                  f"pixels.",
        "Rank": f"The loss has shape () — rank 0, a scalar; `0.bias` {_shape(p['0.bias'])} — rank "
                f"1, a vector; `0.weight` {_shape(p['0.weight'])} — rank 2, a matrix; the batch as "
                f"images, `xb.view(-1, 28, 28)`, ({batch}, 28, 28) — rank 3, a stack of {batch} "
                f"matrices.",
        "Linear layer": f"Layer 0 turns {_shape(xb)} into {_shape(first)} with `0.weight` "
                        f"{_shape(p['0.weight'])} and `0.bias` {_shape(p['0.bias'])}.",
        "Nonlinear layer": f"Layer 1, {a.layers[1]}, sits between the two linear layers: "
                           f"{_shape(relu)} in and out.",
        "Activation function": f"simple_net's is {a.layers[1]}; `mnist_loss` then squashes the "
                               f"output with a sigmoid.",
        "ReLU": f"On this batch it set {a.relu_zeros:.1%} of its {math.prod(relu.shape):,} inputs "
                f"to 0.",
        "Mini-batch": f"The first shuffled batch: {a.batch_counts[0]} {digits[0]}s and "
                      f"{a.batch_counts[1]} {digits[1]}s; `xb` {_shape(xb)}, `yb` ({batch}, 1).",
        "Forward pass": f"`model(xb)`: {flow}, one prediction per image.",
        "Loss": f"`mnist_loss` on this batch: {a.loss_before:.4f} (a rank-0 tensor, "
                f"{_shape(loss)}).",
        "Gradient": f"`0.weight.grad` has `0.weight`'s shape, {_shape(p['0.weight'])}: one slope "
                    f"per weight.",
        "Backward pass": f"`loss.backward()` filled `.grad` for "
                         f"{sum(t.has_grad for t in p.values())} of the {len(p)} parameters and "
                         f"for {sum(t.has_grad for t in acts)} of the {len(acts)} activations.",
        "Gradient descent": f"One step at lr {lr:g} took this batch's loss from "
                            f"{a.loss_before:.4f} to {a.loss_after:.4f}.",
        "Learning rate": f"{lr:g}, the book's for simple_net: the largest change to any parameter "
                         f"in that step was {a.largest_step:.2g}.",
    }
