"""AppTest: the SGD training page renders, its sliders and buttons drive real training."""

import numpy as np
import pytest
import torch
from helpers import open_page, overflowing_setup

from lessonlib import checkpoint


@pytest.fixture
def page():
    at = open_page("training")
    assert not at.exception
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def caption_with(at, text):
    return next(c.value for c in at.caption if text in c.value)


def test_page_renders_with_its_controls_and_shares_the_trainer(page):
    at = page
    assert at.title[0].value == "SGD training"
    assert (at.select_slider(key="lr").label == "Learning rate"
            and at.select_slider(key="lr").value == 1.0)
    assert (at.select_slider(key="bs").label == "Batch size"
            and at.select_slider(key="bs").value == 256)
    assert "Pixel-similarity baseline: **" in caption_with(at, "Pixel-similarity baseline")
    assert at.session_state.trainer is at.session_state.tr_run.trainer
    assert at.session_state.trainer_digits == (3, 7)
    assert metric(at, "Steps") == "0" and not at.error


def test_learning_rate_slider_changes_what_is_shown_and_how_it_trains(page):
    at = page
    assert "p -= 1 * p.grad" in caption_with(at, "Each step")
    at.button(key="tr_epoch").click().run()
    fast = metric(at, "Validation accuracy")
    at.button(key="tr_reset").click().run()
    at.select_slider(key="lr").set_value(0.0001).run()
    assert not at.exception
    assert "p -= 0.0001 * p.grad" in caption_with(at, "Each step")
    at.button(key="tr_epoch").click().run()
    assert metric(at, "Epochs") == "1.00" and metric(at, "Validation accuracy") != fast


def test_step_step_epoch_reset_and_same_seed_same_numbers(page):
    at = page
    at.button(key="tr_step").click().run()
    assert metric(at, "Steps") == "1" and metric(at, "Validation accuracy") == "—"
    at.button(key="tr_epoch").click().run()
    # 1,000 images in batches of 256
    assert metric(at, "Steps") == "4" and metric(at, "Epochs") == "1.00"
    first = (metric(at, "Last batch loss"), metric(at, "Validation accuracy"))
    at.button(key="tr_reset").click().run()
    assert metric(at, "Steps") == "0"
    at.button(key="tr_epoch").click().run()
    assert (metric(at, "Last batch loss"), metric(at, "Validation accuracy")) == first
    at.number_input(key="seed").set_value(7).run()
    assert metric(at, "Steps") == "0"  # a new seed starts again
    at.button(key="tr_epoch").click().run()
    assert metric(at, "Last batch loss") != first[0]


def test_play_trains_the_chosen_epochs_then_stops(page):
    at = page
    at.number_input(key="epochs").set_value(3)
    at.select_slider(key="tr_speed").set_value("full speed")
    at.button(key="tr_play").click().run()
    assert not at.exception
    assert metric(at, "Epochs") == "3.00" and metric(at, "Steps") == "12"
    assert at.session_state.tr_run.history.valid_accuracy.x == [1, 2, 3]
    assert [b.key for b in at.button if b.key in ("tr_play", "tr_pause")] == ["tr_play"]
    assert len(at.get("plotly_chart")) >= 3


def test_settings_changed_while_playing_apply_without_reset(page):
    at = page
    at.select_slider(key="tr_speed").set_value("1 batch a frame")
    at.button(key="tr_play").click().run()  # one frame: one batch, still playing
    run = at.session_state.tr_run
    assert run.playing and at.button(key="tr_pause")
    steps = run.trainer.steps
    at.select_slider(key="lr").set_value(0.5)
    at.select_slider(key="bs").set_value(32).run()
    trainer = at.session_state.tr_run.trainer
    assert trainer is run.trainer and trainer.steps == steps + 1  # the same model, one more batch
    assert trainer.config.learning_rate == 0.5 and trainer.config.batch_size == 32
    # 1,000 training 3s and 7s; that very batch already had 32 images
    assert trainer.progress == pytest.approx((256 + 32) / 1000)
    at.button(key="tr_pause").click().run()
    assert not at.session_state.tr_run.playing and at.button(key="tr_play")


def test_model_change_starts_again_at_the_books_learning_rate(page):
    at = page
    at.button(key="tr_step").click().run()
    at.selectbox(key="model").set_value("simple_net").run()
    assert not at.exception
    assert at.select_slider(key="lr").value == 0.1 and metric(at, "Steps") == "0"
    assert at.session_state.trainer.config.model == "simple_net"
    assert "first-layer weights of 30 units" in str(at.get("plotly_chart")[2].proto.spec)


