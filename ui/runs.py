"""A page's run: every page runs through app.py, and with LESSONLIB_TIMING_LOG set each whole run is
timed."""

from __future__ import annotations

import contextlib
import math
import os
import runpy
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMING_LOG = os.environ.get("LESSONLIB_TIMING_LOG")  # set by bench/load.py: one line per page run
_THIS = threading.local()  # this thread's run: how deep in app.py (a first visit runs it nested)
                           # and which page
_LOCK = threading.Lock()


def ensure_app() -> None:
    """Call first on every page: make sure the page runs through app.py.

    A fresh server treats an app with a pages/ folder as an old-style multipage app until
    st.navigation has run once, so a first visit straight to /<page> runs the page file alone,
    without app.py's set-up and sidebar. Then run app.py here, which runs this page through
    st.navigation, and stop.
    """
    if st.session_state.pop("_via_app", False):
        return
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()


def run_page(page) -> None:
    """Run the page chosen by st.navigation, marking that it runs through app.py."""
    st.session_state["_via_app"] = True
    _THIS.page = page.url_path or "start"
    page.run()


@contextlib.contextmanager
def timed() -> Iterator[None]:
    """Around a whole run through app.py, the run a visitor waits for after a click: with
    LESSONLIB_TIMING_LOG set, appends to that file how long it took on the clock, in this thread's
    CPU time, and waiting for a free core."""
    depth = getattr(_THIS, "depth", 0)
    started, cpu, waited = time.perf_counter(), time.thread_time(), _core_wait()
    _THIS.depth = depth + 1
    if not depth:
        _THIS.page = "start"  # until run_page names the page (a run may end before it gets there)
    ending = "done"
    try:
        yield
    except BaseException as e:  # st.stop and st.rerun end a run by raising
        ending = type(e).__name__
        raise
    finally:
        _THIS.depth = depth
        if TIMING_LOG and not depth:
            _log_run(getattr(_THIS, "page", "start"), time.perf_counter() - started,
                     time.thread_time() - cpu, _core_wait() - waited, ending)


def _core_wait() -> float:
    """Seconds this thread has spent ready to run but waiting for a core (Linux's schedstat; nan
    elsewhere)."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return math.nan


def _log_run(page: str, seconds: float, cpu_seconds: float, wait_seconds: float,
             ending: str) -> None:
    with _LOCK, open(TIMING_LOG, "a", encoding="utf-8") as log:
        log.write(f"{page}\t{1000 * seconds:.1f}\t{1000 * cpu_seconds:.1f}\t"
                  f"{1000 * wait_seconds:.1f}\t{ending}\n")
