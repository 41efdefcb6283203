"""Test helpers: a page opened in AppTest, small data folders in fast.ai's MNIST_SAMPLE layout, tiny
splits."""

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from lessonlib.training import Split
from ui.registry import BY_KEY


def open_page(key: str = "", query: dict | None = None, timeout: float = 90) -> AppTest:
    """A new AppTest session that arrives on the page `key` (its url path; "" for the start page)
    with `query` in its URL, as a shared link does."""
    at = AppTest.from_file("../app.py", default_timeout=timeout)
    at.query_params.update(query or {})
    at.run()
    if key:
        at.switch_page(BY_KEY[key].file).run()
    return at


def write_sample(root: Path, images: dict[tuple[str, int], np.ndarray]) -> Path:
    """Write uint8 (N, 28, 28) stacks as root/<split>/<digit>/<i>.png; returns root."""
    for (split, digit), stack in images.items():
        folder = root / split / str(digit)
        folder.mkdir(parents=True, exist_ok=True)
        for i, im in enumerate(stack):
            Image.fromarray(im, mode="L").save(folder / f"{i}.png")
    (root / "labels.csv").write_text("name,label\n")
    return root


def random_sample(root: Path, digits=(3, 7), n_train=6, n_valid=4,
                  seed=0) -> dict[tuple[str, int], np.ndarray]:
    """Random-ish digit stacks, each digit with its own bright region so classes differ; written
    under root."""
    rng = np.random.default_rng(seed)
    stacks = {}
    for k, d in enumerate(digits):
        for split, n in (("train", n_train), ("valid", n_valid)):
            x = rng.integers(0, 60, size=(n, 28, 28), dtype=np.uint8)
            x[:, 4 + 8 * k : 12 + 8 * k, 6:22] += rng.integers(120, 190, size=(n, 1, 1),
                                                               dtype=np.uint8)
            stacks[(split, d)] = x
    write_sample(root, stacks)
    return stacks


def tiny_split(n=40, seed=0) -> Split:
    """n random flattened images, alternately target 1 (with extra ink in the top rows) and target
    0."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 784, generator=g)
    y = (torch.arange(n) % 2).float().unsqueeze(1)
    x[y[:, 0] == 1, :100] += 0.5  # the first digit has ink in the top rows
    return Split(x, y)


def overflowing_setup(at) -> None:
    """On the training page (AppTest): the book's simple_net without its sigmoid, batches of 16,
    momentum 0.9 — a setup whose loss overflows at large learning rates. The widgets are set;
    nothing is run."""
    at.selectbox(key="model").set_value("simple_net").run()
    at.toggle(key="tr_mistake_no_sigmoid").set_value(True)
    at.select_slider(key="bs").set_value(16)
    at.select_slider(key="momentum").set_value(0.9)


def answer(at: AppTest, key: str, choice: int | str = 0) -> AppTest:
    """Answer the predict-first box `key` (ui.predict_first) by a choice's position or its words;
    the page must rerun without an exception."""
    radio = at.radio(key=f"predict_{key}")
    radio.set_value(radio.options[choice] if isinstance(choice, int) else choice).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """Every st.metric on the page: label -> shown value."""
    return {m.label: m.value for m in at.metric}


def revealed(at: AppTest) -> str:
    """The text of the success and info boxes: where ui.reveal shows an answer."""
    return " ".join(e.value for kind in (at.success, at.info) for e in kind)