def test_divergence_is_shown_and_play_disabled(page):
    at = page
    at.session_state.tr_run.trainer.diverged = True
    at.run()
    assert "inf or nan" in at.error[0].value
    assert at.button(key="tr_play").disabled and at.button(key="tr_step").disabled


def test_mistake_toggle_changes_the_loss(page):
    at = page
    at.toggle(key="tr_mistake_no_sigmoid").set_value(True).run()
    for _ in range(3):
        at.button(key="tr_epoch").click().run()
    assert float(metric(at, "Last batch loss")) < 0  # without the sigmoid the loss runs below zero


def test_sweep_and_weights_upload(page):
    at = page
    at.number_input(key="tr_sweep_count").set_value(2)
    at.number_input(key="tr_sweep_epochs").set_value(1)
    at.button(key="tr_sweep_run").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 2
    at.file_uploader(key="tr_upload").upload("evil.safetensors", b"\x80\x04\x95 not weights").run()
    assert "Not loaded" in at.error[0].value and "pickle" in at.error[0].value


def test_coming_from_the_gradient_page_with_its_own_lr(page):
    at = page
    at.switch_page("pages/gradient.py").run()
    at.slider(key="lr").set_value(0.37).run()
    at.switch_page("pages/training.py").run()
    assert not at.exception
    assert (at.select_slider(key="lr").value == 1.0
            and at.session_state.trainer.config.learning_rate == 1.0)


def test_weights_upload_round_trip_and_a_file_for_another_model(page):
    at = page
    at.button(key="tr_epoch").click().run()
    saved = checkpoint.to_bytes(at.session_state.trainer, (3, 7))
    trained = at.session_state.trainer.model.weight.detach().clone()
    at.button(key="tr_reset").click().run()
    assert not torch.equal(at.session_state.trainer.model.weight, trained)
    at.file_uploader(key="tr_upload").upload("linear_3v7.safetensors", saved).run()
    assert not at.exception
    assert "Loaded `linear_3v7.safetensors`: weights of linear on digits 3,7" in at.success[0].value
    assert torch.equal(at.session_state.trainer.model.weight, trained)
    at.selectbox(key="model").set_value("simple_net").run()
    before = {k: v.clone() for k, v in at.session_state.trainer.model.state_dict().items()}
    at.file_uploader(key="tr_upload").set_value(("again.safetensors", saved,
                                                 "application/octet-stream")).run()
    assert "Not loaded" in at.error[0].value and "weights for linear" in at.error[0].value
    for k, v in at.session_state.trainer.model.state_dict().items():
        assert torch.equal(v, before[k])


def test_training_survives_a_visit_to_another_page_and_follows_the_digits(page):
    at = page
    at.selectbox(key="model").set_value("simple_net").run()
    at.button(key="tr_epoch").click().run()
    trainer = at.session_state.trainer
    at.switch_page("pages/pixels.py").run()
    at.switch_page("pages/training.py").run()
    assert not at.exception
    assert at.session_state.trainer is trainer and metric(at, "Steps") == "4"
    assert at.selectbox(key="model").value == "simple_net"
    at.selectbox(key="digit_b").set_value(1).run()
    assert at.session_state.trainer_digits == (3, 1) and metric(at, "Steps") == "0"
    assert at.session_state.trainer is not trainer


def test_sweep_marks_a_diverging_rate(page):
    at = page
    overflowing_setup(at)
    at.select_slider(key="tr_sweep_range").set_value((0.001, 10.0))
    at.number_input(key="tr_sweep_count").set_value(3)
    at.number_input(key="tr_sweep_epochs").set_value(2)
    at.button(key="tr_sweep_run").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["learning rate"]) == [0.001, 0.1, 10.0]
    assert table["diverged"].iloc[0] == ""  # slow is safe
    # lr 10 overflows within the first epoch
    assert table["diverged"].iloc[-1].startswith("at epoch 0.")


def test_link_restores_rate_and_batch_size_and_teacher_mode_hides_controls():
    at = open_page("training", {"lr": "0.05", "bs": "64", "model": "simple_net",
                                "hide": "model,bs,sweep"})
    assert not at.exception
    assert at.select_slider(key="lr").value == 0.05
    assert not [w for w in at.select_slider if w.key == "bs"] and not [w for w in at.selectbox
                                                                       if w.key == "model"]
    config = at.session_state["tr_run"].trainer.config
    assert (config.model, config.batch_size, config.learning_rate) == ("simple_net", 64, 0.05)
    assert not [b for b in at.button if b.key == "tr_sweep_run"]


