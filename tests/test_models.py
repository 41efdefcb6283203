"""The chapter's models, loss and metric against hand computations."""

import math

import pytest
import torch
from torch import nn

from lessonlib import loss, mistakes, models


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_mnist_loss_matches_the_books_hand_computation():
    # the book: targets [1, 0, 1], predictions (after sigmoid) [0.9, 0.4, 0.2] -> mean(0.1, 0.4,
    # 0.8)
    preds = torch.tensor([[logit(0.9)], [logit(0.4)], [logit(0.2)]])
    targets = torch.tensor([[1.0], [0.0], [1.0]])
    assert loss.mnist_loss(preds, targets).item() == pytest.approx((0.1 + 0.4 + 0.8) / 3, abs=1e-6)


def test_mnist_loss_gradient_matches_hand_derivative():
    # d/da mean(1 - sigmoid(a)) over one target-1 element = -sigmoid(a)(1 - sigmoid(a))
    a = torch.tensor([[0.3]], requires_grad=True)
    loss.mnist_loss(a, torch.tensor([[1.0]])).backward()
    s = 1 / (1 + math.exp(-0.3))
    assert a.grad.item() == pytest.approx(-s * (1 - s), abs=1e-6)


def test_batch_accuracy_counts_the_right_side_of_one_half():
    acts = torch.tensor([[2.0], [-1.0], [0.5], [-3.0], [0.0]])
    targets = torch.tensor([[1.0], [1.0], [0.0], [0.0], [0.0]])
    # right, wrong, wrong, right, right (sigmoid(0) = 0.5 is not > 0.5, so it predicts 0)
    assert loss.batch_accuracy(acts, targets).item() == pytest.approx(3 / 5)


def test_linear1_is_weights_at_x_plus_bias():
    g = torch.Generator().manual_seed(0)
    xb, w, b = (torch.randn(4, 784, generator=g), torch.randn(784, 1, generator=g),
                torch.randn(1, generator=g))
    expected = torch.tensor([[sum(xb[i, j].item() * w[j, 0].item() for j in range(784)) + b.item()]
                             for i in range(4)])
    assert torch.allclose(models.linear1(xb, w, b), expected, atol=1e-4)


def test_linear1_starts_from_randn_and_the_seed_decides_the_weights():
    m = models.make_model("linear1", seed=1)
    assert m.weights.shape == (784, 1) and m.bias.shape == (1,)
    assert 0.9 < m.weights.std().item() < 1.1  # randn, std 1, as init_params
    assert torch.equal(m.weights, models.make_model("linear1", seed=1).weights)
    assert not torch.equal(m.weights, models.make_model("linear1", seed=2).weights)


@pytest.mark.parametrize("name", models.MODELS)
def test_every_model_maps_a_batch_to_one_activation_each_and_is_reproducible(name):
    x = torch.rand(5, 784)
    a, b = models.make_model(name, hidden=7, seed=3), models.make_model(name, hidden=7, seed=3)
    assert a(x).shape == (5, 1)
    assert torch.equal(a(x), b(x))
    assert not torch.equal(a(x), models.make_model(name, hidden=7, seed=4)(x))


def test_make_model_does_not_disturb_the_global_generator():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    models.make_model("simple_net", seed=9)
    assert torch.equal(torch.rand(3), expected)


def test_simple_net_layers():
    net = models.simple_net(16)
    assert [type(m) for m in net] == [nn.Linear, nn.ReLU, nn.Linear]
    assert net[0].weight.shape == (16, 784) and net[2].weight.shape == (1, 16)


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="unknown model"):
        models.make_model("resnet")


@pytest.mark.parametrize("name,units", [("linear1", 1), ("linear", 1), ("simple_net", 12)])
def test_first_layer_weights_as_images_keep_pixel_order(name, units):
    m = models.make_model(name, hidden=12, seed=0)
    images = models.first_layer_weights(m)
    assert images.shape == (units, 28, 28)
    flat = m.weights.T if name == "linear1" else (m.weight if name == "linear" else m[0].weight)
    assert images[0, 3, 5].item() == flat[0, 3 * 28 + 5].item()  # row 3, column 5 is pixel 3·28 + 5


def test_mistake_losses():
    acts = torch.tensor([[3.0], [-2.0]], requires_grad=True)
    targets = torch.tensor([[1.0], [0.0]])
    assert mistakes.unsquashed_loss(acts, targets).item() == pytest.approx(((1 - 3) + (-2)) / 2)
    acc = mistakes.accuracy_loss(acts, targets)
    assert acc.item() == 0.0 and not acc.requires_grad  # a step function: nothing to differentiate
    assert mistakes.loss_function(()) is loss.mnist_loss
    assert mistakes.loss_function({"no_sigmoid"}) is mistakes.unsquashed_loss
    with pytest.raises(ValueError, match="unknown mistakes"):
        mistakes.loss_function({"typo"})


@pytest.mark.parametrize("name", list(models.MODELS))
def test_every_model_spec_is_complete_and_true_to_the_book(name):
    """A new model is one spec: it must build for two digits and for ten, show real code, name its
    outputs in its label, and train at the book's learning rate where the book reports one."""
    from lessonlib import book
    from ui.core import source_text

    spec = models.MODELS[name]
    for outputs in (1, 10):
        m = models.make_model(name, hidden=5, seed=0, outputs=outputs)
        assert m(torch.rand(3, 784)).shape == (3, outputs)
        units = models.first_layer_weights(m).shape[0]
        if spec.on_training_page:  # the training page's weight pictures: hidden units, or one map
                                   # per output
            assert units == (5 if spec.hidden else outputs)
    assert "{n}" in spec.label
    assert spec.weights_note and all(source_text(fn).lstrip().startswith(("def", "class"))
                                     for fn in spec.code)
    if name in book.RESULTS:
        assert spec.book_lr == book.RESULTS[name].learning_rate
