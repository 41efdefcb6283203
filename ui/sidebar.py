"""The sidebar every page shares: the data source (bundled, a folder, downloads) and the two
digits."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from lessonlib.data import DataError, DigitData, confine, download
from ui import links
from ui.core import BUNDLED, data, download_progress, use_source
from ui.share import hidden


def _digits_from_link(d: DigitData) -> None:
    """Apply `?digits=a,b` once per distinct link value; say why when it cannot be used."""
    raw = st.query_params.get(links.DIGITS)
    if raw is None or raw == st.session_state.get("_digits_link"):
        return
    st.session_state._digits_link = raw
    pair, why = links.parse_digits(raw, d.digits)
    if pair:
        st.session_state.digit_a, st.session_state.digit_b = pair
    else:
        st.sidebar.caption(f":material/link_off: Ignored digits `{links.short(raw)}` from the "
                           f"link: {why}.")


def _download_buttons() -> None:
    with st.sidebar.expander("Download more data"):
        st.caption(f"Into `{download.CACHE}`. Needs internet; without it you keep the current "
                   f"data.")
        _download_button("MNIST_SAMPLE", "fast.ai's 3s and 7s, 14,434 images",
                         download.fetch_mnist_sample, "folder")
        _download_button("full MNIST", "70,000 digits through torchvision",
                         download.fetch_full_mnist, "mnist")


def _download_button(name: str, help: str, fetch: Callable[..., Path], kind: str) -> None:
    """A button that downloads with a progress bar and switches to the data, or says why it could
    not."""
    if not st.button(f"Download {name}", help=help):
        return
    bar = st.progress(0.0, text=f"Downloading {name}…")
    try:
        path = fetch(progress=download_progress(bar, name))
    except download.DownloadError as e:
        st.error(str(e))
    else:
        use_source((kind, str(path)))
    bar.empty()


def sidebar() -> None:
    """Data source and digit pair, shared by every page."""
    if not hidden("data"):
        _data_controls()
    d = data()
    _digits_from_link(d)
    _digit_controls(d)


def _data_controls() -> None:
    sb = st.sidebar
    sb.header("Data")
    with sb.form("folder_form", border=False):
        roots = folder_roots()
        where = ("any folder" if roots is None
                 else "a folder inside " + " or ".join(f"{r.name}/" for r in roots))
        path = st.text_input("Folder in MNIST_SAMPLE layout",
                             placeholder="~/.fastai/data/mnist_sample",
                             help="A folder with train/3, train/7, valid/3, valid/7 … of 28×28 "
                                  f"PNGs: {where} on the machine running the app.")
        cols = st.columns(2)
        load = cols[0].form_submit_button("Load folder")
        reset = cols[1].form_submit_button("Use bundled")
    if load:
        if path.strip():
            _use_folder(path.strip())
        else:
            sb.warning("Type a folder path first.")
    if reset:
        st.session_state.source = BUNDLED
    _download_buttons()
    d = data()
    sb.caption(f"Using **{d.name}**: digits {', '.join(map(str, d.digits))}.")


def folder_roots() -> list[Path] | None:
    """Where a typed folder may lead. By default only into the app's data folders: the download
    cache and fastai's data folder (where `untar_data` puts MNIST_SAMPLE). LESSONLIB_DATA_ROOT names
    other roots instead (several separated by the path separator); LESSONLIB_OPEN_FOLDERS=1 opens
    every folder, for a learner's own machine."""
    if os.environ.get("LESSONLIB_OPEN_FOLDERS") == "1":
        return None
    if os.environ.get("LESSONLIB_DATA_ROOT"):
        return [Path(r) for r in os.environ["LESSONLIB_DATA_ROOT"].split(os.pathsep) if r]
    return [download.CACHE, Path(os.environ.get("FASTAI_HOME", "~/.fastai")).expanduser() / "data"]


def _use_folder(path: str) -> None:
    """Switch to a typed folder, kept inside folder_roots() (see the README's threat model)."""
    try:
        path = confine(path, folder_roots())
    except DataError as e:
        st.sidebar.error(str(e))
        return
    use_source(("folder", path))


def _digit_controls(d: DigitData) -> None:
    sb = st.sidebar
    if hidden("digits"):
        st.session_state.digit_pair = (st.session_state.get("digit_a", 3),
                                       st.session_state.get("digit_b", 7))
        if (st.session_state.digit_pair[0] not in d.digits
            or st.session_state.digit_pair[1] not in d.digits):
            st.session_state.digit_pair = tuple(d.digits[:2])
        return
    sb.header("Digits")
    c1, c2 = sb.columns(2)
    if st.session_state.get("digit_a") not in d.digits:  # a new data source may lack the old choice
        st.session_state.digit_a = 3 if 3 in d.digits else d.digits[0]
    a = c1.selectbox("First digit", d.digits, key="digit_a", help="The positive class: target 1")
    others = [x for x in d.digits if x != a]
    if st.session_state.get("digit_b") not in others:
        st.session_state.digit_b = 7 if 7 in others else others[0]
    b = c2.selectbox("Second digit", others, key="digit_b", help="The negative class: target 0")
    st.session_state.digit_pair = (a, b)
    if (a, b) != (3, 7) or links.DIGITS in st.query_params:
        st.query_params[links.DIGITS] = st.session_state._digits_link = f"{a},{b}"
