"""What every page needs: the data the sidebar chose, the digits to compare, "Show the code"."""

from __future__ import annotations

import functools
import inspect
import os
import textwrap
import threading
from collections.abc import Callable

import streamlit as st

from lessonlib.data import DataError, DigitData, download, load_bundled, load_folder
from ui.share import hidden

Source = tuple[str, str]  # ("bundled", ""), ("folder", path) or ("mnist", root)
BUNDLED: Source = ("bundled", "")
MAX_FOLDERS = 4
_LOCK, _FETCH_LOCK = threading.Lock(), threading.Lock()


@st.cache_resource(show_spinner="Loading the bundled MNIST digits…")
def _bundled() -> DigitData:
    return load_bundled()


@st.cache_resource
def _folders() -> dict[str, DigitData]:
    """Folders loaded so far, shared by all sessions (at most MAX_FOLDERS, oldest dropped first)."""
    return {}


def _folder(path: str, show_progress: bool) -> DigitData:
    cache = _folders()
    if path not in cache:
        bar = st.sidebar.empty() if show_progress else None

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.progress(done / total, text=f"Loading images… {done:,} of {total:,}")

        loaded = load_folder(path, progress)
        if bar is not None:
            bar.empty()
        with _LOCK:
            while len(cache) >= MAX_FOLDERS:
                cache.pop(next(iter(cache)))
            cache[path] = loaded
    return cache[path]


@st.cache_resource(show_spinner="Reading full MNIST…", max_entries=1)
def _full_mnist(root: str) -> DigitData:
    return download.load_full_mnist(root)


def load(source: Source, show_progress: bool = False) -> DigitData:
    """The data of a source, loaded once and shared by every visitor."""
    kind, path = source
    if kind == "folder":
        return _folder(path, show_progress)
    if kind == "mnist":
        return _full_mnist(path)
    return _bundled()


DEFAULTS = {  # LESSONLIB_DEFAULT_DATA -> (what to fetch, the kind of source it gives, its name on
              # screen)
    "mnist_sample": (download.fetch_mnist_sample, "folder", "fast.ai's MNIST_SAMPLE"),
    "mnist": (download.fetch_full_mnist, "mnist", "full MNIST"),
}
_fetched: dict[str, Source | str] = {}  # per server process: the source fetched, or why it could
                                        # not be


def default_source() -> Source:
    """The data a new visitor starts on: the bundled digits, or what the operator chose with
    LESSONLIB_DEFAULT_DATA (mnist_sample or mnist), downloaded once per server with a progress bar;
    the bundled digits if that fails."""
    kind = os.environ.get("LESSONLIB_DEFAULT_DATA", "bundled")
    if kind not in DEFAULTS:
        return BUNDLED
    fetch, source_kind, name = DEFAULTS[kind]
    with _FETCH_LOCK:  # one download, however many visitors arrive while it runs
        if kind not in _fetched:
            bar = st.sidebar.progress(0.0, text=f"Downloading {name} for this server (once)…")
            try:
                _fetched[kind] = (source_kind, str(fetch(progress=download_progress(bar, name))))
            except download.DownloadError as e:
                _fetched[kind] = str(e)
            bar.empty()
    got = _fetched[kind]
    if isinstance(got, str):
        st.sidebar.warning(f"The server's default data, {name}, could not be downloaded: {got} "
                           "Using the bundled digits.")
        return BUNDLED
    return got


def download_progress(bar, name: str) -> Callable[[int, int], None]:
    """A progress callback that moves a Streamlit progress bar, in MB."""

    def update(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0,
                     text=f"Downloading {name}… {done / 1e6:.1f} MB")

    return update


def source() -> Source:
    """The data source the sidebar chose; the server's default data until the visitor picks
    another."""
    if "source" not in st.session_state:
        st.session_state.source = default_source()
    return st.session_state.source


def data() -> DigitData:
    """The data the sidebar chose."""
    return load(source(), show_progress=True)


def digit_pair() -> tuple[int, int]:
    """The two digits the sidebar chose, first is the positive class (the book's 3 vs 7)."""
    return st.session_state.get("digit_pair", (3, 7))


def use_source(new: Source) -> None:
    """Switch to another data source if it loads; on failure say why and keep the current data."""
    try:
        load(new, show_progress=True)
    except DataError as e:
        st.sidebar.error(str(e))
        return
    st.session_state.source = new


def show_code(*functions: Callable | type, label: str = "Show the code") -> None:
    """An expander with the source of the lessonlib functions that just ran (hidden
    by `?hide=code`)."""
    if hidden("code"):
        return
    with st.expander(label):
        for fn in functions:
            st.code(source_text(fn), language="python")


@functools.cache
def source_text(fn: Callable | type) -> str:
    """A function's source text, dedented, read from its file once per server process."""
    return textwrap.dedent(inspect.getsource(fn))
