"""Shared test set-up: run from the repo root so AppTest finds app.py and pages/; a page opened in
AppTest; markers.

Markers: `browser` (everything under tests/browser/, real Chromium) and `slow` (long training runs).
The fast loop, `bash scripts/test.sh -m "not browser and not slow"`, leaves both out."""

import os
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
torch.set_num_threads(1)  # as app.py does; faster on a shared 2-core machine


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in Path(item.fspath).parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def bundled():
    """The bundled MNIST digits (loaded once per test session)."""
    from lessonlib.data import load_bundled

    return load_bundled()


@pytest.fixture
def open_page():
    """Open a page of ui.registry in AppTest, as a new session arriving by a link:
    open_page("training", {"lr": "0.05"}). The app runs first at its root (as st.navigation needs),
    then switches to the page."""
    from helpers import open_page

    return open_page


@pytest.fixture
def open_folders(monkeypatch):
    """The sidebar's folder box opened to any folder, as on a learner's own machine
    (LESSONLIB_OPEN_FOLDERS=1); by default it only reads the app's data folders."""
    monkeypatch.setenv("LESSONLIB_OPEN_FOLDERS", "1")
