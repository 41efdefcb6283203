"""Digits to learn from: the bundled MNIST digits, MNIST_SAMPLE-layout folders, downloads."""

from lessonlib.data.digits import SPLITS, DataError, DigitData, Progress, by_digit, load_bundled
from lessonlib.data.folders import confine, load_folder, read_image

__all__ = ["SPLITS", "DataError", "DigitData", "Progress", "by_digit", "confine",
           "load_bundled", "load_folder", "read_image"]
