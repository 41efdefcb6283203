"""Start and stop the class server (scripts/serve_class.py: replicas behind HAProxy) for the tests,
and look at what it left running."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "serve_class.py"
sys.path.insert(0, str(SCRIPT.parent))
from serve_class import free_ports, healthy  # noqa: E402  (the server's own health check)

STARTUP_SECONDS = 240  # two replicas importing PyTorch at once, on a machine busy with other tests


def haproxy_missing() -> str | None:
    """Why the class server cannot run here, or None."""
    if shutil.which("haproxy", path=os.environ.get("PATH", "") + ":/usr/sbin:/usr/local/sbin"):
        return None
    return "the class server needs HAProxy: apt-get install haproxy"


@dataclass
class ClassServer:
    proc: subprocess.Popen
    url: str
    port: int
    replicas: int
    run: Path

    @property
    def names(self) -> list[str]:
        return [f"r{i}" for i in range(1, self.replicas + 1)]

    def pid(self, name: str) -> int:
        """The process id of a replica (r1, r2, …) as the script last started it."""
        return int((self.run / f"{name}.pid").read_text())

    def runs(self, name: str) -> int:
        """How many page runs a replica has logged (its LESSONLIB_TIMING_LOG)."""
        log = self.run / f"{name}.runs.tsv"
        return len(log.read_text().splitlines()) if log.exists() else 0

    def output(self) -> str:
        return (self.run.parent / "serve_class.out").read_text(errors="replace")

    def ours(self) -> list[str]:
        """Command lines of the processes still running that belong to this class server: the
        script, HAProxy (its configuration is in the run folder) and the replicas (by their
        ports)."""
        marks = [str(self.run)] + [f"--server.port {self.port + i}"
                                   for i in range(1, self.replicas + 1)]
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z" and any(mark in cmd for mark in marks):
                found.append(f"{entry.name}: {cmd.strip()}")
        return found


def start(replicas: int, folder: Path, attempts: int = 3) -> ClassServer:
    """Run scripts/serve_class.py on free ports (front and replicas on 127.0.0.1), each replica
    logging its page runs; returns once HAProxy answers for the app."""
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(attempts):  # another process may take a port between the check and the bind
        port = free_ports(replicas + 1)
        run = folder / "run"
        shutil.rmtree(run, ignore_errors=True)
        with open(folder / "serve_class.out", "w") as out:
            proc = subprocess.Popen([sys.executable, str(SCRIPT), "--replicas", str(replicas),
                                     "--port", str(port), "--address", "127.0.0.1",
                                     "--run-dir", str(run), "--timing"],
                                    cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT)
        server = ClassServer(proc, f"http://127.0.0.1:{port}", port, replicas, run)
        deadline = time.monotonic() + STARTUP_SECONDS
        while proc.poll() is None and time.monotonic() < deadline and not healthy(server.url):
            time.sleep(0.25)
        if proc.poll() is None and healthy(server.url):
            return server
        stop(server)
        if "is not free" not in server.output():
            raise RuntimeError(f"the class server did not start:\n{server.output()[-3000:]}")
    raise RuntimeError("the class server found no free ports")


def stop(server: ClassServer, how: int = signal.SIGINT) -> int:
    """Stop the script as Ctrl-C (or another signal) would; returns its exit status."""
    if server.proc.poll() is None:
        server.proc.send_signal(how)
    try:
        return server.proc.wait(90)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        return server.proc.wait(10)


def require_haproxy() -> None:
    """Skip without HAProxy on a developer's machine; on CI (CI=true) its absence is a failure, not
    a skip."""
    why = haproxy_missing()
    if why and os.environ.get("CI", "").lower() == "true":
        pytest.fail(why, pytrace=False)
    if why:
        pytest.skip(why)


def stats(server: ClassServer) -> dict[str, dict[str, str]]:
    """HAProxy's own view of each replica (`show stat` on its socket in the run folder): name -> its
    fields."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(server.run / "haproxy.sock"))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
    return {row["svname"]: row for row in rows if row.get("pxname") == "replicas"}
