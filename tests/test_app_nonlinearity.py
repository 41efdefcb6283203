"""AppTest: the nonlinearity page, its predictions answered, against references computed here
(float64 numpy, torch.optim.SGD, the trained simple_net's weights multiplied out by hand)."""

import copy

import numpy as np
import pytest
import torch
from helpers import answer, metrics, open_page, random_sample, revealed

from lessonlib import collapse, relusum
from ui import nonlinearity as nl
from ui.core import BUNDLED


@pytest.fixture(scope="module")
def page():
    at = open_page("nonlinearity")
    assert not at.exception
    return at


def test_two_linear_layers_give_the_same_outputs_as_their_collapse(page, bundled):
    answer(page, "nl_collapse", "Yes: two layers can compute more")
    x = torch.cat([bundled.images("valid", d).view(-1, 784) for d in (3, 7)]).double().numpy()
    (w1, b1), (w2, b2) = [(m.weight.detach().double().numpy(), m.bias.detach().double().numpy())
                          for m in collapse.two_linear_layers(30, 1)]
    two = (x @ w1.T + b1) @ w2.T + b2  # float64, the two layers one after the other
    one = x @ (w2 @ w1).T + (w2 @ b1 + b2)
    assert np.abs(two - one).max() < 1e-9
    m = metrics(page)
    assert m["validation images"] == "2,038" and float(m["largest |difference|"]) < 1e-5
    assert (m["parameters: two layers"], m["parameters: one layer"]) == ("23,581", "785")
    assert "measured: No: one layer computes the same" in revealed(page)


def test_relu_has_no_parameters(page):
    answer(page, "nl_relu_params", "One per unit")
    assert "measured: None" in revealed(page)


def test_a_hand_fit_then_sgd_from_it_against_torch_optim_sgd(page):
    at = page
    hand = relusum.Hand(0.2, (-2.0, -0.8, 0.8, 1.6), (-1.2, 2.6, -2.6, 0.5))
    at.slider(key="nl_b").set_value(hand.height)
    for i, (k, a) in enumerate(zip(hand.kinks, hand.slopes, strict=True)):
        at.slider(key=f"nl_k{i}").set_value(k)
        at.slider(key=f"nl_a{i}").set_value(a)
    at.run()
    x = relusum.grid()[:, 0].double().numpy()
    mine = hand.height + sum(a * np.maximum(x - k, 0)
                             for k, a in zip(hand.kinks, hand.slopes, strict=True))
    error = np.sqrt(np.mean((mine - (np.sin(2 * x) + 0.3 * x)) ** 2))
    assert float(metrics(at)["your curve's RMSE from the target"]) == pytest.approx(error, abs=1e-4)

    answer(at, "nl_sgd", "Further")
    at.button(key="nl_train").click().run()
    ref = copy.deepcopy(relusum.hand_net(hand))
    sgd = torch.optim.SGD(ref.parameters(), lr=relusum.LEARNING_RATE, momentum=relusum.MOMENTUM)
    grid = relusum.grid()
    for _ in range(nl.STEPS_A_PRESS):
        loss = ((ref(grid) - (torch.sin(2 * grid) + 0.3 * grid)) ** 2).mean()
        loss.backward()
        sgd.step()
        sgd.zero_grad()
    with torch.no_grad():
        expected = ((ref(grid) - (torch.sin(2 * grid) + 0.3 * grid)) ** 2).mean().sqrt().item()
    m = metrics(at)
    assert (m["SGD steps"] == "500"
            and float(m["RMSE after SGD"]) == pytest.approx(expected, abs=2e-4))
    assert expected < 0.9 * error and "measured: Closer" in revealed(at)
    at.button(key="nl_train").click().run()
    assert metrics(at)["SGD steps"] == "1,000"
    at.slider(key="nl_k3").set_value(1.0).run()  # a new hand curve: SGD starts afresh
    assert "SGD steps" not in metrics(at) and any("Press **Train**" in i.value for i in at.info)


def test_the_hidden_layer_of_the_trained_simple_net_on_a_linked_digit(bundled):
    at = open_page("nonlinearity", {"digit": "7", "i": "12"})
    answer(at, "nl_hidden", "Half or more")
    net, accuracy = nl.trained_simple_net(BUNDLED, (3, 7))  # the page's model, shared by this
                                                            # process's cache
    w1, b1 = (p.detach().double().numpy() for p in list(net.parameters())[:2])
    before = bundled.images("valid", 7)[12].double().numpy().reshape(784) @ w1.T + b1
    zeroed = int((before < 0).sum())
    expected = "None" if zeroed == 0 else "Fewer than half" if zeroed < 15 else "Half or more"
    text = revealed(at)
    assert f"{zeroed} of the 30 weighted sums were negative" in text
    assert (f"Right: {expected}" if expected == "Half or more" else f"measured: {expected}") in text
    assert any(f"{accuracy:.2%}" in c.value for c in at.caption)
    assert accuracy > 0.95  # simple_net on the book's validation 3s and 7s


@pytest.mark.slow
def test_more_relus_fit_closer(page):
    answer(page, "nl_counts")
    answer(page, "nl_four", "No: it needs more ReLUs")
    errors = [relusum.fit_error(n, nl.COUNT_STEPS) for n in nl.COUNTS]
    four = errors[nl.COUNTS.index(4)]
    assert f"SGD found four ReLUs with an RMSE of {four:.4f}" in revealed(page)
    assert ("measured: Yes" if four < 0.1 else "Right: No") in revealed(page)
    steady = all(b < a for a, b in zip(errors, errors[1:], strict=False))
    text = revealed(page)
    assert f"From {errors[0]:.3f} with 1 ReLU to {errors[-1]:.4f} with 32" in text
    assert ("Smaller with every doubling" in text) and steady
    assert errors[-1] < errors[0] / 10


def test_a_tiny_two_digit_folder(tmp_path, open_folders):
    random_sample(tmp_path, digits=(4, 9), n_train=2, n_valid=1)
    at = open_page("nonlinearity")
    at.text_input[0].input(str(tmp_path))
    next(b for b in at.button if b.label == "Load folder").click().run()
    for key in ("nl_collapse", "nl_relu_params", "nl_sgd", "nl_hidden"):
        answer(at, key)
    assert not at.exception and metrics(at)["validation images"] == "2"
    assert any("only one validation" in i.value for i in at.info)
