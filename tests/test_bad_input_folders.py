"""Bad data folders, typed into the sidebar: each gives one clear message and the session keeps its
data, its digits and its trained model; a folder of thousands of images reports its progress as it
loads.

Already covered elsewhere (see docs/BAD_INPUT.md): tests/test_data.py (missing, no train folder,
empty, mixed sizes, a corrupt image, non-image files ignored, one digit, a digit folder linked
outside) and tests/test_app_sidebar.py (missing, empty, `../../etc/passwd` and markup typed in the
sidebar).
"""

from __future__ import annotations

import io
import os

import numpy as np
import pytest
from helpers import open_page, random_sample
from PIL import Image
from streamlit.testing.v1 import AppTest

import ui
from lessonlib.data import DataError, load_folder

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")


def png(pixels: np.ndarray, mode: str = "L") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).convert(mode).save(buf, "PNG")
    return buf.getvalue()


# ---- lessonlib.data.load_folder ------------------------------------------------------------------


@pytest.mark.parametrize("layout, words", [
    # names are not digits
    ({"train/three/0.png": "digit", "valid/three/0.png": "digit"}, "no digit images"),
    # two characters: not a digit
    ({"train/10/0.png": "digit", "valid/10/0.png": "digit"}, "no digit images"),
    ({"train/3/0.png": "digit", "train/7/0.png": "digit"}, "no 'valid' folder"),
    ({"train": "a file", "valid/3/0.png": "digit"}, "no 'train' folder"),
    ({"3/0.png": "digit", "7/0.png": "digit"}, "no 'train' folder"),  # flat, without the splits
    ({"train/3/0.png": "digit", "train/7/0.png": "digit", "valid/5/0.png": "digit",
      "valid/9/0.png": "digit"},
     "at least two digits"),
    ({"train/3/a.txt": "text", "train/7/b.csv": "text", "valid/3/c.md": "text",
      "valid/7/d": "text"},
     "no digit images"),
])
def test_wrong_layouts_are_one_clear_message(tmp_path, layout, words):
    digit = png(np.zeros((28, 28), np.uint8))
    for name, kind in layout.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(digit if kind == "digit" else b"not an image")
    with pytest.raises(DataError, match=words):
        load_folder(tmp_path)


def test_a_file_instead_of_a_folder_and_an_image_too_big_are_refused(tmp_path):
    (tmp_path / "file.png").write_bytes(png(np.zeros((28, 28), np.uint8)))
    with pytest.raises(DataError, match="no such folder"):
        load_folder(tmp_path / "file.png")
    random_sample(tmp_path / "data")
    (tmp_path / "data" / "valid" / "7" / "huge.png").write_bytes(
        png(np.zeros((3000, 2000), np.uint8)))
    with pytest.raises(DataError, match="2000×3000 pixels; MNIST images are 28×28"):
        load_folder(tmp_path / "data")


def test_colour_and_transparent_28_by_28_images_are_read_as_grayscale(tmp_path):
    stacks = random_sample(tmp_path)
    rgb = stacks[("train", 3)][0]
    # the same pixels, stored as colour
    (tmp_path / "train" / "3" / "0.png").write_bytes(png(rgb, "RGB"))
    (tmp_path / "train" / "3" / "1.png").write_bytes(png(stacks[("train", 3)][1], "RGBA"))
    data = load_folder(tmp_path)
    assert ((data.train[3][0].numpy() == rgb).all()
            and (data.train[3][1].numpy() == stacks[("train", 3)][1]).all())


@needs_symlinks
def test_a_linked_image_outside_the_folder_is_never_read(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png(np.full((28, 28), 255, np.uint8)))
    root = tmp_path / "root"
    random_sample(root, n_train=3, n_valid=2)
    (root / "train" / "3" / "zz.png").symlink_to(outside)
    data = load_folder(root)
    assert data.count("train", 3) == 3  # the linked file was skipped, not loaded
    assert not (data.train[3] == 255).all(-1).all(-1).any()


@needs_symlinks
def test_a_linked_split_folder_or_only_linked_images_are_refused(tmp_path):
    outside = tmp_path / "outside"
    random_sample(outside)
    linked_split = tmp_path / "a"
    random_sample(linked_split)
    os.rename(linked_split / "train", tmp_path / "old_train")
    (linked_split / "train").symlink_to(outside / "train")
    with pytest.raises(DataError, match="points outside"):
        load_folder(linked_split)
    only_links = tmp_path / "b"
    for split in ("train", "valid"):
        for d in (3, 7):
            (only_links / split / str(d)).mkdir(parents=True)
            (only_links / split / str(d) / "0.png").symlink_to(outside / split / str(d) / "0.png")
    with pytest.raises(DataError, match="no digit images"):
        load_folder(only_links)


@needs_symlinks
def test_a_linked_data_folder_itself_is_fine(tmp_path):
    random_sample(tmp_path / "real")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert load_folder(tmp_path / "link").digits == [3, 7]


