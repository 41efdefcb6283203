"""Rebuild data/reader.safetensors: the "Your digit" page's reader, trained on training digits only.

Reads nothing but data/mnist_5k.npz (5,000 digits of MNIST's training set); MNIST's test set
(data/mnist_t10k.npz) is never opened, so every accuracy measured on it is on digits the reader has
not seen. Each batch is a random variation of its digits: shifted up to 1.5 px, rotated up to 12°,
scaled ±12 %, stretched ±8 %, sheared, strokes thickened or thinned, contrast changed, brightest
pixel 1 (as lessonlib.preprocess leaves a photographed digit). AdamW with a one-cycle schedule,
batch 128, 30 epochs, one thread, seeded: the same seed gives the same weights on the same torch
(two runs gave identical tensors; the order of the metadata in the file's header may differ).
About 45 s of CPU (43–49 s measured) on the project machine: 2-core x86_64, torch 2.14.1, 1 thread.

    python scripts/train_reader.py [--epochs 30] [--seed 0] [--out data/reader.safetensors]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from torch.nn import functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lessonlib.reader import FORMAT, WEIGHTS, Reader  # noqa: E402

TRAINING = ROOT / "data" / "mnist_5k.npz"  # MNIST training digits; the only data this script reads
BATCH, LEARNING_RATE = 128, 3e-3


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and status 2, not argparse's usage block
        print(f"train_reader.py: {message}", file=sys.stderr)
        sys.exit(2)


def training_digits(limit: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The bundled training digits as (N, 1, 28, 28) floats in [0, 1] and (N,) labels."""
    with np.load(TRAINING) as f:
        images, labels = f["images"], f["labels"]  # (N, 28, 28) uint8, (N,)
    if limit:  # a spread of every digit, for a quick check of the script
        keep = np.linspace(0, len(labels) - 1, limit).round().astype(int)
        images, labels = images[keep], labels[keep]
    x = torch.from_numpy(images).float().unsqueeze(1) / 255  # (N, 28, 28) -> (N, 1, 28, 28)
    return x, torch.from_numpy(labels).long()


def uniform(n: int, low: float, high: float, g: torch.Generator) -> torch.Tensor:
    """n numbers drawn evenly from [low, high): (n,)."""
    return torch.rand(n, generator=g) * (high - low) + low


def warp(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Each image moved, turned, scaled and sheared at random: (N, 1, 28, 28) -> same."""
    n = len(x)
    angle = uniform(n, -12, 12, g) * math.pi / 180
    scale, stretch = uniform(n, 0.88, 1.12, g), uniform(n, 0.92, 1.08, g)
    shear = uniform(n, -0.15, 0.15, g)
    shift = uniform(2 * n, -1.5, 1.5, g).view(2, n) / 14  # pixels in affine_grid's [-1, 1] units
    cos, sin = angle.cos(), angle.sin()
    rows = [torch.stack([cos / (scale * stretch), -sin / scale + shear, shift[0]], 1),
            torch.stack([sin / (scale * stretch), cos / scale, shift[1]], 1)]
    grid = F.affine_grid(torch.stack(rows, 1), list(x.shape), align_corners=False)  # (N, 28, 28, 2)
    return F.grid_sample(x, grid, align_corners=False)


def restyle(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Strokes thickened or thinned, contrast changed, brightest pixel 1: (N, 1, 28, 28) -> same."""
    n = len(x)
    k = uniform(n, -1, 1, g).view(n, 1, 1, 1)  # > 0 thicker, < 0 thinner
    thick, thin = F.max_pool2d(x, 3, 1, 1), -F.max_pool2d(-x, 3, 1, 1)  # grey dilation, erosion
    x = x + 0.6 * k.clamp(min=0) * (thick - x) + 0.5 * (-k).clamp(min=0) * (thin - x)
    gain, gamma = uniform(n, 1.0, 1.5, g).view(n, 1, 1, 1), uniform(n, 0.7, 1.3, g).view(n, 1, 1, 1)
    x = (x * gain).clamp(0, 1) ** gamma
    return x / x.amax((2, 3), keepdim=True).clamp(min=1e-6)


def train(x: torch.Tensor, y: torch.Tensor, epochs: int, seed: int) -> Reader:
    """The reader trained on random variations of x: cross-entropy, AdamW, one-cycle schedule."""
    torch.manual_seed(seed)  # the starting weights
    g = torch.Generator().manual_seed(seed)  # the batches and their variations
    model = Reader()
    opt = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=1e-4)
    steps = epochs * math.ceil(len(x) / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, LEARNING_RATE, total_steps=steps)
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=g)
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            loss = F.cross_entropy(model(restyle(warp(x[idx], g), g)), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
    return model.eval()


def main(argv: list[str] | None = None) -> None:
    parser = Parser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--limit", type=int, default=None, help="train on this many digits only")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.seed < 0 or (args.limit is not None and args.limit < 10):
        parser.error("--epochs must be at least 1, --seed at least 0, --limit at least 10")
    if not args.out.parent.is_dir():
        parser.error(f"no such folder for --out: {args.out.parent}")
    torch.set_num_threads(1)
    t0 = time.process_time()
    x, y = training_digits(args.limit)
    model = train(x, y, args.epochs, args.seed)
    meta = {"format": FORMAT, "trained_on": TRAINING.name, "images": str(len(x)),
            "sha256": hashlib.sha256(TRAINING.read_bytes()).hexdigest(),
            "epochs": str(args.epochs), "seed": str(args.seed), "torch": torch.__version__}
    tensors = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, str(args.out), metadata=meta)
    cpu = time.process_time() - t0
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) after {cpu:.0f} s of CPU, "
          f"trained on {len(x):,} digits of {TRAINING.name}")


if __name__ == "__main__":
    main()
