"""The class server's command (scripts/serve_class.py): bad input is refused in one line, HAProxy
spreads new visitors over the replicas and keeps each on its own with a cookie, health checks reach
every replica, and stopping leaves no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import stclass


def run_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(stclass.SCRIPT), *args], cwd=stclass.ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("serve_class: error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize(("args", "words"), [
    (["--replicas", "0"], ["--replicas", "between 1 and 64", "not 0"]),
    (["--replicas", "65"], ["--replicas", "not 65"]),
    (["--replicas", "-3"], ["--replicas", "not -3"]),
    (["--replicas", "two"], ["--replicas", "'two'"]),
    (["--replicas"], ["--replicas"]),
    (["--port", "70000"], ["--port", "between 1 and"]),
    (["--port", "0"], ["--port"]),
    (["--workers", "2"], ["--workers"]),
])
def test_bad_arguments_are_refused_in_one_line(args, words):
    assert_refused(run_script(*args), *words)


def test_missing_haproxy_is_named_with_how_to_install_it():
    result = run_script("--replicas", "2", "--port", str(stclass.free_ports(3)), "--address",
                        "127.0.0.1", env={"HAPROXY": "haproxy-that-is-not-installed"})
    assert_refused(result, "HAProxy is not installed", "apt-get install haproxy")


@pytest.mark.parametrize("taken", [0, 2])  # the balancer's own port, the second replica's
def test_a_port_in_use_is_named(taken):
    stclass.require_haproxy()
    port = stclass.free_ports(3)
    with socket.socket() as s:
        s.bind(("127.0.0.1", port + taken))
        s.listen()
        result = run_script("--replicas", "2", "--port", str(port), "--address", "127.0.0.1")
    assert_refused(result, f"port {port + taken}", "HAProxy" if taken == 0 else "replica r2",
                   "not free")


def get(url: str, cookie: str | None = None) -> tuple[str, str | None, bytes]:
    """GET through the balancer: the replica that answered (X-Replica), the replica cookie it set
    (if any), the body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as r:
        ours = [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("lesson-replica=")]
        return r.headers["X-Replica"], (ours or [None])[0], r.read()


def test_two_replicas_behind_haproxy_then_sigterm_leaves_nothing(tmp_path):
    stclass.require_haproxy()
    server = stclass.start(2, tmp_path)
    try:
        assert server.ours(), "the test should see the class server's processes while it runs"
        # Each replica answers on its own port, and HAProxy's checks of /_stcore/health pass for
        # both.
        for i, name in enumerate(server.names, 1):
            assert stclass.healthy(f"http://127.0.0.1:{server.port + i}"), (
                f"replica {name} is not healthy")
        deadline = time.monotonic() + 30
        while ({row["status"] for row in stclass.stats(server).values()} != {"UP"}
               and time.monotonic() < deadline):
            time.sleep(0.5)
        rows = stclass.stats(server)
        assert sorted(rows) == ["BACKEND", "r1", "r2"], rows.keys()
        for name in server.names:
            assert rows[name]["status"] == "UP" and rows[name]["check_status"] == "L7OK", rows[name]

        # Two new visitors (no cookie) get the two replicas, and a cookie naming theirs; with the
        # cookie, they stay.
        first, second = get(server.url + "/"), get(server.url + "/")
        assert {first[0], second[0]} == {"r1", "r2"}, (first[:2], second[:2])
        for replica, cookie, body in (first, second):
            assert cookie.startswith(f"lesson-replica={replica};") and "HttpOnly" in cookie, cookie
            assert b'id="root"' in body, body[:300]
        for replica, _, _ in (first, second):
            for _ in range(5):
                again, cookie, _ = get(server.url + "/_stcore/health",
                                       cookie=f"lesson-replica={replica}")
                assert again == replica and cookie is None
    finally:
        status = stclass.stop(server, signal.SIGTERM)
    assert status == 0, server.output()
    assert server.output().rstrip().endswith("stopped: HAProxy and every replica"), server.output()
    assert server.ours() == []
    for port in range(server.port, server.port + 3):  # nothing listens on its ports any more
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"


def test_killing_the_script_outright_still_stops_its_processes(tmp_path):
    """SIGKILL cannot be trapped: the kernel tells each child to stop when the script dies
    (PR_SET_PDEATHSIG)."""
    stclass.require_haproxy()
    server = stclass.start(1, tmp_path)
    assert len(server.ours()) == 3  # the script, a replica, HAProxy
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(10)
    deadline = time.monotonic() + 60
    while server.ours() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert server.ours() == []
