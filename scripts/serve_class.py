"""Serve a class from one machine: N copies (replicas) of the app behind HAProxy, each visitor
kept on one replica.

    python scripts/serve_class.py [--replicas N] [--port 8500] [--address 0.0.0.0]
        [--run-dir DIR] [--timing]

Starts N `streamlit run app.py` processes on 127.0.0.1, ports PORT+1 … PORT+N, then HAProxy on
ADDRESS:PORT in front of them. HAProxy sends new visitors to the replicas in turn and gives each
browser a cookie naming its replica (`lesson-replica=r1`); every later request and WebSocket of that
visitor goes to the same replica, which holds their trained model. (Taking turns spreads a class
that arrives at once evenly; choosing the replica with the fewest open connections put 6 of 20
arriving visitors on one replica and 14 on the other, since each page load opens and closes several
connections.) It asks each replica for /_stcore/health every 2 s and takes one that does not answer
out of the rotation: its visitors lose their connection, and on reload get another replica, with the
settings from their link. A replica that exits is started again.

Ctrl-C or SIGTERM stops HAProxy, then the replicas: nothing is left running. Each child runs in a
process group of its own (so a Ctrl-C in the terminal reaches this script only, which stops them in
order) and is also told by the kernel to stop if this script is killed outright.

--run-dir keeps HAProxy's configuration, the logs and rK.pid files there (default: a temporary
folder, removed at the end). --timing has each replica append its page runs to DIR/rK.runs.tsv
(LESSONLIB_TIMING_LOG, for bench/load.py). HAPROXY=/path/to/haproxy runs another HAProxy than the
one on the PATH (or in /usr/sbin). Bad input, a port in use or a missing HAProxy: one line on
stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_REPLICAS = 64
# a replica imports PyTorch, plotly and pandas: 5-15 s alone, longer on a busy machine
STARTUP_SECONDS = 180
COOKIE = "lesson-replica"

HAPROXY_CFG = """\
# Written by scripts/serve_class.py; HAProxy {version}.
global
    maxconn 4096
    stats socket {run}/haproxy.sock mode 600 level admin

defaults
    mode http
    log stdout format raw local0 info
    option httplog
    option dontlognull
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 15s
    timeout tunnel 1h          # an open WebSocket (a visitor reading a page) may stay quiet a \
long time
    timeout client-fin 5s
    option redispatch          # a visitor whose replica is down goes to another one
    retries 2

frontend class
    bind {address}:{port}
    default_backend replicas

backend replicas
    balance roundrobin         # new visitors (requests without the cookie) go to the replicas \
in turn
    cookie {cookie} insert indirect nocache httponly attr SameSite=Lax
    option httpchk GET /_stcore/health
    http-check expect string ok
    http-response set-header X-Replica %[srv_name]
    default-server check inter 2s fall 2 rise 2
{servers}
"""


class Refused(Exception):
    """Bad input or a missing tool: said in one line, exit status 2."""


class Stop(Exception):
    """SIGINT or SIGTERM arrived."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line instead of usage + message
        raise Refused(message)


def die_with_parent() -> None:
    """In the child before exec: have the kernel send SIGTERM when this script dies, even by
    SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def check_port_free(address: str, port: int, what: str) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError as e:
            raise Refused(f"port {port} ({what}) on {address} is not free: {e.strerror}") from None


def healthy(url: str) -> bool:
    """Whether the Streamlit app (or the balancer in front of replicas) at `url` answers its health
    check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def free_ports(count: int) -> int:
    """The first of `count` consecutive TCP ports on 127.0.0.1 that nothing listens on right now
    (for the load bench and the tests, which start this server on ports of their own)."""
    for _ in range(200):
        first = random.randrange(20_000, 60_000)
        try:
            for port in range(first, first + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError(f"no {count} free ports in a row")


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class ClassServer:
    def __init__(self, replicas: int, port: int, address: str, run: Path, timing: bool):
        self.port, self.address, self.run, self.timing = port, address, run, timing
        self.names = [f"r{i}" for i in range(1, replicas + 1)]
        self.procs: dict[str, subprocess.Popen] = {}
        self.given_up: set[str] = set()
        self.haproxy: subprocess.Popen | None = None

    def replica_port(self, name: str) -> int:
        return self.port + int(name[1:])

    def start_replica(self, name: str) -> None:
        env = {**os.environ}
        if self.timing:
            env["LESSONLIB_TIMING_LOG"] = str(self.run / f"{name}.runs.tsv")
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(self.replica_port(name)),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        with open(self.run / f"{name}.log", "a") as log:
            self.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                                stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True,
                                                preexec_fn=die_with_parent)
        (self.run / f"{name}.pid").write_text(f"{self.procs[name].pid}\n")

    def wait_replicas(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        waiting = set(self.names)
        while waiting:
            for name in sorted(waiting):
                if self.procs[name].poll() is not None:
                    raise RuntimeError(f"replica {name} exited while starting "
                                       f"(status {self.procs[name].returncode})"
                                       f"; its log:\n{tail(self.run / f'{name}.log')}")
                if healthy(f"http://127.0.0.1:{self.replica_port(name)}"):
                    waiting.discard(name)
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"replicas {', '.join(sorted(waiting))} not healthy after "
                                   f"{STARTUP_SECONDS} s")
            time.sleep(0.25)

    def start_haproxy(self, haproxy: str) -> None:
        version = subprocess.run([haproxy, "-v"], capture_output=True,
                                 text=True).stdout.split("\n")[0]
        servers = "\n".join(f"    server {n} 127.0.0.1:{self.replica_port(n)} cookie {n}"
                            for n in self.names)
        cfg = self.run / "haproxy.cfg"
        cfg.write_text(HAPROXY_CFG.format(version=" ".join(version.split()[2:3]), run=self.run,
                                          address=self.address, port=self.port, cookie=COOKIE,
                                          servers=servers))
        with open(self.run / "haproxy.log", "a") as log:
            self.haproxy = subprocess.Popen([haproxy, "-db", "-f", str(cfg)],
                                            stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=die_with_parent)
        (self.run / "haproxy.pid").write_text(f"{self.haproxy.pid}\n")
        front = (f"http://{'127.0.0.1' if self.address in ('0.0.0.0', '::') else self.address}"
                 f":{self.port}")
        deadline = time.monotonic() + 20
        while not healthy(front):
            if self.haproxy.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("HAProxy did not start; its log:\n"
                                   f"{tail(self.run / 'haproxy.log')}")
            time.sleep(0.1)

    def watch(self) -> None:
        """Until stopped: start again a replica that exited, but not one that exits again within a
        minute."""
        restarted: dict[str, float] = {}
        while True:
            time.sleep(1)
            if self.haproxy.poll() is not None:
                raise RuntimeError(f"HAProxy exited; its log:\n{tail(self.run / 'haproxy.log')}")
            for name, proc in self.procs.items():
                if proc.poll() is None or name in self.given_up:
                    continue
                log = self.run / f"{name}.log"
                if time.monotonic() - restarted.get(name, -1e9) < 60:
                    print(f"replica {name} exited again within a minute of its restart: left "
                          f"stopped, the others serve its visitors (its log: {log})", flush=True)
                    self.given_up.add(name)
                    continue
                print(f"replica {name} exited (status {proc.returncode}); its visitors reconnect "
                      f"to the others; starting it again", flush=True)
                self.start_replica(name)
                restarted[name] = time.monotonic()
            if len(self.given_up) == len(self.names):
                raise RuntimeError("every replica has stopped; their logs are in " + str(self.run))

    def stop(self) -> None:
        """The balancer first (no new requests), then the replicas; each one's whole process
        group."""
        for proc in ([self.haproxy] if self.haproxy else []) + list(self.procs.values()):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in ([self.haproxy] if self.haproxy else []) + list(self.procs.values()):
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            # anything the child left in its group
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)


