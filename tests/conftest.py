"""Shared test set-up: run from the repo root so AppTest finds app.py and pages/."""

import os
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
torch.set_num_threads(1)  # as app.py does; faster on a shared 2-core machine


@pytest.fixture(scope="session")
def bundled():
    """The bundled MNIST digits (loaded once per test session)."""
    from lessonlib.data import load_bundled

    return load_bundled()
