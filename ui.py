"""What the pages share: cached data, the sidebar's choices and "Show the code"."""

from __future__ import annotations

import inspect
import os
import random
import runpy
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from lessonlib import download, links
from lessonlib.data import DataError, DigitData, confine, load_bundled, load_folder

BUNDLED = ("bundled", "")
T = TypeVar("T")
APP = Path(__file__).resolve().parent / "app.py"
CHAPTER = [  # (page file, what the learner does there), in the chapter's order
    ("pages/1_pixels.py", "1 · Pixels — a digit is a grid of numbers: shapes, ranks, a shaded table"),
    ("pages/2_similarity.py", "2 · Pixel similarity — the mean (ideal) digits and a baseline with no learning"),
    ("pages/3_distances.py", "3 · Distance metrics — L1 vs RMSE, by hand and with PyTorch"),
    ("pages/4_gradient.py", "4 · Gradient of x² — backward(), learning rates, the seven steps of SGD"),
    ("pages/5_training.py", "5 · SGD training — train a linear model and a small net, live"),
    ("pages/6_your-digit.py", "Beyond the book · Your digit — draw or photograph one and see what the models say"),
    ("pages/7_questionnaire.py", "Beyond the book · Questionnaire — the chapter's questions, with answers to check"),
]


def ensure_app() -> None:
    """Call first on every page: make sure the page runs through app.py.

    A fresh server treats an app with a pages/ folder as an old-style multipage app until st.navigation
    has run once, so a first visit straight to /<page> runs the page file alone, without app.py's
    set-up and sidebar. Then run app.py here, which runs this page through st.navigation, and stop.
    """
    if st.session_state.pop("_via_app", False):
        return
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()


def run_page(page) -> None:
    """Run the page chosen by st.navigation, marking that it runs through app.py."""
    st.session_state["_via_app"] = True
    page.run()


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
def _results() -> dict:
    return {}


def memo(name: str, compute: Callable[[], T]) -> T:
    """A slow result that depends only on the data source and the digit pair, computed once for all visitors.

    Treat the result as read-only: every session gets the same object."""
    key = (st.session_state.get("source", BUNDLED), digit_pair(), name)
    cache = _results()
    if key not in cache:
        value = compute()
        with _LOCK:
            if len(cache) >= 256:
                cache.clear()
            cache[key] = value
    return cache[key]


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
            st.code(inspect.getsource(fn), language="python")


# Every setting a link may carry, on any page: a value on the wrong page is ignored quietly.
KNOWN_PARAMS = ("digits", "hide", "digit", "i", "rows", "cols", "metric", "mean", "spread", "x0", "lr", "steps",
                "fitlr", "bs", "model", "classes", "hidden", "seed", "momentum", "epochs", "todo", "input")
HIDEABLE = ("data", "digits", "code", "link", "lr", "bs", "model", "classes", "hidden", "seed", "momentum", "epochs",
            "mistakes", "sweep", "weights-file")


def _hide_flags() -> str:
    """The link's `hide` list, kept for the whole visit (and in the URL) once a link brought it."""
    raw = st.query_params.get(links.HIDE)
    if raw is not None:
        st.session_state._hide = raw
    elif st.session_state.get("_hide"):
        st.query_params[links.HIDE] = st.session_state._hide  # page links drop it; keep it for copied links
    return st.session_state.get("_hide", "")


def hidden(name: str) -> bool:
    """Whether a teacher's link hides this control or section: `?hide=model,bs`."""
    return name in links.parse_hide(_hide_flags(), HIDEABLE)[0]


def link_settings(*params: links.Param) -> None:
    """Call before a page's widgets: take numeric spellings from the link (`lr=1` for 1.0) and say, in a
    small notice, which link values are ignored and why."""
    for p in params:
        raw = st.query_params.get(p.name) if p.count == 1 else None
        value = None if raw is None else p.value(raw)
        if value is not None and str(value) != raw and st.session_state.get(p.name) != value:
            st.session_state[p.name] = value  # the widget's own matching is by exact spelling
    query = {name: st.query_params.get_all(name) for name in st.query_params}  # a range slider repeats its name
    problems = links.notices(params, query, KNOWN_PARAMS)
    _, unknown_hide = links.parse_hide(st.query_params.get(links.HIDE, ""), HIDEABLE)
    problems += [f"nothing called `{links.short(n)}` to hide" for n in unknown_hide]
    _drop_refused(params, query)
    if problems:
        st.caption(":material/link_off: Ignored from the link: " + "; ".join(problems) + ".")


