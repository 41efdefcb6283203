"""The reader (lessonlib.reader) on MNIST's test digits: plain, and photographed as on the page.

- plain: all 10,000 digits of data/mnist_t10k.npz, which the reader never trained on;
- photographed: a fixed random sample of them, each printed as dark ink on shaded, noisy paper and
  photographed (lessonlib.upload.render_photo, its own photo seed per digit and setting), saved as a
  JPEG (quality 85), opened as an upload and prepared like MNIST (lessonlib.preprocess), as
  tests/test_preprocess.py does. Settings: 1200 × 1600 with a normal and with a fine pen, 600 × 800
  with a fine pen, and a 12-megapixel photo (3024 × 4032) for the first `--big` digits;
- beside each, the pixel-similarity baseline (nearest mean training digit, L1) on the same images;
- time: one digit through `read`, the median of 200 calls; a batch of 1,000; and a fresh process's
  first prediction (import, load the weights, read one digit) after torch is imported.

One thread, as the app. Last line: key=value figures.

    python bench/reader.py [--sample 1000] [--big 200]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessonlib import reader, similarity  # noqa: E402
from lessonlib.data import load_bundled  # noqa: E402
from lessonlib.photo import preprocess, upload  # noqa: E402

SETTINGS = {  # name: (photo size, fine pen)
    "ink_1200x1600": ((1200, 1600), False),
    "pen_1200x1600": ((1200, 1600), True),
    "pen_600x800": ((600, 800), True),
    "ink_3024x4032": ((3024, 4032), False),
}
FIRST = ("import time, torch; torch.set_num_threads(1); t0 = time.perf_counter(); "
         "from lessonlib import reader; reader.read(torch.zeros(28, 28)); "
         "print(time.perf_counter() - t0)")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and status 2, not argparse's usage block
        print(f"reader.py: {message}", file=sys.stderr)
        sys.exit(2)


def photographed(digit: torch.Tensor, seed: int, size: tuple[int, int], thin: bool) -> torch.Tensor:
    """A (28, 28) digit printed, photographed, sent as a JPEG and prepared like MNIST: (28, 28)."""
    buf = io.BytesIO()
    Image.fromarray(upload.render_photo(digit, seed, size, thin)).save(buf, "JPEG", quality=85)
    return preprocess.preprocess(upload.load_upload(buf.getvalue())).final


def test_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST's test digits, (10000, 28, 28) in [0, 1], and their labels (10000,)."""
    with np.load(ROOT / "data" / "mnist_t10k.npz") as f:
        return torch.from_numpy(f["images"]).float() / 255, torch.from_numpy(f["labels"]).long()


def accuracies(x: torch.Tensor, y: torch.Tensor, means: dict) -> tuple[float, float]:
    """Share the reader and the baseline name right: (N, 28, 28), (N,)."""
    ours = (reader.read(x).argmax(1) == y).float().mean().item()
    base = (similarity.predict(x, means) == y).float().mean().item()
    return ours, base


def photo_setting(x: torch.Tensor, k: int, name: str) -> tuple[torch.Tensor, int, float]:
    """The digits photographed in one setting: (N, 28, 28), how many had no ink found, seconds."""
    size, thin = SETTINGS[name]
    t0, out, lost = time.perf_counter(), [], 0
    for i, digit in enumerate(x):
        try:
            out.append(photographed(digit, 100_000 * k + i, size, thin))
        except preprocess.NoInkError:  # counted as wrong: a blank image
            out.append(torch.zeros(28, 28))
            lost += 1
    return torch.stack(out), lost, time.perf_counter() - t0


def timings() -> dict[str, str]:
    """Milliseconds for one digit, for 1,000, and for a fresh process's first prediction."""
    one = torch.rand(1, 28, 28)
    reader.read(one)
    ms = []
    for _ in range(200):
        t0 = time.perf_counter()
        reader.read(one)
        ms.append(1000 * (time.perf_counter() - t0))
    batch = torch.rand(1000, 28, 28)
    t0 = time.perf_counter()
    reader.read(batch)
    batch_ms = 1000 * (time.perf_counter() - t0)
    out = subprocess.run([sys.executable, "-c", FIRST], cwd=ROOT, capture_output=True, text=True)
    first = 1000 * float(out.stdout.strip() or "nan")
    return {"read_one_ms": f"{statistics.median(ms):.2f}", "read_1000_ms": f"{batch_ms:.0f}",
            "first_read_ms": f"{first:.0f}"}


def main() -> None:
    parser = Parser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=1000, help="test digits to photograph")
    parser.add_argument("--big", type=int, default=200, help="of them, photographed at 12 MP")
    args = parser.parse_args()
    if not 1 <= args.sample <= 10_000 or not 0 <= args.big <= args.sample:
        parser.error("--sample must be 1 to 10000 and --big 0 to --sample")
    torch.set_num_threads(1)
    x, y = test_digits()
    means = similarity.class_means(load_bundled(), list(range(10)))  # the training digits' means
    ours, base = accuracies(x, y, means)
    figures = {"plain": f"{ours:.4f}"}
    print(f"plain: {len(x):,} test digits: reader {ours:.4f}, baseline {base:.4f}")
    pick = torch.from_numpy(np.random.default_rng(2026).choice(len(x), args.sample, replace=False))
    for k, name in enumerate(SETTINGS):
        n = args.big if name == "ink_3024x4032" else args.sample
        photos, lost, seconds = photo_setting(x[pick[:n]], k, name)
        ours, base = accuracies(photos, y[pick[:n]], means)
        figures[name] = f"{ours:.4f}"
        print(f"photographed, {name}: {n:,} digits, reader {ours:.4f}, baseline {base:.4f}; no ink "
              f"found in {lost}; {1000 * seconds / n:.0f} ms a photo to make and prepare")
    figures.update(timings())
    figures["weights_bytes"] = str(reader.WEIGHTS.stat().st_size)
    print(f"reader: one digit {figures['read_one_ms']} ms, 1,000 digits {figures['read_1000_ms']} "
          f"ms, first prediction in a fresh process {figures['first_read_ms']} ms")
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
