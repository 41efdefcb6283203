"""What every page needs: the data the sidebar chose, shared results, "Show the code"."""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from lessonlib import download
from lessonlib.data import DataError, DigitData, load_bundled, load_folder
from ui.share import hidden

BUNDLED = ("bundled", "")
T = TypeVar("T")
CHAPTER = [  # (page file, what the learner does there), in the chapter's order
    ("pages/1_pixels.py", "1 · Pixels — a digit is a grid of numbers: shapes, ranks, a shaded table"),
    ("pages/2_similarity.py", "2 · Pixel similarity — the mean (ideal) digits and a baseline with no learning"),
    ("pages/3_distances.py", "3 · Distance metrics — L1 vs RMSE, by hand and with PyTorch"),
    ("pages/4_gradient.py", "4 · Gradient of x² — backward(), learning rates, the seven steps of SGD"),
    ("pages/5_training.py", "5 · SGD training — train a linear model and a small net, live"),
    ("pages/6_your-digit.py", "Beyond the book · Your digit — draw or photograph one and see what the models say"),
    ("pages/7_questionnaire.py", "Beyond the book · Questionnaire — the chapter's questions, with answers to check"),
]


@st.cache_resource(show_spinner="Loading the bundled MNIST digits…")
def _bundled() -> DigitData:
    return load_bundled()


@st.cache_resource
def _folders() -> dict[str, DigitData]:
    """Folders loaded so far, shared by all sessions (at most MAX_FOLDERS, oldest dropped first)."""
    return {}


MAX_FOLDERS = 4
_LOCK = threading.Lock()


def _folder(path: str) -> DigitData:
    cache = _folders()
    if path not in cache:
        bar = st.sidebar.empty()

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Loading images… {done:,} of {total:,}")

        loaded = load_folder(path, progress)
        bar.empty()
        with _LOCK:
            while len(cache) >= MAX_FOLDERS:
                cache.pop(next(iter(cache)))
            cache[path] = loaded
    return cache[path]


@st.cache_resource(show_spinner="Reading full MNIST…", max_entries=1)
def _full_mnist(root: str) -> DigitData:
    return download.load_full_mnist(root)


def _load(source: tuple[str, str]) -> DigitData:
    kind, path = source
    if kind == "folder":
        return _folder(path)
    if kind == "mnist":
        return _full_mnist(path)
    return _bundled()


def data() -> DigitData:
    """The data the sidebar chose; the bundled digits until the user picks another source."""
    return _load(st.session_state.get("source", BUNDLED))


def digit_pair() -> tuple[int, int]:
    """The two digits the sidebar chose, first is the positive class (the book's 3 vs 7)."""
    return st.session_state.get("digit_pair", (3, 7))


@st.cache_resource
def _results() -> OrderedDict:
    return OrderedDict()


MEMO_SIZE = 256  # results kept for all visitors; the least recently used go first


def memo(name: str, compute: Callable[[], T]) -> T:
    """A result that depends only on the data source, the digit pair and `name`, computed once for all visitors:
    a slow table, or a figure for one setting (name it in `name`), which the next visitor with that setting, or the
    same visitor's next rerun, gets without building it again.

    Treat the result as read-only: every session gets the same object."""
    return remember(_results(), (st.session_state.get("source", BUNDLED), digit_pair(), name), compute, MEMO_SIZE)


def remember(cache: OrderedDict, key: object, compute: Callable[[], T], size: int) -> T:
    """cache[key], computed on a miss; at most `size` entries, the least recently used dropped first."""
    with _LOCK:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = compute()  # outside the lock: other visitors' lookups need not wait for it
    with _LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)
    return value


def use_source(source: tuple[str, str]) -> None:
    """Switch to another data source if it loads; on failure say why and keep the current data."""
    try:
        _load(source)
    except DataError as e:
        st.sidebar.error(str(e))
        return
    st.session_state.source = source


def show_code(*functions: Callable | type, label: str = "Show the code") -> None:
    """An expander with the source of the lessonlib functions that just ran (hidden by `?hide=code`)."""
    if hidden("code"):
        return
    with st.expander(label):
        for fn in functions:
            st.code(_source(fn), language="python")


@functools.cache
def _source(fn: Callable | type) -> str:
    """A function's source text, read from its file once per server process."""
    return inspect.getsource(fn)
