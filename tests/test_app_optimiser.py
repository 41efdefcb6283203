"""AppTest: the optimiser page asks first, then trains three ways live and shows equal results,
measured."""

import pytest
import torch
from helpers import metrics, open_page, random_sample

from lessonlib import three_ways
from lessonlib.models import make_model
from lessonlib.training import binary_split
from ui import optimiser

GUESS = "predict_opt_same"


def reference_accuracy(data, model_name, lr, bs, epochs, seed=42) -> float:
    """torch.optim.SGD in a loop written here, on the batches a seeded randperm gives: validation
    accuracy."""
    train, valid = binary_split(data, "train", (3, 7)), binary_split(data, "valid", (3, 7))
    model = make_model(model_name, seed=seed)
    sgd, gen = torch.optim.SGD(model.parameters(), lr=lr), torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for idx in torch.randperm(len(train.x), generator=gen).split(bs):
            p, y = model(train.x[idx]).sigmoid(), train.y[idx]
            (y * (1 - p) + (1 - y) * p).mean().backward()
            sgd.step()
            sgd.zero_grad()
    with torch.no_grad():
        return ((model(valid.x) > 0).float() == valid.y).float().mean().item()


def test_predict_first_then_three_equal_results(bundled):
    at = open_page("optimiser")
    assert not at.exception and at.title[0].value == "The optimiser and Learner"
    assert not [b for b in at.button if b.key == "opt_train"], "the button waits for a prediction"
    at.radio(key=GUESS).set_value("close").run()
    at.button(key="opt_train").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["way"]) == ["BasicOptim", "torch.optim.SGD", "Learner"]
    expected = reference_accuracy(bundled, "linear", 1.0, 256, 20)
    assert table["validation accuracy"].tolist() == pytest.approx([expected] * 3, abs=1e-6)
    assert set(metrics(at).values()) == {"0"}  # lr 1: every weight bit for bit the same
    assert "measured: identical" in at.info[0].value and "exact in float32" in at.info[0].value
    assert any("bit for bit the same weights as the BasicOptim way" in c.value for c in at.caption)
    # against the book's 0.9785
    assert any(f"{expected:.4f} after 20 epochs" in c.value for c in at.caption)
    book = " ".join(m.value for m in at.markdown)  # the book's numbers as printed in its notebook
    assert "BasicOptim prints 0.8618 after the second epoch and fastai's SGD 0.852:" in book
    assert "both print 0.9785; the Learner prints 0.967615 after 10" in book


def test_a_learning_rate_of_0_1_leaves_float32_rounding_only(bundled):
    at = open_page("optimiser", {"lr": "0.1", "epochs": "5", "model": "simple_net"})
    assert at.select_slider(key="lr").value == 0.1 and at.number_input(key="epochs").value == 5
    at.radio(key=GUESS).set_value("close").run()
    at.button(key="opt_train").click().run()
    assert not at.exception
    shown = [float(v) for v in metrics(at).values()]
    assert max(shown) <= 1e-6 and metrics(at)["torch.optim.SGD vs Learner"] == "0"
    answer = three_ways.agreement(max(shown))
    assert answer in ("identical", "close")
    box = (at.success or at.info)[0].value
    assert f"Right: {answer}" in box if answer == "close" else f"measured: {answer}" in box
    assert "Show the code" in [e.label for e in at.expander]


def test_results_belong_to_the_settings_they_were_made_with():
    at = open_page("optimiser", {"epochs": "2"})
    at.radio(key=GUESS).set_value("identical").run()
    at.button(key="opt_train").click().run()
    assert len(at.dataframe) == 1
    at.number_input(key="epochs").set_value(3).run()
    assert not at.dataframe and any("Press **Train all three**" in i.value for i in at.info)


def test_too_many_steps_for_one_click_get_a_message(monkeypatch):
    monkeypatch.setattr(optimiser, "MAX_STEPS", 50)
    at = open_page("optimiser", {"bs": "16", "epochs": "40"})
    assert not at.exception
    assert "steps a way, more than the 50" in at.warning[0].value
    assert not [r for r in at.radio if r.key == GUESS]


def test_a_tiny_two_digit_folder(tmp_path, open_folders):
    random_sample(tmp_path / "tiny", digits=(3, 7), n_train=2, n_valid=1)
    at = open_page("optimiser", {"epochs": "3"})
    at.text_input[0].input(str(tmp_path / "tiny"))
    next(b for b in at.button if b.label == "Load folder").click().run()
    at.radio(key=GUESS).set_value("identical").run()
    at.button(key="opt_train").click().run()
    assert not at.exception and not at.sidebar.error
    assert len(at.dataframe[0].value) == 3
    assert "on the 4 training 3s and 7s" in " ".join(m.value for m in at.markdown)
