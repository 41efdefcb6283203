"""Bad uploads: odd images on the your-digit page and bad weights files on the training page each
give a message, never a traceback, and leave the session's trained model and settings as they were.

Already covered elsewhere (see docs/BAD_INPUT.md): tests/test_upload.py (every image kind, at the
library level), tests/test_app_your_digit.py (empty, not an image, 1×1 and blank photos on the
page), tests/test_training_checkpoint.py (pickles, torch.save files, wrong dtype, nan and malformed
weights at the library level).
"""

from __future__ import annotations

import builtins
import io
import pickle
import struct
import zlib

import numpy as np
import pytest
import torch
from helpers import open_page
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from safetensors.torch import save
from streamlit.testing.v1 import AppTest

from lessonlib import checkpoint
from lessonlib.photo import preprocess, upload

# ---- images --------------------------------------------------------------------------------------


def encode(im: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def digit_picture(size: tuple[int, int] = (120, 160)) -> np.ndarray:
    """A dark "7" on white paper, uint8 (H, W)."""
    w, h = size
    a = np.full((h, w), 255, np.uint8)
    a[h // 5 : h // 5 + 12, w // 4 : 3 * w // 4] = 0  # the bar
    for r in range(h // 5, 4 * h // 5):  # the stem, leaning left as it goes down
        c = 3 * w // 4 - (r - h // 5) * w // (2 * h)
        a[r, c - 6 : c + 6] = 0
    return a


def bomb(side: int) -> bytes:
    """A real decompression bomb: a side × side black grayscale PNG, a few tens of kB that decode to
    side² bytes."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    z = zlib.compressobj(9)
    row = b"\x00" + bytes(side)  # filter byte, then the row's pixels
    data = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def image_cases() -> dict[str, tuple[bytes, str, str]]:
    """name -> (file, what the page shows: "error" | "no ink" | "prediction", words in the
    message)."""
    pic = digit_picture()
    good = encode(Image.fromarray(pic))
    rgba = np.zeros(pic.shape + (4,), np.uint8)
    rgba[..., 3] = 255 - pic  # transparent paper, opaque black ink
    strip = np.full((8, 40_000), 255, np.uint8)
    strip[:, ::1000] = 0
    return {
        "truncated PNG": (good[: len(good) // 3], "error", "damaged or truncated"),
        "decompression bomb": (bomb(7_500), "error", "megapixels"),  # 56 megapixels
        "over the size limit": (b"\xff\xd8" + bytes(upload.MAX_BYTES), "error",
                                "25.1 MB; please upload at most 25 MB"),
        "an icon named .png": (encode(Image.fromarray(pic).convert("RGB"), "ICO"), "error",
                               "not supported"),
        "random bytes": (np.random.default_rng(0).bytes(5000), "error", "not an image"),
        "animated GIF": (encode(Image.fromarray(pic), "GIF", save_all=True,
                                append_images=[Image.new("L", (120, 160), 255)], duration=100),
                         "prediction", ""),
        "16-bit PNG": (encode(Image.fromarray(pic.astype(np.uint16) * 257)), "prediction", ""),
        "CMYK JPEG": (encode(Image.fromarray(pic).convert("CMYK"), "JPEG", quality=95),
                      "prediction", ""),
        "transparent PNG": (encode(Image.fromarray(rgba, "RGBA")), "prediction", ""),
        "all white": (encode(Image.new("L", (300, 200), 255)), "no ink", "can't find a digit"),
        "all black": (encode(Image.new("L", (300, 200), 0)), "no ink", "can't find a digit"),
        "all transparent": (encode(Image.new("RGBA", (300, 200), (0, 0, 0, 0))), "no ink",
                            "can't find a digit"),
        "a 40,000 × 8 strip": (encode(Image.fromarray(strip)), "no ink", "can't find a digit"),
    }


CASES = image_cases()


def test_the_library_reads_each_case_as_the_page_says(tmp_path):
    """The same files straight through lessonlib: an UploadError, a NoInkError or a 28×28 digit."""
    for name, (data, outcome, words) in CASES.items():
        try:
            steps = preprocess.preprocess(upload.load_upload(data))
        except preprocess.NoInkError as e:
            assert outcome == "no ink" and words in str(e), name
        except upload.UploadError as e:
            assert outcome == "error" and words in str(e), name
        else:
            assert outcome == "prediction" and steps.final.shape == (28, 28), name


def your_digit_with_a_model(bundled) -> AppTest:
    from lessonlib.training import TrainConfig, make_trainer

    at = open_page("your-digit")
    trainer = make_trainer(bundled, (3, 7), TrainConfig())
    at.session_state["trainer"], at.session_state["trainer_digits"] = trainer, (3, 7)
    at.segmented_control(key="input").set_value("photo").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("name", list(CASES))
def test_an_odd_image_on_the_your_digit_page_gives_a_message_and_keeps_the_model(bundled, name):
    data, outcome, words = CASES[name]
    at = your_digit_with_a_model(bundled)
    trainer = at.session_state["trainer"]
    weights = trainer.model.weight.detach().clone()
    at.file_uploader(key="yd_upload").set_value((f"{name}.png", data, "image/png")).run()
    assert not at.exception, at.exception
    predictions = [m for m in at.metric if m.label == "Prediction"]
    if outcome == "error":
        assert any(words in e.value for e in at.error) and not predictions
    elif outcome == "no ink":
        assert any(words in i.value for i in at.info) and not predictions
    else:
        assert predictions and predictions[0].value.isdigit()
    assert at.session_state["trainer"] is trainer and torch.equal(trainer.model.weight, weights)
    assert at.segmented_control(key="input").value == "photo"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_an_image_or_an_upload_error(data):
    try:
        gray = upload.load_upload(data)
    except upload.UploadError:
        return
    assert gray.ndim == 2 and 0 <= gray.min() and gray.max() <= 1


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16"]), st.integers(1, 60),
       st.integers(1, 60),
       st.sampled_from(["PNG", "JPEG", "GIF", "WEBP", "BMP"]), st.integers(0, 2**32 - 1))
def test_any_small_image_of_any_mode_is_read_or_refused_with_a_reason(mode, w, h, fmt, seed):
    pixels = np.random.default_rng(seed).integers(0, 256, (h, w), dtype=np.uint8)
    im = (Image.fromarray(pixels).convert(mode) if mode != "I;16"
          else Image.fromarray(pixels.astype(np.uint16) * 257))
    try:
        data = encode(im, fmt)
    except (OSError, ValueError, KeyError):  # Pillow cannot write every mode in every format
        return
    try:
        gray = upload.load_upload(data)
    except upload.UploadError as e:
        assert str(e)
        return
    assert gray.shape[0] >= 1 and gray.shape[1] >= 1 and np.isfinite(gray).all()
    assert 0 <= gray.min() and gray.max() <= 1
    try:
        final = preprocess.preprocess(gray).final
    except preprocess.NoInkError:
        return
    assert final.shape == (28, 28) and torch.isfinite(final).all()


# ---- weights files -------------------------------------------------------------------------------


class CreatesAFile:
    """Unpickling this opens (creates) `path`: proof that a loader ran code from the file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return builtins.open, (self.path, "w")


def malicious_pickles(marker) -> dict[str, bytes]:
    """Three spellings of a file that runs code when unpickled: pickle (protocols 4 and 0) and
    torch.save's zip."""
    buf = io.BytesIO()
    torch.save({"weight": CreatesAFile(str(marker))}, buf)
    return {"pickle": pickle.dumps(CreatesAFile(str(marker))),
            "pickle protocol 0": pickle.dumps(CreatesAFile(str(marker)), protocol=0),
            "torch.save": buf.getvalue()}


def test_the_malicious_pickles_really_run_code_when_unpickled(tmp_path):
    """A check of the test itself: unpickled, each payload creates its file."""
    for name, data in malicious_pickles(tmp_path / "proof").items():
        (tmp_path / "proof").unlink(missing_ok=True)
        if name == "torch.save":
            torch.load(io.BytesIO(data), weights_only=False)
        else:
            pickle.loads(data)
        assert (tmp_path / "proof").exists(), name


@pytest.fixture
def trained_page():
    at = open_page("training")
    at.select_slider(key="lr").set_value(0.5)
    at.select_slider(key="bs").set_value(64).run()
    at.button(key="tr_epoch").click().run()
    assert not at.exception
    return at


def state(at: AppTest) -> dict:
    t = at.session_state["tr_run"].trainer
    return {"steps": t.steps, "lr": t.config.learning_rate, "bs": t.config.batch_size,
            "model": t.config.model,
            "widgets": (at.select_slider(key="lr").value, at.select_slider(key="bs").value),
            "weights": {k: v.clone() for k, v in t.model.state_dict().items()}}


def same(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k != "weights"} == {k: v for k, v in b.items()
                                                              if k != "weights"} and all(
        torch.equal(a["weights"][k], b["weights"][k]) for k in a["weights"])


def bad_weights(at: AppTest, marker) -> dict[str, tuple[bytes, str]]:
    """name -> (file, words of the message), built from the session's own model."""
    t = at.session_state["tr_run"].trainer
    good = checkpoint.to_bytes(t, (3, 7))
    sd = {k: v.detach().clone() for k, v in t.model.state_dict().items()}
    # shaped like simple_net's first layer
    other = {"weight": torch.zeros(30, 784), "bias": torch.zeros(30)}
    files = {name: (data, "pickle" if name != "pickle protocol 0" else "not a .safetensors")
             for name, data in malicious_pickles(marker).items()}
    return files | {
        "truncated": (good[: len(good) - 100], "not a valid"),
        "header only": (good[:8], "runs past the end"),
        "oversized": (b"\0" * (checkpoint.MAX_BYTES + 1), "MB"),
        "nan weights": (save({k: torch.full_like(v, float("nan")) for k, v in sd.items()}),
                        "inf or nan"),
        "inf weights": (save({k: torch.full_like(v, float("inf")) for k, v in sd.items()}),
                        "inf or nan"),
        "float64": (save({k: v.double() for k, v in sd.items()}), "float64"),
        "int8": (save({k: v.to(torch.int8) for k, v in sd.items()}), "torch.int8"),
        "wrong shapes": (save(other), "(30, 784)"),
        "no tensors": (save({}), "no tensors"),
        "an image": (encode(Image.new("L", (28, 28))), "not a .safetensors"),
    }


def test_bad_weights_files_are_refused_and_the_trained_model_kept(trained_page, tmp_path):
    at = trained_page
    marker = tmp_path / "marker"
    before = state(at)
    for name, (data, words) in bad_weights(at, marker).items():
        at.file_uploader(key="tr_upload").upload(f"{name}.safetensors", data).run()
        assert not at.exception, name
        messages = [e.value for e in at.error]
        assert any("Not loaded" in m and words in m and "unchanged" in m
                   for m in messages), (name, messages)
        assert same(state(at), before), name
        assert not marker.exists(), f"{name}: the file's code ran"
    at.button(key="tr_step").click().run()  # training goes on from the same weights
    assert at.session_state["tr_run"].trainer.steps == before["steps"] + 1


def test_a_weights_files_own_text_is_not_rendered_as_markdown(trained_page):
    at = trained_page
    t = at.session_state["tr_run"].trainer
    tensors = {k: v.detach().clone().contiguous() for k, v in t.model.state_dict().items()}
    meta = {"format": checkpoint.FORMAT, "model": "[update here](https://example.com/x)",
            "hidden": "30", "digits": "3,7", "steps": "**0** :red[please re-download]"}
    at.file_uploader(key="tr_upload").upload("shared.safetensors",
                                             save(tensors, metadata=meta)).run()
    assert not at.exception
    [message] = [s.value for s in at.success]
    outside = "".join(message.split("`")[::2])  # text outside code spans is markdown
    assert "](" not in outside and ":red[" not in outside and "**0**" not in outside
