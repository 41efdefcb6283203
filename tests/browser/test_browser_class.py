"""A class through the balancer (scripts/serve_class.py, two replicas behind HAProxy), in real
Chromium.

A visitor trains, then makes 50 more actions across pages, and keeps its model and settings: every
one of its page runs happens on one replica. A second visitor lands on the other replica and starts
from nothing. When the first visitor's replica dies, that visitor loses the connection, comes back
on the other replica without the model (and without the second visitor's), and gets the settings
back from the link on reload; the second visitor's connection never drops and its model stays.
Stopping the class server afterwards leaves no process behind."""

from __future__ import annotations

import math
import os
import signal
import time
from urllib.parse import parse_qs, urlparse

import stbrowser as sb
import stclass
import stpage as sp

LR, BS, SPEED = "Learning rate", "Batch size", "Speed"
IMAGES = 1000  # training images of the default digits, 3 and 7, in the bundled data

WATCH_CONNECTION = """() => {
  window.__states = [];
  const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => window.__states.push(app.getAttribute('data-test-connection-state')))
    .observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
}"""
LOST_THEN_BACK = """() => {
  const s = window.__states, lost = s.findIndex(x => x !== 'CONNECTED');
  return lost >= 0 && s.slice(lost).includes('CONNECTED');
}"""


def replica(page) -> str | None:
    """The replica HAProxy keeps this visitor on: its cookie."""
    return {c["name"]: c["value"] for c in page.context.cookies()}.get("lesson-replica")


def shown(page) -> dict:
    """What a visitor sees of the training: steps, epochs, rate, batch size, history points, the
    link's rate."""
    return {"steps": int(sp.metric(page, "Steps").replace(",", "")),
            "epochs": sp.metric(page, "Epochs"),
            "lr": sp.slider_value(page, LR), "bs": sp.slider_value(page, BS),
            "points": sp.chart_points(page, "loss"),
            "link lr": parse_qs(urlparse(page.url).query).get("lr")}


def rerun(page) -> None:
    """Make the training page run again without touching the training (the speed only matters when
    playing)."""
    sp.press_slider(page, SPEED, "ArrowLeft")


def test_a_visitor_stays_on_its_replica_and_a_dead_replica_loses_only_its_own(chromium, tmp_path):
    stclass.require_haproxy()
    server = stclass.start(2, tmp_path)
    one = sb.new_page(chromium)
    two = None
    try:
        # The first visitor trains: learning rate 0.5, three epochs.
        sb.open_path(one, server.url, "training")
        home = replica(one)
        assert home in ("r1", "r2"), one.context.cookies()
        other = "r2" if home == "r1" else "r1"
        sp.press_slider(one, LR, "ArrowLeft")
        for _ in range(3):
            sp.click_button(one, "Step epoch")
        trained = shown(one)
        assert (trained["steps"] == 3 * math.ceil(IMAGES / 256) and trained["lr"] == "0.5"
                and trained["points"] > 0)
        assert trained["link lr"] == ["0.5"]

        # 50 more actions across pages; back on the training page each time, the model is still
        # there.
        actions = 0
        for _ in range(10):
            sp.go_to(one, "pixels")
            sp.press_slider(one, "Image index", "ArrowRight")
            sp.go_to(one, "gradient")
            sp.press_slider(one, "Steps to preview", "ArrowRight")
            sp.go_to(one, "training")
            actions += 5
            assert shown(one) == trained
        assert actions == 50
        sp.go_to(one, "pixels")
        assert sp.slider_value(one, "Image index") == "11"  # 1, moved ten times
        sp.go_to(one, "gradient")
        assert sp.slider_value(one, "Steps to preview") == "20"  # 10, moved ten times
        sp.go_to(one, "training")
        assert shown(one) == trained
        sb.assert_clean(one)
        # Every page run of that visitor happened on its replica (the replicas' own timing logs).
        assert replica(one) == home
        assert server.runs(home) >= 50 and server.runs(other) == 0, (
            server.runs(home), server.runs(other))

        # A second visitor lands on the other replica and starts from nothing; its runs stay there.
        two = sb.new_page(chromium)
        sb.open_path(two, server.url, "training")
        assert replica(two) == other
        fresh = shown(two)
        assert (fresh["steps"] == 0 and fresh["points"] == 0 and fresh["lr"] == "1"
                and fresh["bs"] == "256")
        home_runs = server.runs(home)
        # batch size 128, one epoch: 8 steps (the first visitor has 12)
        sp.press_slider(two, BS, "ArrowLeft")
        sp.click_button(two, "Step epoch")
        second = shown(two)
        assert (second["steps"] == math.ceil(IMAGES / 128) and second["bs"] == "128"
                and second["lr"] == "1")
        assert server.runs(home) == home_runs and server.runs(other) > 0
        rerun(one)
        assert shown(one) == trained

        # The first visitor's replica dies.
        for page in (one, two):
            page.evaluate(WATCH_CONNECTION)
        os.kill(server.pid(home), signal.SIGKILL)
        # "connecting", then connected again
        one.wait_for_function(LOST_THEN_BACK, polling=100, timeout=60_000)
        # Back on a live replica (the other one, or its own started again, whichever answered
        # first), in a new session. After a page switch Streamlit does not rerun the page on
        # reconnecting (the same happens when a single server restarts), so the old page stays on
        # screen until the visitor's next action, which runs on the new session: the model is gone,
        # and it is not the second visitor's either.
        rerun(one)
        back = shown(one)
        assert back["steps"] == 0 and back["points"] == 0 and back["lr"] == "0.5", back
        sb.open_path(one, server.url,
                     urlparse(one.url).path.lstrip("/") + "?" + urlparse(one.url).query)  # reload
        reloaded = shown(one)
        # settings from the link
        assert reloaded["lr"] == "0.5" and reloaded["link lr"] == ["0.5"], reloaded
        assert reloaded["steps"] == 0 and reloaded["points"] == 0, reloaded
        sb.assert_clean(one)

        # The second visitor noticed nothing: its connection never dropped and its model is as it
        # was.
        assert two.evaluate("window.__states") == []
        rerun(two)
        assert shown(two) == second
        sb.assert_clean(two)

        # The class server starts the dead replica again and HAProxy takes it back.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and stclass.stats(server)[home]["status"] != "UP":
            time.sleep(0.5)
        assert stclass.stats(server)[home]["status"] == "UP", server.output()
        assert f"replica {home} exited" in server.output()
    finally:
        for page in (one, two):
            if page is not None:
                try:
                    sb.screenshot(page, sb.SHOTS
                                  / f"class_{'first' if page is one else 'second'}_visitor.png")
                finally:
                    page.context.close()
        status = stclass.stop(server)  # as Ctrl-C
    assert status == 0, server.output()
    assert server.ours() == []
