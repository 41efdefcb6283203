"""Weights to and from safetensors: a JSON header and raw numbers, so loading a file never runs its
code."""

from __future__ import annotations

import json
import struct

import torch
from safetensors import SafetensorError
from safetensors.torch import load, save

from lessonlib.models import MODELS
from lessonlib.training import Trainer

MAX_BYTES = 20_000_000  # simple_net with 256 hidden units is under 1 MB
FORMAT = "lessonlib-ch4-weights-1"


class CheckpointError(ValueError):
    """A weights file that cannot be used, with a message fit to show a user."""


def to_bytes(trainer: Trainer, digits: tuple[int, ...]) -> bytes:
    """The trainer's weights as a .safetensors file, with what model and digits (its classes, in
    order) they belong to."""
    c = trainer.config
    tensors = {k: v.detach().clone().contiguous() for k, v in trainer.model.state_dict().items()}
    meta = {"format": FORMAT, "model": c.model, "hidden": str(c.hidden),
            "digits": ",".join(map(str, digits)), "steps": str(trainer.steps)}
    return save(tensors, metadata=meta)


def _not_safetensors(data: bytes, why: str) -> CheckpointError:
    if (data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")
        or data[:4] == b"PK\x03\x04"):
        why = ("it looks like a pickle or torch.save file, which is never opened here because "
               "unpickling can run code")
    return CheckpointError(f"not a .safetensors file: {why}")


def header(data: bytes) -> dict:
    """The JSON header of a safetensors file, checked for size before it is read."""
    if len(data) > MAX_BYTES:
        raise CheckpointError(f"the file is {len(data) / 1e6:.1f} MB; weights for these models are "
                              f"far smaller")
    if len(data) < 8:
        raise _not_safetensors(data, "it is too short")
    (n,) = struct.unpack("<Q", data[:8])  # the header's length in bytes, little-endian
    if n > len(data) - 8:
        raise _not_safetensors(data, "its header length runs past the end of the file")
    try:
        head = json.loads(data[8 : 8 + n])
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _not_safetensors(data, "its header is not JSON") from None
    if not isinstance(head, dict):
        raise _not_safetensors(data, "its header is not a JSON object")
    return head


def read(data: bytes) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Tensors and metadata of a .safetensors file, or a CheckpointError saying what is wrong."""
    meta = header(data).get("__metadata__") or {}
    try:
        tensors = load(data)
    except (SafetensorError, ValueError, TypeError, RuntimeError) as e:
        raise CheckpointError(f"not a valid .safetensors file ({str(e)[:120]})") from None
    return tensors, meta if isinstance(meta, dict) else {}


def claimed(meta: dict[str, str]) -> dict[str, str]:
    """What a file's metadata says it holds, keeping only values of the expected form (a known model
    name, digits, whole numbers), so that a file's own text is never shown as markup."""
    def whole(v: object) -> bool:
        return isinstance(v, str) and v.isdigit() and len(v) <= 12

    digits = meta.get("digits")
    out = {"model": meta["model"]} if meta.get("model") in MODELS else {}
    if isinstance(digits, str) and all(len(d) == 1 and d.isdigit() for d in digits.split(",")):
        out["digits"] = digits
    out.update({k: meta[k] for k in ("hidden", "steps") if whole(meta.get(k))})
    return out


def check(tensors: dict[str, torch.Tensor], meta: dict[str, str], model: torch.nn.Module,
          name: str) -> None:
    """Refuse weights whose names, shapes or dtypes differ from the model's, or that hold
    inf/nan."""
    expected, meta = model.state_dict(), claimed(meta)
    hidden = "hidden" in meta and "model" in meta and MODELS[meta["model"]].hidden
    whose = (f"weights for {meta.get('model', 'another model')}"
             + (f" with {meta['hidden']} hidden units" if hidden else ""))
    if set(tensors) != set(expected):
        raise CheckpointError(f"the file holds {whose} "
                              f"({', '.join(sorted(tensors)) or 'no tensors'}); the current model "
                              f"{name} needs {', '.join(sorted(expected))}")
    for k, want in expected.items():
        got = tensors[k]
        if got.shape != want.shape:
            raise CheckpointError(f"the file holds {whose}: {k} is {tuple(got.shape)}, the current "
                                  f"{name} needs {tuple(want.shape)}")
        if got.dtype != want.dtype:
            raise CheckpointError(f"{k} is {got.dtype}; the model needs {want.dtype}")
        if not torch.isfinite(got).all():
            raise CheckpointError(f"{k} holds inf or nan values")


def check_classes(meta: dict[str, str], labels: tuple[int, ...]) -> None:
    """Refuse weights made for another number of classes: two digits (one output) against all
    digits."""
    digits = claimed(meta).get("digits", "")
    n = len(digits.split(","))
    if digits and n != len(labels):
        raise CheckpointError(f"the file's model was trained on {n} digits ({digits}); the current "
                              f"one is trained on {len(labels)} ({','.join(map(str, labels))})")


def restore(trainer: Trainer, data: bytes) -> dict[str, str]:
    """Load checked weights into the trainer's model (the model is untouched on any error); returns
    what the file's metadata claims, checked for form (see `claimed`)."""
    tensors, meta = read(data)
    if trainer.train.labels:
        check_classes(meta, trainer.train.labels)
    check(tensors, meta, trainer.model, trainer.config.model)
    trainer.model.load_state_dict(tensors)  # copies into the same parameters the optimiser holds
    trainer.opt.reset_velocity()
    trainer.diverged = False
    return claimed(meta)
