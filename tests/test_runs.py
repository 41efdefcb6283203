"""ui.runs: each whole run through app.py is timed once (a first visit runs app.py nested), however
it ends."""

import math

import pytest

from ui import runs


def test_runs_are_logged_once_with_clock_cpu_and_core_wait_however_they_end(tmp_path, monkeypatch):
    log = tmp_path / "runs.tsv"
    monkeypatch.setattr(runs, "TIMING_LOG", str(log))
    with runs.timed():
        with runs.timed():  # a first visit straight to a page runs app.py again inside the page's
                            # run
            sum(i * i for i in range(300_000))  # some CPU time
    with pytest.raises(KeyError), runs.timed():  # st.rerun and st.stop end runs by raising
        raise KeyError
    first, second = [line.split("\t") for line in log.read_text().splitlines()]
    assert first[0] == "start" and first[4] == "done" and second[4] == "KeyError"
    wall, cpu, wait = map(float, first[1:4])
    assert 0 < cpu <= wall + 0.1  # ms, rounded to 0.1
    assert math.isnan(wait) or 0 <= wait <= wall + 0.1


def test_nothing_is_logged_without_the_setting(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "TIMING_LOG", None)
    monkeypatch.chdir(tmp_path)
    with runs.timed():
        pass
    assert list(tmp_path.iterdir()) == []