def parse(argv: list[str]) -> argparse.Namespace:
    ap = Parser(prog="serve_class", description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2,
                    help=f"app processes, 1-{MAX_REPLICAS} (default 2)")
    ap.add_argument("--port", type=int, default=8500,
                    help="HAProxy's port; replicas use the next N (default 8500)")
    ap.add_argument("--address", default="0.0.0.0",
                    help="where HAProxy listens (default 0.0.0.0: the whole network)")
    ap.add_argument("--run-dir", type=Path, help="keep the configuration, logs and pid files here")
    ap.add_argument("--timing", action="store_true",
                    help="each replica logs its page runs to RUN_DIR/rK.runs.tsv")
    args = ap.parse_args(argv)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        raise Refused(f"--replicas must be between 1 and {MAX_REPLICAS}, not {args.replicas}")
    if not 1 <= args.port <= 65535 - args.replicas:
        raise Refused(f"--port must be between 1 and {65535 - args.replicas} "
                      f"(replicas use the next {args.replicas})")
    return args


def main(argv: list[str]) -> int:
    try:
        args = parse(argv)
        haproxy = shutil.which(os.environ.get("HAPROXY", "haproxy"),
                               path=os.environ.get("PATH", "") + ":/usr/sbin:/usr/local/sbin")
        if not haproxy:
            raise Refused("HAProxy is not installed: apt-get install haproxy (Debian/Ubuntu), "
                          "then run this again")
        check_port_free(args.address, args.port, "HAProxy")
        for i in range(1, args.replicas + 1):
            check_port_free("127.0.0.1", args.port + i, f"replica r{i}")
        if args.run_dir:
            args.run_dir.mkdir(parents=True, exist_ok=True)
    except Refused as e:
        print(f"serve_class: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"serve_class: error: {e}", file=sys.stderr)
        return 2

    run = args.run_dir.resolve() if args.run_dir else Path(tempfile.mkdtemp(prefix="class-server-"))
    server = ClassServer(args.replicas, args.port, args.address, run, args.timing)

    def on_signal(signum, frame):
        raise Stop

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    status = 0
    try:
        print(f"starting {args.replicas} replicas on "
              f"127.0.0.1:{args.port + 1}-{args.port + args.replicas} "
              f"(files in {run}) ...", flush=True)
        for name in server.names:
            server.start_replica(name)
        server.wait_replicas()
        server.start_haproxy(haproxy)
        host = socket.gethostname() if args.address in ("0.0.0.0", "::") else args.address
        print(f"serving a class at http://{host}:{args.port}/ with {args.replicas} replicas "
              f"(pids {' '.join(str(server.procs[n].pid) for n in server.names)}); "
              f"Ctrl-C stops it", flush=True)
        server.watch()
    except Stop:
        print("stopping ...", flush=True)
    except RuntimeError as e:
        print(f"serve_class: error: {e}", file=sys.stderr, flush=True)
        status = 1
    finally:
        # a second Ctrl-C must not cut the clean-up short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        server.stop()
        if not args.run_dir and status == 0:
            shutil.rmtree(run, ignore_errors=True)
        elif not args.run_dir:
            print(f"the logs are kept in {run}", file=sys.stderr)
    print("stopped: HAProxy and every replica", flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
