"""AppTest: the "Your digit" page from a photo upload or a sample, with bad uploads and a trained
model."""

import io

import numpy as np
import pytest
import torch
from helpers import open_page
from PIL import Image
from streamlit.testing.v1 import AppTest

from lessonlib import reader
from lessonlib.photo import preprocess, upload
from lessonlib.similarity import class_means, predict
from lessonlib.training import TrainConfig, make_trainer


def your_digit() -> AppTest:
    at = open_page("your-digit")
    assert not at.exception
    return at


def photo_mode(at: AppTest) -> AppTest:
    at.segmented_control(key="input").set_value("photo").run()
    assert not at.exception
    return at


def _jpeg(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _image_captions(at: AppTest) -> list[str]:
    return [im.caption for el in at.get("image") for im in el.proto.imgs]


def _prediction(at: AppTest) -> str:
    [metric] = [m for m in at.metric if m.label == "Prediction"]
    return metric.value


@pytest.fixture(scope="module")
def known_photo(bundled):
    """A photo of a validation 4 that both the reader and the baseline, run here directly, call a
    4."""
    means = class_means(bundled, bundled.digits)
    for i, im in enumerate(bundled.images("valid", 4)):
        data = _jpeg(upload.render_photo(im, seed=i))
        final = preprocess.preprocess(upload.load_upload(data)).final
        if predict(final[None], means)[0] == 4 and reader.read(final).argmax().item() == 4:
            return data
    raise AssertionError("no validation 4 recognised")


def test_the_page_asks_for_a_drawing_first():
    at = your_digit()
    assert at.title[0].value == "Your digit"
    assert any("Draw a digit" in i.value for i in at.info)
    assert not [m for m in at.metric if m.label == "Prediction"]


def test_an_uploaded_photo_is_prepared_and_predicted(known_photo):
    at = photo_mode(your_digit())
    at.file_uploader(key="yd_upload").set_value(("four.jpg", known_photo, "image/jpeg")).run()
    assert not at.exception
    assert _prediction(at) == "4"  # the reader
    assert next(m.value for m in at.metric if m.label == "Nearest mean") == "4"  # the baseline
    captions = _image_captions(at)
    assert captions[0] == "Your photo, in gray"
    assert any(c.startswith("1 · grayscale") for c in captions) and any(c.startswith("5 · centre")
                                                                        for c in captions)
    assert any("Train a model" in i.value for i in at.info)  # no model trained in this session yet


def test_try_a_sample_digit_predicts_something():
    at = photo_mode(your_digit())
    at.button(key="yd_sample_button").click().run()
    assert not at.exception
    assert _prediction(at)[0].isdigit()
    assert _image_captions(at)[0].startswith("Sample: validation image")


@pytest.mark.parametrize("name, data, message", [
    ("notes.png", b"this is text, not a picture", "not an image"),
    ("empty.png", b"", "empty"),
    ("dot.png", None, "only 1×1"),
])
def test_bad_uploads_show_an_error_and_the_page_keeps_working(name, data, message):
    if data is None:
        buf = io.BytesIO()
        Image.new("L", (1, 1)).save(buf, "PNG")
        data = buf.getvalue()
    at = photo_mode(your_digit())
    at.file_uploader(key="yd_upload").set_value((name, data, "image/png")).run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert not [m for m in at.metric if m.label == "Prediction"]
    at.button(key="yd_sample_button").click().run()  # still usable afterwards
    assert not at.exception and _prediction(at)[0].isdigit()


def test_a_blank_page_says_there_is_no_ink():
    at = photo_mode(your_digit())
    blank = np.full((600, 450, 3), 225, np.uint8)
    at.file_uploader(key="yd_upload").set_value(("blank.jpg", _jpeg(blank), "image/jpeg")).run()
    assert not at.exception
    assert any("can't find a digit" in i.value for i in at.info)


def test_the_model_trained_in_this_session_gives_its_probability(bundled, known_photo):
    at = photo_mode(your_digit())
    trainer = make_trainer(bundled, (4, 9), TrainConfig(model="linear", learning_rate=1.0,
                                                        batch_size=256))
    for _ in trainer.fit(2):
        pass
    at.session_state["trainer"] = trainer
    at.session_state["trainer_digits"] = (4, 9)
    at.file_uploader(key="yd_upload").set_value(("four.jpg", known_photo, "image/jpeg")).run()
    assert not at.exception
    [model] = [m for m in at.metric if m.label.startswith("Your trained model")]
    final = preprocess.preprocess(upload.load_upload(known_photo)).final
    p = torch.sigmoid(trainer.model(final.view(1, 784))).item()  # the reference, computed here
    assert model.value == ("4" if p > 0.5 else "9")
    assert f"P(4) = {p:.0%}" in model.proto.body or f"P(4) = {p:.0%}" in str(model.delta)


def test_a_ten_digit_model_gives_a_probability_for_every_digit(bundled, known_photo):
    at = photo_mode(your_digit())
    trainer = make_trainer(bundled, (3, 7), TrainConfig(model="linear", all_digits=True))
    for _ in trainer.fit(2):
        pass
    at.session_state["trainer"] = trainer
    at.session_state["trainer_digits"] = trainer.train.labels
    at.file_uploader(key="yd_upload").set_value(("four.jpg", known_photo, "image/jpeg")).run()
    assert not at.exception
    [model] = [m for m in at.metric if m.label.startswith("Your trained model")]
    final = preprocess.preprocess(upload.load_upload(known_photo)).final
    p = torch.softmax(trainer.model(final.view(1, 784)), 1)[0]  # the reference, computed here
    assert (model.label == "Your trained model (all 10 digits)"
            and model.value == str(int(p.argmax())))
    assert (f"P = {p.max().item():.0%}" in str(model.delta)
            or f"P = {p.max().item():.0%}" in model.proto.body)


def test_the_link_chooses_photo_or_drawing():
    at = open_page("your-digit", {"input": "photo"})
    assert not at.exception and at.segmented_control(key="input").value == "photo"
    assert [u for u in at.get("file_uploader") if u.proto.id and "yd_upload" in u.proto.id]
    # (the browser test checks the address bar)
    at.segmented_control(key="input").set_value("draw").run()
    assert not at.exception and any("Draw a digit" in i.value for i in at.info)
    bad = open_page("your-digit", {"input": "<script>"})
    assert not bad.exception and bad.segmented_control(key="input").value == "draw"
    assert any("Your digit `<script>`: not one of the choices" in c.value for c in bad.caption)


def test_the_readers_accuracy_on_the_validation_digits_is_measured_on_them(bundled):
    """The caption's figure, against the reader run here on every validation digit of the bundled
    data."""
    at = photo_mode(your_digit())
    at.button(key="yd_sample_button").click().run()
    x = torch.cat([bundled.images("valid", d) for d in bundled.digits])
    y = torch.cat([torch.full((bundled.count("valid", d),), d) for d in bundled.digits])
    right = (reader.read(x).argmax(1) == y).float().mean().item()
    assert right > 0.95  # MNIST's test set: 0.9875 measured (bench/reader.py)
    assert any("On the 10,000 validation digits of bundled MNIST" in c.value
               and f"{right:.1%}" in c.value
               for c in at.caption)
