"""Saving and loading weights: a round trip, and files that must be refused without touching the
model."""

import io
import json
import pickle
import struct

import pytest
import torch
from helpers import tiny_split
from safetensors.torch import save

from lessonlib import checkpoint
from lessonlib.models import MODELS
from lessonlib.training import TrainConfig, Trainer

MARKER = {"ran": False}


def _set_marker():
    MARKER["ran"] = True
    return "pwned"


class Evil:
    """Unpickling this calls _set_marker: proof that a loader ran code from the file."""

    def __reduce__(self):
        return (_set_marker, ())


def trainer(model="linear", hidden=8) -> Trainer:
    split = tiny_split()
    return Trainer(split, split, TrainConfig(model, 0.5, 8, hidden))


def weights(t: Trainer) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in t.model.state_dict().items()}


# its weights files
@pytest.mark.parametrize("model", [m for m, spec in MODELS.items() if spec.on_training_page])
def test_save_load_round_trip(model):
    a, b = trainer(model), trainer(model)
    list(a.fit(2))
    data = checkpoint.to_bytes(a, (3, 7))
    meta = checkpoint.restore(b, data)
    assert meta["model"] == model and meta["digits"] == "3,7" and meta["steps"] == str(a.steps)
    for k, v in a.model.state_dict().items():
        assert torch.equal(b.model.state_dict()[k], v)
    x = tiny_split().x
    assert torch.equal(a.model(x), b.model(x))
    list(b.fit(1))  # the optimiser still trains the loaded parameters


def refused(t: Trainer, data: bytes, match: str) -> None:
    before = weights(t)
    with pytest.raises(checkpoint.CheckpointError, match=match):
        checkpoint.restore(t, data)
    for k, v in t.model.state_dict().items():
        assert torch.equal(v, before[k]), "a refused file must leave the model as it was"


def test_a_pickle_that_would_run_code_is_never_unpickled():
    t = trainer()
    refused(t, pickle.dumps(Evil()), "pickle")
    buf = io.BytesIO()
    torch.save({"weight": Evil()}, buf)  # torch.save writes a zip holding a pickle
    refused(t, buf.getvalue(), "pickle")
    # protocol 0 has no \x80 opcode
    refused(t, pickle.dumps(Evil(), protocol=0), "not a .safetensors")
    assert MARKER["ran"] is False


def test_files_for_another_model_are_refused_with_a_reason():
    t = trainer("linear")
    refused(t, checkpoint.to_bytes(trainer("simple_net"), (3, 7)), "simple_net")
    refused(t, checkpoint.to_bytes(trainer("linear1"), (3, 7)), "linear1")
    refused(trainer("simple_net", 8), checkpoint.to_bytes(trainer("simple_net", 16), (3, 7)),
            "16 hidden units")


def test_wrong_dtype_and_non_finite_values_are_refused():
    t = trainer()
    sd = weights(t)
    refused(t, save({k: v.double() for k, v in sd.items()}), "float64")
    bad = dict(sd, weight=sd["weight"].clone().fill_(float("nan")))
    refused(t, save(bad), "inf or nan")


def test_malformed_bytes_are_refused():
    t = trainer()
    good = checkpoint.to_bytes(t, (3, 7))
    refused(t, b"", "too short")
    refused(t, b"hello world, not weights", "not a .safetensors")
    refused(t, struct.pack("<Q", 10**12) + b"{}", "runs past the end")
    refused(t, struct.pack("<Q", 4) + b"\xff\xfe{}", "not JSON")
    refused(t, struct.pack("<Q", 2) + b"[]", "not a JSON object")
    refused(t, good[:-10], "not a valid")  # truncated data
    head = json.dumps({"weight": {"dtype": "F32", "shape": [1, 784],
                                  "data_offsets": [0, 10**9]}}).encode()
    refused(t, struct.pack("<Q", len(head)) + head + b"\0" * 16, "not a valid")
    refused(t, b"\0" * (checkpoint.MAX_BYTES + 1), "MB")
