"""A folder in fast.ai's MNIST_SAMPLE layout (train/3, valid/7, … of 28×28 PNGs) as digit
tensors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from lessonlib.data.digits import SPLITS, DataError, DigitData, Progress

MAX_FILES = 200_000


def read_image(path: Path) -> np.ndarray:
    """One image file as a (H, W) uint8 grayscale array, as the book's `tensor(Image.open(o))`."""
    try:
        with Image.open(path) as im:
            return np.array(im.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise DataError(f"cannot read image {path.name}: {type(e).__name__}") from None


def _image_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in {".png", ".jpg", ".jpeg"})
    return files


def _scan(root: Path) -> dict[tuple[str, int], list[Path]]:
    """The image files of every split/digit folder under root, checked to stay inside root."""
    found: dict[tuple[str, int], list[Path]] = {}
    for split in SPLITS:
        split_dir = root / split
        if not split_dir.is_dir():
            raise DataError(f"{root} has no '{split}' folder; expected train/3, train/7, valid/3, "
                            f"valid/7 …")
        for sub in sorted(split_dir.iterdir()):
            if sub.is_dir() and sub.name.isdigit() and len(sub.name) == 1:
                if not sub.resolve().is_relative_to(root.resolve()):
                    raise DataError(f"{split}/{sub.name} points outside the data folder")
                files = [f for f in _image_files(sub) if f.resolve().is_relative_to(root.resolve())]
                if files:
                    found[(split, int(sub.name))] = files
    return found


def confine(path: str, roots: Sequence[str | Path] | None) -> str:
    """The folder a visitor typed, kept inside one of `roots` (None: any folder, as on a learner's
    own machine). A relative path is taken from the first root where it exists
    (else the first root); a path leading outside every root (`..`, an absolute path, a symlink) is
    refused with one message, whether or not it exists, so the answers tell a visitor nothing about
    the server's disk outside the roots."""
    if roots is None:
        return path
    bases = [Path(r).expanduser().resolve() for r in roots]
    typed = Path(path).expanduser()
    # an absolute path replaces base; symlinks followed
    candidates = [(base / typed).resolve() for base in bases]
    inside = [f for f in candidates if any(f == b or b in f.parents for b in bases)]
    if not inside:
        names = " or ".join(f"{b.name}/" for b in bases)
        raise DataError(f"on this server, data folders must be inside {names}; type a path inside "
                        f"it")
    return str(next((f for f in inside if f.is_dir()), inside[0]))


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
                raise DataError(f"{split}/{digit}/{f.name} is {a.shape[1]}×{a.shape[0]} pixels; "
                                f"MNIST images are 28×28")
            arrays.append(a)
            done += 1
            if progress and (done % 500 == 0 or done == total):
                progress(done, total)
        out[split][digit] = torch.from_numpy(np.stack(arrays))  # (N, 28, 28) uint8
    data = DigitData(root.name or str(root), out["train"], out["valid"])
    if len(data.digits) < 2:
        raise DataError(f"{root} needs at least two digits in both train and valid; found "
                        f"{data.digits}")
    return data