def _drop_refused(params: tuple[links.Param, ...], query: dict[str, list[str]]) -> None:
    """Take every value the notice names out of the link before a widget reads it: Streamlit 1.67 would still apply
    some (`seed=2.5` as 2) and raise OverflowError, a traceback, on others (`seed=inf`). Done through Streamlit's own
    query-params object, as st.query_params refuses to touch a value bound to a widget."""
    refused = [p.name for p in params if p.name in query and p.check(query[p.name])]
    if not refused:
        return
    with get_script_run_ctx().session_state.query_params() as qp:
        for name in refused:
            qp.remove_param(name)
            qp._initial_query_params.pop(name, None)  # what a widget is first given


def control(param: links.Param, default, widget: Callable[[], object]):
    """Show a bound widget and return its value; under `?hide=<name>` show nothing and use the link's
    value (or the default) instead, so a teacher can fix a setting for a focused exercise."""
    if hidden(param.name):
        st.session_state[param.name] = link_value(param, default)
        return st.session_state[param.name]
    return widget()


def link_value(param: links.Param, default):
    """The link's valid value for a hidden control, else its default."""
    raw = st.query_params.get(param.name)
    value = None if raw is None else param.value(raw)
    return default if value is None else value


def share_link() -> None:
    """"Copy link to this setup": the page's address with every setting now in the URL."""
    if hidden("link"):
        return
    pairs = [(name, value) for name in st.query_params for value in st.query_params.get_all(name)]
    query = urllib.parse.urlencode(pairs, safe=",")  # every value of a range slider, each escaped
    url = (st.context.url or "") + (f"?{query}" if query else "")
    with st.sidebar.popover("Copy link to this setup", icon=":material/link:", width="stretch"):
        st.caption("This link opens this page with its settings. Teachers: add `&hide=model,bs` (or data, "
                   "digits, code, lr, …) to hide controls for a focused exercise.")
        st.code(url, language=None, wrap_lines=True)


def validation_image(data: DigitData, pair: list[int], label: str) -> tuple[int, int]:
    """Pick a validation image (bound to `digit` and `i` in the link), with a Random button; (digit, index)."""
    if "digit" in st.session_state and st.session_state.digit not in pair:  # the sidebar's pair changed
        st.session_state.digit = pair[0]

    def pick_random() -> None:
        st.session_state.digit = random.choice(pair)
        st.session_state.i = random.randrange(data.count("valid", st.session_state.digit))

    digit = st.radio(label, pair, horizontal=True, key="digit", bind="query-params")
    count = data.count("valid", digit)
    if st.session_state.get("i", 0) >= count:  # another digit or data set may have fewer images
        st.session_state.i = count - 1
    index = 0
    if count > 1:
        index = st.slider("Validation image", 0, count - 1, 0, key="i", bind="query-params")
    else:
        st.info(f"The data has only one validation {digit}.")
    st.button("🎲 Random", key="random_image", on_click=pick_random, help="A random validation image of either digit")
    return digit, index


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
        st.sidebar.caption(f":material/link_off: Ignored digits `{links.short(raw)}` from the link: {why}.")


def _download_buttons() -> None:
    with st.sidebar.expander("Download more data"):
        st.caption(f"Into `{download.CACHE}`. Needs internet; without it you keep the current data.")
        _download_button("MNIST_SAMPLE", "fast.ai's 3s and 7s, 14,434 images", download.fetch_mnist_sample, "folder")
        _download_button("full MNIST", "70,000 digits through torchvision", download.fetch_full_mnist, "mnist")


def _download_button(name: str, help: str, fetch: Callable[..., Path], kind: str) -> None:
    """A button that downloads with a progress bar and switches to the data, or says why it could not."""
    if not st.button(f"Download {name}", help=help):
        return
    bar = st.progress(0.0, text=f"Downloading {name}…")
    try:
        path = fetch(progress=_progress(bar, name))
    except download.DownloadError as e:
        st.error(str(e))
    else:
        use_source((kind, str(path)))
    bar.empty()


def _progress(bar, name: str) -> Callable[[int, int], None]:
    def update(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0, text=f"Downloading {name}… {done / 1e6:.1f} MB")

    return update


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
        path = st.text_input("Folder in MNIST_SAMPLE layout", placeholder="~/.fastai/data/mnist_sample",
                             help="A folder with train/3, train/7, valid/3, valid/7 … of 28×28 PNGs")
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


def _use_folder(path: str) -> None:
    """Switch to a typed folder; a public server confines folders to LESSONLIB_DATA_ROOT (see the README)."""
    try:
        path = confine(path, os.environ.get("LESSONLIB_DATA_ROOT"))
    except DataError as e:
        st.sidebar.error(str(e))
        return
    use_source(("folder", path))


def _digit_controls(d: DigitData) -> None:
    sb = st.sidebar
    if hidden("digits"):
        st.session_state.digit_pair = (st.session_state.get("digit_a", 3), st.session_state.get("digit_b", 7))
        if st.session_state.digit_pair[0] not in d.digits or st.session_state.digit_pair[1] not in d.digits:
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
