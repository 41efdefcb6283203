"""AppTest: the deeper page trains resnet18 live in chunks (on a tiny folder here, on the bundled
digits in the slow test), shows what it measured against references computed here, and keeps
resnet18 off the training page."""

import json

import pytest
import torch
from helpers import answer, metrics, open_page, random_sample, revealed

from lessonlib import batchnorm, depth


def train_until_done(at, frames: int = 400) -> None:
    at.button(key="dp_train").click().run()
    for _ in range(frames):  # each rerun trains one chunk, as the page's timer does in a browser
        run = at.session_state["dp_run"]
        assert not at.exception
        if not run.playing:
            return
        at.run()
    raise AssertionError("training did not finish")


@torch.no_grad()
def accuracy_by_hand(run) -> float:
    """The trained resnet18 in torchvision's eval mode on every validation image, counted here."""
    net, valid = run.trainer.model.net, run.trainer.valid
    net.eval()
    p = torch.sigmoid(net(valid.x.view(-1, 1, 28, 28)))[:, 0]  # (N,)
    net.train()
    return ((p > 0.5).float() == valid.y[:, 0]).float().mean().item()


@pytest.fixture(autouse=True)
def _folders_open(open_folders):
    """These tests load small folders made in tmp_path: the folder box is opened, as on a learner's
    machine."""


def open_on_folder(tmp_path, query: dict, n_train: int = 10):
    random_sample(tmp_path, digits=(3, 7), n_train=n_train, n_valid=5)
    at = open_page("deeper", query)
    at.text_input[0].input(str(tmp_path))
    next(b for b in at.button if b.label == "Load folder").click().run()
    assert not at.exception
    return at


def test_train_on_a_tiny_folder_with_progress_time_and_accuracy(tmp_path):
    at = open_on_folder(tmp_path, {"epochs": "2", "seed": "5"})
    note = " ".join(i.value for i in at.info)
    assert "s an epoch here" in note and "one batch of 20 images" in note and "(1 batch)" in note
    answer(at, "dp_size", "About 100 times")
    assert metrics(at)["resnet18's parameters"] == "11,170,753"
    assert ("measured: Hundreds of times or more" in revealed(at)
            and f"{11_170_753 / 23_581:,.0f} times" in revealed(at))
    answer(at, "dp_vs_simple", "About the same")
    train_until_done(at)
    run, rows = at.session_state["dp_run"], at.session_state["dp_epochs"]
    assert [r["epoch"] for r in rows] == [1, 2] and run.trainer.progress == pytest.approx(2.0)
    assert all(r["training s"] > 0 and r["validation s"] >= 0 for r in rows)
    assert run.trainer.config.seed == 5 and run.trainer.config.batch_size == 64
    m = metrics(at)
    assert m["Validation accuracy"] == f"{accuracy_by_hand(run):.2%}"
    assert m["Epochs"] == "2.00" and float(m["Training seconds per epoch"]) > 0
    assert "resnet18 after 2 epochs" in revealed(at)
    names = [t.get("name", "") for t in json.loads(at.get("plotly_chart")[-1].proto.spec)["data"]]
    assert "the book: 99.71% after 1 epoch at lr 0.1" in names  # 3 against 7, as in the book
    share = f"{0.9 ** run.trainer.steps:.1%} of each average is still its starting value"
    assert any(share in md.value for md in at.markdown)
    at.button(key="dp_bn").click().run()
    with_batches = batchnorm.batch_statistics_accuracy(run.trainer.model, run.trainer.valid, 64)
    assert f"statistics this model scores **{with_batches:.2%}**" in revealed(at)
    at.button(key="dp_reset").click().run()
    assert "dp_run" not in at.session_state and not at.exception


def test_pause_stops_between_two_chunks(tmp_path):
    at = open_on_folder(tmp_path, {"epochs": "3"}, n_train=160)  # 320 images: 5 batches an epoch
    answer(at, "dp_vs_simple")
    at.button(key="dp_train").click().run()
    run = at.session_state["dp_run"]
    assert run.playing and 0 < run.trainer.steps < 15
    at.button(key="dp_pause").click().run()
    steps = run.trainer.steps
    at.run()
    assert not run.playing and run.trainer.steps == steps and not at.exception


