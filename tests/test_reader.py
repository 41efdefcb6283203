"""The reader: photographed test digits against their true labels, the shipped file read by hand,
its forward pass redone with torch.nn.functional, and what the training script opens."""

import hashlib
import io
import json
import runpy
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch.nn import functional as F

from lessonlib import reader
from lessonlib.photo import preprocess, upload

ROOT = Path(__file__).resolve().parent.parent
TRAIN, TEST = ROOT / "data" / "mnist_5k.npz", ROOT / "data" / "mnist_t10k.npz"


@pytest.fixture(scope="module")
def test_digits() -> tuple[torch.Tensor, torch.Tensor]:
    with np.load(TEST) as f:
        return torch.from_numpy(f["images"]).float() / 255, torch.from_numpy(f["labels"]).long()


def _photographed(digit: torch.Tensor, seed: int, size: tuple[int, int], thin: bool):
    buf = io.BytesIO()
    Image.fromarray(upload.render_photo(digit, seed, size, thin)).save(buf, "JPEG", quality=85)
    return preprocess.preprocess(upload.load_upload(buf.getvalue())).final  # (28, 28)


@pytest.mark.slow
@pytest.mark.parametrize("size, thin", [((1200, 1600), False), ((600, 800), True)])
def test_photographed_test_digits_are_read_right_nine_times_in_ten(test_digits, size, thin):
    """MNIST test digits (never trained on) printed, photographed, sent as JPEG and prepared."""
    x, y = test_digits
    pick = np.random.default_rng(7 + thin).choice(len(x), 100, replace=False)  # a fixed sample
    photos = torch.stack([_photographed(x[i], 500 + k, size, thin) for k, i in enumerate(pick)])
    right = (reader.read(photos).argmax(1) == y[pick]).float().mean().item()
    assert right >= 0.90, right  # measured on 1,000: 0.98 (see bench/RESULTS.md)


def _header(data: bytes) -> dict:
    """The safetensors header, read by hand: an 8-byte little-endian length, then that much JSON."""
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8 : 8 + n])


def test_shipped_file_is_plain_float32_tensors_of_the_readers_shapes():
    data = reader.WEIGHTS.read_bytes()
    assert len(data) < 1_000_000
    head = _header(data)
    meta = head.pop("__metadata__")
    expected = reader.Reader().state_dict()
    assert set(head) == set(expected)
    ends = []
    for name, entry in head.items():
        assert entry["dtype"] == "F32" and entry["shape"] == list(expected[name].shape), name
        start, end = entry["data_offsets"]
        assert end - start == 4 * expected[name].numel()
        ends.append((start, end))
    ends.sort()  # the tensors tile the rest of the file exactly: raw numbers and nothing else
    assert ends[0][0] == 0 and all(a[1] == b[0] for a, b in zip(ends, ends[1:], strict=False))
    assert 8 + struct.unpack("<Q", data[:8])[0] + ends[-1][1] == len(data)
    assert meta["format"] == reader.FORMAT and meta["trained_on"] == TRAIN.name
    assert meta["sha256"] == hashlib.sha256(TRAIN.read_bytes()).hexdigest()
    model = reader.load_reader()  # strict: every name and shape must fit
    assert all(torch.isfinite(p).all() for p in model.parameters())


def _by_hand(w: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """The reader's forward pass from its raw tensors with torch.nn.functional, then softmax."""
    x = x.reshape(-1, 1, 28, 28)
    for k in ("conv1", "conv2", "conv3"):  # 3×3, padding 1, ReLU, 2×2 max-pool: 28 -> 14 -> 7 -> 3
        x = F.max_pool2d(F.relu(F.conv2d(x, w[f"{k}.weight"], w[f"{k}.bias"], padding=1)), 2)
    x = F.relu(F.linear(x.reshape(len(x), -1), w["fc1.weight"], w["fc1.bias"]))
    return torch.softmax(F.linear(x, w["fc2.weight"], w["fc2.bias"]), dim=1)


def test_read_gives_the_softmax_of_the_network_computed_by_hand(test_digits):
    from safetensors.torch import load_file

    weights = load_file(str(reader.WEIGHTS))
    x = torch.cat([test_digits[0][:20], torch.rand(5, 28, 28)])  # real digits and noise
    probs = reader.read(x)
    assert probs.shape == (25, 10)
    torch.testing.assert_close(probs, _by_hand(weights, x), atol=1e-6, rtol=0)
    torch.testing.assert_close(reader.read(x[0]), probs[:1], atol=1e-6, rtol=0)  # one (28, 28)


AUDIT = """
import runpy, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
sys.argv = ["train_reader.py", "--epochs", "1", "--limit", "40", "--out", sys.argv[1]]
runpy.run_path("scripts/train_reader.py", run_name="__main__")
print("\\n".join("opened " + p for p in opened))
"""


def test_training_script_opens_the_training_digits_and_never_the_test_set(tmp_path):
    """Every file the script opens while training, recorded by an audit hook in its own process."""
    out = tmp_path / "reader.safetensors"
    run = subprocess.run([sys.executable, "-c", AUDIT, str(out)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    opened = [line[len("opened ") :] for line in lines if line.startswith("opened ")]
    data = {Path(p).resolve() for p in opened if p.endswith(".npz")}
    assert data == {TRAIN.resolve()}  # no other data file, so not mnist_t10k.npz
    assert _header(out.read_bytes())["__metadata__"]["images"] == "40"


def test_training_script_refuses_bad_settings_in_one_line(tmp_path, capsys):
    script = runpy.run_path(str(ROOT / "scripts" / "train_reader.py"))  # its functions, not run
    for args in (["--epochs", "0"], ["--limit", "x"], ["--out", str(tmp_path / "no" / "r.st")]):
        with pytest.raises(SystemExit) as exit_:
            script["main"](args)
        assert exit_.value.code == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