def test_bad_training_link_values_keep_defaults_and_say_so():
    at = open_page("training",
                   {"lr": "nan", "bs": "-5", "seed": "1e99", "model": "../../etc/passwd"})
    assert not at.exception
    config = at.session_state["tr_run"].trainer.config
    assert ((config.model, config.batch_size, config.learning_rate, config.seed)
            == ("linear", 256, 1.0, 42))
    notice = " ".join(c.value for c in at.caption)
    for part in ("Learning rate `nan`", "Batch size `-5`", "Seed `1e99`: outside",
                 "Model `../../etc/passwd`"):
        assert part in notice


def ten_digit_baseline_by_hand() -> float:
    """Nearest mean by L1 over all ten digits, in numpy from the bundled files: the mean of
    per-digit accuracies."""
    train, valid = np.load("data/mnist_5k.npz"), np.load("data/mnist_t10k.npz")
    # (10, 28, 28)
    means = np.stack([train["images"][train["labels"] == d].mean(0) / 255 for d in range(10)])
    x, y = valid["images"] / 255, valid["labels"]
    nearest = np.abs(x[:, None] - means[None]).mean((2, 3)).argmin(1)  # (N, 10, 28, 28) -> (N,)
    return float(np.mean([(nearest[y == d] == d).mean() for d in range(10)]))


@pytest.mark.slow
def test_all_ten_digits_train_with_cross_entropy_and_show_a_ten_by_ten_confusion(page):
    at = page
    at.button(key="tr_epoch").click().run()
    two = at.session_state.trainer
    at.radio(key="classes").set_value(10).run()
    assert not at.exception
    trainer = at.session_state.trainer
    assert trainer is not two and at.session_state.trainer_digits == tuple(range(10))
    assert metric(at, "Steps") == "0" and trainer.model.weight.shape == (10, 784)
    assert "all 10 digits" in caption_with(at, "Training on")
    assert f"{ten_digit_baseline_by_hand():.1%}" in caption_with(at, "baseline")
    assert [t.label for t in at.toggle if t.key == "tr_mistake_no_sigmoid"] == ["Drop the softmax"]
    at.button(key="tr_epoch").click().run()
    assert metric(at, "Steps") == "20"  # 5,000 images in batches of 256
    with torch.no_grad():
        out = trainer.model(trainer.valid.x)
    assert (metric(at, "Validation accuracy")
            == f"{(out.argmax(1) == trainer.valid.y).float().mean().item():.1%}")
    confusion_chart = next(c for c in at.get("plotly_chart")
                           if c.proto.id and "tr_confusion" in c.proto.id)
    assert ('"x":["0","1","2","3","4","5","6","7","8","9"]'
            in confusion_chart.proto.spec.replace(" ", ""))
    at.radio(key="classes").set_value(2).run()
    assert (at.session_state.trainer.model.weight.shape == (1, 784)
            and at.session_state.trainer_digits == (3, 7))


def test_ten_digit_link_and_weights_file_round_trip():
    at = open_page("training", {"classes": "10", "model": "linear1"})
    assert not at.exception and at.radio(key="classes").value == 10
    at.button(key="tr_epoch").click().run()
    trainer = at.session_state.trainer
    saved, trained = (checkpoint.to_bytes(trainer, trainer.train.labels),
                      trainer.model.weights.detach().clone())
    at.button(key="tr_reset").click().run()
    at.file_uploader(key="tr_upload").upload("linear1_all10.safetensors", saved).run()
    assert not at.exception and "Loaded" in at.success[0].value
    assert torch.equal(at.session_state.trainer.model.weights, trained)


@pytest.mark.parametrize("rate", [10.0, 0.0001])
def test_a_training_rate_outside_the_gradient_pages_range_is_brought_into_it(page, rate):
    at = page
    at.select_slider(key="lr").set_value(rate).run()
    at.switch_page("pages/gradient.py").run()
    assert not at.exception
    assert at.slider(key="lr").value == (1.5 if rate > 1 else 0.01)


def test_the_books_star_on_the_bundled_data_says_how_the_training_differs(page):
    """The bundled 3s and 7s are validated on the book's own 2,038 images, so the book's result is
    drawn as a star, with the difference in training images and steps an epoch measured from the run
    itself."""
    note = caption_with(page, "The star is the book's result")
    assert "97.85%" in note and "2,038 validation images" in note and "12,396" in note
    assert "1,000 training images make 4 steps an epoch" in note and "49 steps an epoch" in note


def test_linear1s_note_says_what_the_small_training_set_changes(page):
    page.selectbox(key="model").set_value("linear1").run()
    note = caption_with(page, "The star is the book's result")
    assert ("96.96% after 21 epochs" in note
            and "stays below the pixel-similarity baseline after 20 epochs" in note)
