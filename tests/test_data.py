"""Loading digits: the bundled subset and MNIST_SAMPLE-layout folders."""

import os
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import random_sample, write_sample
from PIL import Image

from lessonlib.data import DataError, load_folder

# per digit, MNIST's published test set
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_bundled_trains_on_500_a_digit_and_validates_on_mnists_test_set(bundled):
    assert bundled.digits == list(range(10))
    for d in range(10):
        assert (bundled.count("train", d) == 500
                and bundled.count("valid", d) == MNIST_TEST_COUNTS[d])
        x = bundled.images("valid", d)
        assert x.shape == (MNIST_TEST_COUNTS[d], 28, 28) and x.dtype == torch.float32
        assert 0.0 <= x.min() and x.max() <= 1.0
        assert x[:, 0, :].max() < 0.05  # real handwriting: the border row is blank paper


def test_bundled_pixels_have_mnist_statistics(bundled):
    # MNIST's training set has pixel mean 0.1307 and std 0.3081 (the constants used to normalise it)
    x = torch.cat([bundled.images(s, d) for s in ("train", "valid") for d in range(10)])
    assert abs(x.mean().item() - 0.1307) < 0.01
    assert abs(x.std().item() - 0.3081) < 0.01


def test_bundled_splits_do_not_overlap(bundled):
    for d in range(10):
        train = {bytes(im) for im in bundled.train[d].numpy()}
        assert not any(bytes(im) in train for im in bundled.valid[d].numpy()), d


def test_bundled_validation_set_is_mnists_published_test_set(bundled):
    """The IDX files' published MD5 sums, recomputed from what the app loads (in file order, by
    digit)."""
    import gzip
    import hashlib

    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist-t10k"
    if not shared.is_dir():
        pytest.skip(f"MNIST's original files are not at {shared}")
    labels = np.frombuffer(gzip.decompress((shared / "t10k-labels-idx1-ubyte.gz").read_bytes())[8:],
                           np.uint8)
    images = np.zeros((len(labels), 28, 28), np.uint8)
    for d in range(10):
        images[labels == d] = bundled.valid[d].numpy()
    header = np.array([0, 0, 8, 3, 0, 0, 0x27, 0x10, 0, 0, 0, 28, 0, 0, 0, 28], np.uint8).tobytes()
    assert hashlib.md5(header + images.tobytes()).hexdigest() == "2646ac647ad5339dbf082846283269ea"


def test_folder_loads_pixels_exactly_as_the_book(tmp_path):
    stacks = random_sample(tmp_path, n_train=5, n_valid=3)
    data = load_folder(tmp_path)
    assert data.digits == [3, 7]
    for (split, d), x in stacks.items():
        expected = torch.from_numpy(x.astype(np.float32) / 255)  # uint8 -> float in [0, 1]
        got = data.images(split, d)
        # files are sorted by name: 0.png, 1.png, ... matches the order written
        assert torch.allclose(got, expected, atol=1e-7)


def test_folder_errors_are_one_clear_message(tmp_path):
    with pytest.raises(DataError, match="no such folder"):
        load_folder(tmp_path / "missing")
    with pytest.raises(DataError, match="no 'train' folder"):
        load_folder(tmp_path)
    (tmp_path / "train").mkdir()
    (tmp_path / "valid").mkdir()
    with pytest.raises(DataError, match="no digit images"):
        load_folder(tmp_path)


def test_mixed_sizes_and_corrupt_images_are_refused(tmp_path):
    random_sample(tmp_path)
    Image.fromarray(np.zeros((32, 30), np.uint8)).save(tmp_path / "train" / "3" / "big.png")
    with pytest.raises(DataError, match="30×32"):
        load_folder(tmp_path)
    (tmp_path / "train" / "3" / "big.png").write_bytes(b"not a png at all")
    with pytest.raises(DataError, match="cannot read image big.png"):
        load_folder(tmp_path)


def test_non_image_files_are_ignored_and_one_digit_is_not_enough(tmp_path):
    blank = np.zeros((2, 28, 28), np.uint8)
    write_sample(tmp_path, {("train", 3): blank, ("valid", 3): blank})
    (tmp_path / "train" / "3" / "notes.txt").write_text("hello")
    with pytest.raises(DataError, match="at least two digits"):
        load_folder(tmp_path)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_pointing_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    random_sample(outside)
    root = tmp_path / "root"
    random_sample(root)
    (root / "valid" / "5").symlink_to(outside / "valid" / "3")
    with pytest.raises(DataError, match="points outside"):
        load_folder(root)


def test_confine_keeps_paths_inside_the_roots_and_leaves_them_alone_without_any(tmp_path):
    from lessonlib.data import DataError, confine

    root, other = tmp_path / "root", tmp_path / "cache"
    (root / "a").mkdir(parents=True)
    (other / "b").mkdir(parents=True)
    assert confine("~/x", None) == "~/x"  # no roots: the path as typed
    assert confine("a", [root]) == str(root / "a")
    assert confine(str(root / "a"), [root]) == str(root / "a")
    assert confine("b", [root, other]) == str(other / "b")  # relative: from the root where it
                                                            # exists
    assert confine(str(other / "b"), [root, other]) == str(other / "b")
    (root / "link").symlink_to(tmp_path)
    for bad in ["..", "../root2", "/", "/etc", "link", str(tmp_path / "nowhere"),
                "a/../../cache/b"]:
        with pytest.raises(DataError, match="must be inside root/;"):
            confine(bad, [root])