@pytest.fixture(scope="module")
def thousands(tmp_path_factory):
    """3,000 tiny PNGs in MNIST_SAMPLE layout (one encoded image written 3,000 times: quick)."""
    root = tmp_path_factory.mktemp("thousands")
    files = {("train", 3): 1200, ("train", 7): 1200, ("valid", 3): 300, ("valid", 7): 300}
    for (split, digit), n in files.items():
        folder = root / split / str(digit)
        folder.mkdir(parents=True)
        data = png(np.full((28, 28), 30 * digit, np.uint8))
        for i in range(n):
            (folder / f"{i:05d}.png").write_bytes(data)
    return root


def test_thousands_of_files_report_progress_as_they_load(thousands):
    calls = []
    data = load_folder(thousands, lambda done, total: calls.append((done, total)))
    # every 500 images, and at the end
    assert [d for d, _ in calls] == [500, 1000, 1500, 2000, 2500, 3000]
    assert {t for _, t in calls} == {3000}
    assert data.count("train", 3) == 1200 and data.count("valid", 7) == 300


def test_progress_reaches_the_total_when_it_is_not_a_multiple_of_500(tmp_path):
    random_sample(tmp_path, n_train=6, n_valid=4)
    calls = []
    load_folder(tmp_path, lambda done, total: calls.append((done, total)))
    assert calls == [(20, 20)]


# ---- the sidebar's folder form (AppTest) ---------------------------------------------------------


def type_folder(at: AppTest, path: str) -> None:
    at.sidebar.text_input[0].input(path)
    at.sidebar.button[0].click().run()  # "Load folder"
    assert not at.exception


def sidebar_caption(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def bad_folders(tmp_path) -> dict[str, tuple[str, str]]:
    """name -> (path to type, words of the message)."""
    mixed = tmp_path / "mixed"
    random_sample(mixed)
    (mixed / "train" / "7" / "big.png").write_bytes(png(np.zeros((32, 30), np.uint8)))
    fake = tmp_path / "fake"
    random_sample(fake)
    (fake / "valid" / "3" / "0.png").write_text("<html>not a png</html>")
    one = tmp_path / "one"
    random_sample(one, digits=(3,))
    (tmp_path / "file.txt").write_text("hello")
    folders = {"mixed sizes": (str(mixed), "30×32 pixels"),
               "a text file named .png": (str(fake), "cannot read image"),
               "one digit": (str(one), "at least two digits"),
               "a file": (str(tmp_path / "file.txt"), "no such folder"),
               "a path with markup": ("../../<img src=x onerror=alert(1)>", "no such folder")}
    if hasattr(os, "symlink"):
        linked = tmp_path / "linked"
        random_sample(linked)
        random_sample(tmp_path / "elsewhere", digits=(5,))
        (linked / "valid" / "5").symlink_to(tmp_path / "elsewhere" / "valid" / "5")
        folders["a digit folder linked outside"] = (str(linked), "points outside")
    return folders


def test_bad_folders_in_the_sidebar_keep_the_trained_model_and_settings(tmp_path, open_folders):
    at = open_page("training")
    at.select_slider(key="lr").set_value(0.5).run()
    at.button(key="tr_epoch").click().run()
    run = at.session_state["tr_run"]
    steps, weights = run.trainer.steps, run.trainer.model.weight.detach().clone()
    for name, (path, words) in bad_folders(tmp_path).items():
        type_folder(at, path)
        assert any(words in e.value for e in at.sidebar.error), (name,
                                                                 [e.value
                                                                  for e in at.sidebar.error])
        assert "bundled MNIST" in sidebar_caption(at), name
        assert at.session_state["tr_run"] is run and run.trainer.steps == steps, name
        assert (run.trainer.model.weight.detach().equal(weights)
                and at.select_slider(key="lr").value == 0.5), name


def test_an_empty_path_asks_for_one():
    at = open_page("")
    for blank in ("", "   "):
        type_folder(at, blank)
        assert "Type a folder path first" in at.sidebar.warning[0].value
        assert "bundled MNIST" in sidebar_caption(at)


def test_thousands_of_images_load_from_the_sidebar_with_a_progress_bar(thousands,
                                                                       monkeypatch, open_folders):
    seen = []

    def watched(path, progress=None):  # ui's own progress callback, called through
        def both(done: int, total: int) -> None:
            seen.append((done, total))
            progress(done, total)  # draws "Loading images… 500 of 3,000" in the sidebar

        return load_folder(path, both)

    monkeypatch.setattr(ui.core, "load_folder", watched)
    at = open_page("")
    type_folder(at, str(thousands))
    assert not at.sidebar.error
    assert seen == [(n, 3000) for n in range(500, 3001, 500)]
    assert f"Using **{thousands.name}**: digits 3, 7" in sidebar_caption(at)
    assert not at.sidebar.get("progress")  # the bar is gone once the images are in
