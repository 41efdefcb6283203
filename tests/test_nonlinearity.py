"""Adding a nonlinearity: collapsed linear layers, ReLU, sums of ReLUs and simple_net's hidden
layer, against numpy, torch.optim.SGD and hand counts."""

import copy

import numpy as np
import pytest
import torch
from torch import nn

from lessonlib import collapse, depth, hidden, models, relu, relusum


def f64(t: torch.Tensor) -> np.ndarray:
    return t.detach().double().numpy()


def test_two_linear_layers_collapse_into_one_computed_in_float64():
    layers = collapse.two_linear_layers(hidden=7, outputs=3, seed=1)
    x = torch.rand(50, 784, generator=torch.Generator().manual_seed(0))
    (w1, b1), (w2, b2) = [(f64(m.weight), f64(m.bias)) for m in layers]
    reference = (f64(x) @ w1.T + b1) @ w2.T + b2  # the two layers, in float64
    one = collapse.collapse(layers)
    assert (np.allclose(f64(one.weight), w2 @ w1, atol=1e-6)
            and np.allclose(f64(one.bias), w2 @ b1 + b2, atol=1e-6))
    assert np.allclose(f64(one(x)), reference, atol=1e-5)
    r = collapse.compare(layers, x)
    assert r.same and r.max_difference < 1e-5
    assert (r.parameters_two, r.parameters_one) == (784 * 7 + 7 + 7 * 3 + 3, 784 * 3 + 3)


def test_the_comparison_notices_two_models_that_differ():
    layers = collapse.two_linear_layers(hidden=4, seed=2)
    with torch.no_grad():
        other = copy.deepcopy(layers)
        other.insert(1, nn.ReLU())  # with a ReLU between them they are no longer one linear layer
    x = torch.rand(200, 784, generator=torch.Generator().manual_seed(1)) - 0.5
    a, b = other(x), collapse.collapse(layers)(x)
    assert (a - b).abs().max().item() > 1e-3


def test_relu_four_ways_against_numpy_and_it_has_no_parameters():
    x = torch.linspace(-2, 2, 9)
    for name, y in relu.relu_forms(x).items():
        assert np.array_equal(y.numpy(), np.maximum(x.numpy(), 0)), name
    assert relu.parameters_of(nn.ReLU()) == 0
    assert relu.parameters_of(nn.Linear(784, 30)) == 784 * 30 + 30
    grid, y = relu.curve()
    assert (grid[0] == -2 and grid[-1] == 2
            and np.array_equal(y.numpy(), np.maximum(grid.numpy(), 0)))


def test_a_hand_set_sum_of_relus_is_the_formula():
    hand = relusum.Hand(0.3, (-1.0, 0.2, 2.5), (1.5, -2.0, 4.0))
    x = relusum.grid()[:, 0].double().numpy()
    expected = 0.3 + sum(a * np.maximum(x - k, 0)
                         for k, a in zip(hand.kinks, hand.slopes, strict=True))
    net = relusum.hand_net(hand)
    assert np.allclose(f64(relusum.curve(net)), expected, atol=1e-5)
    target = np.sin(2 * x) + 0.3 * x
    assert relusum.rmse(net) == pytest.approx(np.sqrt(np.mean((expected - target) ** 2)), rel=1e-5)
    assert relusum.kinks(net) == pytest.approx([-1.0, 0.2])  # 2.5 lies outside −2…2


def test_the_fit_steps_as_torch_optim_sgd_with_momentum():
    fit = relusum.Fit(relusum.hand_net(relusum.Hand(0.0, (-1.5, 0.0, 1.0), (1.0, -1.0, 0.5))))
    ref = copy.deepcopy(fit.net)
    sgd = torch.optim.SGD(ref.parameters(), lr=relusum.LEARNING_RATE, momentum=relusum.MOMENTUM)
    x = relusum.grid()
    y = torch.sin(2 * x) + 0.3 * x
    losses = []
    for _ in range(30):
        loss = ((ref(x) - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        sgd.step()
        sgd.zero_grad()
    fit.train(30)
    assert fit.steps == 30 and fit.losses == pytest.approx(losses, rel=1e-5)
    for p, q in zip(fit.net.parameters(), ref.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-6)


def test_a_diverging_fit_stops_and_says_so():
    fit = relusum.Fit(relusum.hand_net(relusum.Hand(0.0, (-2.0,), (1e30,))))
    fit.train(50)
    assert fit.diverged and fit.steps < 50


def test_spread_kinks_lie_evenly_inside_the_range():
    net = relusum.spread_net(4, seed=3)
    assert relusum.kinks(net) == pytest.approx([-1.2, -0.4, 0.4, 1.2], abs=1e-6)


def test_simple_nets_hidden_layer_by_hand():
    net = models.simple_net(30)
    image = torch.rand(28, 28, generator=torch.Generator().manual_seed(4))
    h = hidden.hidden_activations(net, image)
    w1, b1, w2, b2 = (f64(p) for p in net.parameters())
    before = image.double().numpy().reshape(784) @ w1.T + b1
    assert np.allclose(f64(h.before), before, atol=1e-5)
    assert np.array_equal(f64(h.after), np.maximum(f64(h.before), 0))
    assert h.zeroed == int((before < 0).sum())
    assert h.output == pytest.approx(float(np.maximum(before, 0) @ w2[0] + b2[0]), abs=1e-5)


def test_simple_nets_parameter_table_names_the_books_tensors():
    rows = hidden.parameter_table(models.simple_net(30))
    assert [(r["parameter"], r["shape"], r["values"]) for r in rows] == [
        ("0.weight", (30, 784), 23520), ("0.bias", (30,), 30), ("2.weight", (1, 30), 30),
        ("2.bias", (1,), 1)]
    assert [r["the book's version"] for r in rows] == ["w1 (784, 30)", "b1 (30,)",
                                                       "w2 (30, 1)", "b2 (1,)"]
    assert sum(r["values"] for r in rows) == 23_581


def test_deeper_and_wider_nets_count_their_parameters_by_hand():
    assert depth.parameters_of(depth.mlp((30,))) == 784 * 30 + 30 + 30 + 1
    assert depth.parameters_of(depth.mlp((480,))) == 784 * 480 + 480 + 480 + 1 == 377_281
    assert (depth.parameters_of(depth.mlp((16, 16, 16))) == 784 * 16 + 16 + 2 * (16 * 16 + 16) + 16
            + 1 == 13_121)
    assert [type(m) for m in depth.mlp((8, 4), outputs=10)] == [nn.Linear, nn.ReLU, nn.Linear,
                                                                nn.ReLU, nn.Linear]


def test_the_depth_comparison_trains_each_net_with_the_projects_loop(tmp_path):
    from helpers import random_sample

    from lessonlib.data import load_folder

    random_sample(tmp_path, digits=(3, 7), n_train=20, n_valid=10)
    results = depth.compare(load_folder(str(tmp_path)), (3, 7), epochs=3)
    assert [r.name for r in results] == list(depth.NETS)
    assert [r.parameters for r in results] == [23_581, 377_281, 13_121]
    assert all(0.0 <= r.accuracy <= 1.0 for r in results)
    for r in results:  # counted on the 20 validation images
        assert min(abs(r.accuracy - k / 20) for k in range(21)) < 1e-6
