"""Bundle the real MNIST test set (10,000 digits) as data/mnist_t10k.npz: the app's validation set.

    python scripts/extract_t10k.py [FOLDER]

FOLDER holds MNIST's original files t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz
(default: ../shared/data/mnist-t10k beside this repository). Their uncompressed contents are checked
against the published MD5 sums before anything is written; the app and the tests read only the .npz.

Source: the MNIST database, Yann LeCun, Corinna Cortes, Christopher J. C. Burges; licence CC BY-SA
3.0. Its 1,010 threes and 1,028 sevens are the validation split of fast.ai's MNIST_SAMPLE, the
chapter's validation set.
"""

import gzip
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "mnist_t10k.npz"
FILES = {  # file -> (MD5 of the uncompressed bytes, header bytes before the data)
    "t10k-images-idx3-ubyte.gz": ("2646ac647ad5339dbf082846283269ea", 16),
    "t10k-labels-idx1-ubyte.gz": ("27ae3e4e09519cfbb04c329615203637", 8),
}


def read(folder: Path, name: str) -> np.ndarray:
    """One IDX file's data as uint8, after checking its MD5; SystemExit with one line on any
    problem."""
    md5, header = FILES[name]
    try:
        raw = gzip.decompress((folder / name).read_bytes())
    except (OSError, EOFError) as e:
        raise SystemExit(f"error: cannot read {folder / name}: {e}") from None
    if hashlib.md5(raw).hexdigest() != md5:
        raise SystemExit(f"error: {name} is not MNIST's published file (MD5 differs)")
    return np.frombuffer(raw[header:], dtype=np.uint8)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT.parent / "shared" / "data" / "mnist-t10k"
    images = read(folder, "t10k-images-idx3-ubyte.gz").reshape(-1, 28, 28)  # (10000, 28, 28)
    labels = read(folder, "t10k-labels-idx1-ubyte.gz")  # (10000,)
    np.savez_compressed(OUT, images=images, labels=labels)
    counts = np.bincount(labels, minlength=10).tolist()
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes): {len(labels)} digits, per class {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
