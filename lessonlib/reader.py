"""The reader: a small convolutional network that names a 28×28 digit, for the "Your digit" page.

Trained by `scripts/train_reader.py` on the bundled **training** digits only (`data/mnist_5k.npz`:
5,000 of MNIST's training set, 500 per digit), with random shifts, rotations, scaling, shear, stroke
thickness and contrast; it has never seen MNIST's test set. Measured (bench/reader.py, 2026-11-30):
0.9875 of MNIST's 10,000 test digits; of 1,000 of them printed as dark ink on paper, photographed,
sent as a JPEG and prepared by `lessonlib.photo.preprocess`: 0.9920 at 1200 × 1600, 0.9870 with a
fine pen, 0.9850 with a fine pen at 600 × 800 (the pixel-similarity baseline: 0.658, 0.571, 0.580).
About 0.2 ms for one digit on one CPU thread.

Weights: `data/reader.safetensors` (244 KB, float32), read without running code from the file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn
from torch.nn import functional as F

WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "reader.safetensors"
FORMAT = "lessonlib-reader-1"
SIDE = 28
CLASSES = 10  # the digits 0–9, in order


class Reader(nn.Module):
    """Three 3×3 convolutions, each halving the image, then two linear layers: 60,874 parameters."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 3 * 3, 64)
        self.fc2 = nn.Linear(64, CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Activations, one per digit: (N, 1, 28, 28) -> (N, 10)."""
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)  # (N, 16, 14, 14)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # (N, 32, 7, 7)
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)  # (N, 64, 3, 3)
        x = F.relu(self.fc1(x.flatten(1)))  # (N, 576) -> (N, 64)
        return self.fc2(x)  # (N, 10)


def load_reader(path: Path = WEIGHTS) -> Reader:
    """The reader with its weights from a .safetensors file, ready to predict (eval mode)."""
    model = Reader()
    model.load_state_dict(load_file(str(path)), strict=True)  # names and shapes must match exactly
    return model.eval()


@lru_cache(maxsize=1)
def shipped() -> Reader:
    """The reader with the bundled weights, loaded once per process."""
    return load_reader()


@torch.no_grad()
def read(images: torch.Tensor, model: Reader | None = None) -> torch.Tensor:
    """Each digit's probability for each image, MNIST-style (ink 1 on 0):
    (N, 28, 28) or (28, 28) -> (N, 10)."""
    x = images.float().reshape(-1, 1, SIDE, SIDE)  # (N, 28, 28) -> (N, 1, 28, 28)
    return (model or shipped())(x).softmax(dim=1)
