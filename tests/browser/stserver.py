"""Start and stop `streamlit run app.py` on a free port for the browser tests and the screenshot
script."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


class ServerError(RuntimeError):
    """The Streamlit server did not come up."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


def _start(port: int, log, extra_args: list[str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port",
           str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *extra_args]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=os.environ.copy())


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextlib.contextmanager
def running_app(extra_args: list[str] | None = None, attempts: int = 3) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port; yields its base URL and stops it afterwards.

    extra_args: more `--section.option value` flags for Streamlit, e.g. ["--theme.base", "dark"].
    """
    with tempfile.TemporaryFile("w+") as log:
        for _ in range(attempts):  # another process may grab the free port before Streamlit binds
                                   # it
            url = f"http://127.0.0.1:{free_port()}"
            proc = _start(int(url.rsplit(":", 1)[1]), log, extra_args or [])
            deadline = time.monotonic() + STARTUP_SECONDS
            while proc.poll() is None and time.monotonic() < deadline and not _healthy(url):
                time.sleep(0.2)
            if proc.poll() is None and _healthy(url):
                break
            _stop(proc)
            log.seek(0)
            output = log.read()
            if "already in use" not in output:
                raise ServerError(f"Streamlit did not become healthy within {STARTUP_SECONDS} s:\n"
                                  f"{output[-4000:]}")
        else:
            raise ServerError("Streamlit could not find a free port")
        try:
            yield url
        finally:
            _stop(proc)