def test_deeper_against_wider_on_a_tiny_folder(tmp_path):
    at = open_on_folder(tmp_path, {})
    answer(at, "dp_depth", "The wide one")
    table = at.dataframe[-1].value
    assert list(table["parameters"]) == [23_581, 377_281, 13_121]
    deep, wide = table["validation accuracy"][2], table["validation accuracy"][1]
    expected = ("The deep one" if deep - wide > 0.005 else "The wide one" if wide - deep > 0.005
                else "About the same")
    assert ((f"Right: {expected}" if expected == "The wide one" else f"measured: {expected}")
            in revealed(at))
    assert "13,121 parameters" in revealed(at) and "377,281" in revealed(at)
    assert list(depth.NETS) == list(table["net"])


def test_the_training_page_refuses_resnet18_from_a_link():
    at = open_page("training", {"model": "resnet18"})
    assert not at.exception
    assert (at.selectbox(key="model").value == "linear"
            and "resnet18" not in at.selectbox(key="model").options)
    assert any("resnet18" in c.value and "not one of the choices" in c.value for c in at.caption)


@pytest.mark.slow
def test_one_epoch_on_the_books_validation_digits(bundled):
    at = open_page("deeper", {"epochs": "1"}, timeout=600)
    answer(at, "dp_vs_simple", "resnet18")
    train_until_done(at)
    run, rows = at.session_state["dp_run"], at.session_state["dp_epochs"]
    # 1,000 images in batches of 64
    assert len(run.trainer.valid.x) == 2038 and run.trainer.steps == 16
    assert metrics(at)["Validation accuracy"] == f"{accuracy_by_hand(run):.2%}"
    chart = json.loads(at.get("plotly_chart")[-1].proto.spec)
    names = [t.get("name", "") for t in chart["data"]]
    assert "the book: 99.71% after 1 epoch at lr 0.1" in names and "resnet18 here" in names
    assert rows[0]["validation accuracy"] == pytest.approx(accuracy_by_hand(run), abs=1e-6)


def test_all_digits_of_a_folder_train_with_cross_entropy_and_no_book_mark(tmp_path):
    at = open_on_folder(tmp_path, {"classes": "10", "epochs": "1"})
    answer(at, "dp_vs_simple")
    train_until_done(at)
    run = at.session_state["dp_run"]
    assert (run.trainer.train.multiclass
            and run.trainer.model(run.trainer.valid.x[:3]).shape == (3, 2))
    assert any("is for 3 against 7" in c.value for c in at.caption)
    chart = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert not any("the book" in t.get("name", "") for t in chart["data"])


def test_the_server_keeps_at_most_max_models_and_clears_the_one_idle_longest(tmp_path, monkeypatch):
    """With room for one resnet18: a second visitor is refused while the first trains recently, and
    gets the room once the first has been idle long enough; the first then learns that its model was
    cleared."""
    import ui.deeper

    monkeypatch.setattr(ui.deeper, "MAX_MODELS", 1)
    # a server of its own for this test
    monkeypatch.setattr(ui.deeper, "_held", lambda store={}: store)
    first = open_on_folder(tmp_path / "a", {"epochs": "1", "seed": "1"})
    answer(first, "dp_vs_simple")
    train_until_done(first)
    second = open_on_folder(tmp_path / "b", {"epochs": "1", "seed": "2"})
    answer(second, "dp_vs_simple")
    second.button(key="dp_train").click().run()
    assert "dp_run" not in second.session_state and any("already holds 1 resnet18" in w.value
                                                        for w in second.warning)
    monkeypatch.setattr(ui.deeper, "IDLE_SECONDS", 0.0)
    train_until_done(second)
    assert second.session_state["dp_run"].trainer is not None
    first.run()
    assert "dp_run" not in first.session_state and any("was cleared to make room" in i.value
                                                       for i in first.info)
