"""Load benchmark: K visitors at once, each walking the chapter's pages and training, in
real Chromium.

    python bench/load.py [--sessions 10] [--rounds 2] [--train-seconds 3] [--think 2]
        [--replicas R] [--pages …]

Starts `streamlit run app.py` on a free loopback port, opens K browser contexts (K separate
Streamlit sessions) that each load the app, then walk the pages through the sidebar (every chapter
page of ui.registry but training, or the url paths --pages names), move a slider on each of these
analysis pages, and press Play on the training page, reading for about --think seconds before each
action (visitors arrive over the first 2 × think seconds). Measures each page run (navigation or
widget change until the script is idle again), counts errors (exception boxes, timeouts) and samples
the server's resident memory. With --replicas R (1 or more) the visitors go through the class server
instead: scripts/serve_class.py starts R replicas of the app behind HAProxy with sticky sessions,
and the browsers open HAProxy's address; without it (R = 0, the default) they talk to one
`streamlit run app.py` directly, as before.

The last line is
    sessions=K errors=E p50_ms=… p95_ms=… rss_mb=… replicas=R
where the latencies are the server's own page-run times for the analysis pages (everything but
training: the whole run through app.py, logged by the app when LESSONLIB_TIMING_LOG is set; all
replicas together) and rss_mb is the server's peak memory (with replicas: the largest replica's).
Above it: each page's run times with their CPU time and their time waiting for a free core, each
server process's average CPU use, peak memory and share of the page runs, and the browsers' view
(click to idle page, including their own rendering on the same cores).

The browsers run at the lowest CPU priority (nice 19; `--same-priority` to turn that off): they
stand in for visitors' own machines, so the server gets the cores first, as it would when serving
real visitors. On Linux that takes more than nice: see lower_browsers.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
sys.path.insert(0, str(ROOT))
from ui.registry import BY_KEY, chapter  # noqa: E402  (the pages, declared once)

sys.path.insert(0, str(ROOT / "scripts"))
from serve_class import free_ports  # noqa: E402  (consecutive free ports for the replicas)

TRAINING = BY_KEY["training"]
# every chapter page but training, by default
ANALYSIS = [p.key for p in chapter() if p is not TRAINING]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})},
                            start_new_session=True)  # a scheduling group of its own
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                      timeout=1).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("error: the app did not start: " + proc.stderr.read().decode()[-500:])


def stop_with_parent() -> None:
    """In the class server's process before exec: the kernel sends it SIGTERM (on which it stops
    everything it started) if this benchmark dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_class(replicas: int, run_dir: Path) -> tuple[subprocess.Popen, int]:
    """scripts/serve_class.py with `replicas` replicas, each logging its page runs in run_dir;
    returns the process and HAProxy's port once HAProxy answers."""
    try:
        port = free_ports(replicas + 1)
    except RuntimeError as e:
        raise SystemExit(f"error: {e}") from None
    cmd = [sys.executable, "scripts/serve_class.py", "--replicas", str(replicas), "--port",
           str(port), "--address", "127.0.0.1", "--run-dir", str(run_dir), "--timing"]
    out = open(run_dir.parent / "serve_class.out", "w+")  # read back below if it fails
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=stop_with_parent)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                      timeout=1).read() == b"ok":
                return proc, port
        except OSError:
            time.sleep(0.25)
    stop_class(proc)
    out.seek(0)
    raise SystemExit("error: the class server did not start: " + out.read()[-500:])


def stop_class(proc: subprocess.Popen) -> None:
    proc.terminate()  # it stops HAProxy and the replicas itself
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()


def replica_pids(run_dir: Path) -> dict[str, int]:
    """Replica name (r1, r2, …) -> its current process id, from the class server's pid files."""
    pids = {}
    for f in sorted(run_dir.glob("r*.pid")):
        try:
            pids[f.stem] = int(f.read_text())
        except (OSError, ValueError):
            pass
    return pids


def lower_browsers(pid: int, server: int) -> None:
    """Keep this process's descendants (the browsers), all but the server, at nice 19. Chromium sets
    its own processes' priorities, some above normal, so one os.nice at the start is not enough. And
    Linux's autogroup scheduling shares the cores equally between sessions whatever their processes'
    nice values: Playwright starts Chromium in a session of its own, and the server runs in another,
    so each group's own nice is set too (/proc/<pid>/autogroup), except the server's."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        try:
            ppid = (int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                    if entry.name.isdigit() else None)
        except (OSError, ValueError, IndexError):
            continue
        if ppid is not None:
            children.setdefault(ppid, []).append(int(entry.name))
    todo = [child for child in children.get(pid, []) if child != server]
    while todo:
        child = todo.pop()
        todo += children.get(child, [])
        try:
            os.setpriority(os.PRIO_PROCESS, child, 19)
            group = Path(f"/proc/{child}/autogroup")
            if group.exists() and not group.read_text().rstrip().endswith("nice 19"):
                group.write_text("19")
        except OSError:
            pass


def rss_mb(pid: int) -> float:
    """Resident memory of the server process, in MB (from /proc; 0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_time(pid: int) -> float:
    """CPU seconds the process has used so far, all its threads (user and system, from /proc; 0 if
    it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def idle(page: Page, timeout: float = 60) -> None:
    """Wait for the script run to start (up to 2 s), then until it is over and has stayed over for
    300 ms."""
    start = time.monotonic()
    while time.monotonic() - start < 2 and await page.locator(IDLE).count():
        await asyncio.sleep(0.02)
    end, calm_since = time.monotonic() + timeout, None
    while time.monotonic() < end:
        running = await page.locator(IDLE).count() == 0
        if running:
            calm_since = None
        elif calm_since is None:
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since > 0.3:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("script did not finish")


async def timed(page: Page, action, results: dict, name: str, what: str) -> None:
    """Time `action` until the page is idle again, under `name` (analysis, training, first load); a
    failure is counted as an error naming what was being done (`what`)."""
    t0 = time.monotonic()
    try:
        await action()
        await idle(page)
        results.setdefault(name, []).append(
            (time.monotonic() - t0 - 0.3) * 1000)  # minus the calm wait
        box = page.locator("[data-testid='stException']")
        if await box.count():
            text = " ".join((await box.first.inner_text()).split())[:300]
            results["errors"].append(f"{what}: exception box: {text}")
    except Exception as e:  # noqa: BLE001 - a benchmark counts failures instead of stopping
        results["errors"].append(f"{what}: {type(e).__name__}")


async def visitor(browser, base: str, rounds: int, train_seconds: float, think: float,
                  results: dict, pages: list[str]) -> None:
    """One learner: loads the app, then walks the analysis pages (moving a slider on each) and
    trains, `rounds` times, pausing about `think` seconds (0.5–1.5×, at random) before each action,
    as a reader would."""
    async def read() -> None:
        await asyncio.sleep(think * random.uniform(0.5, 1.5))

    # visitors arrive over a few seconds, not all at once
    await asyncio.sleep(random.uniform(0, 2 * think))
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await timed(page, lambda: page.goto(base), results, "first load", "opening the app")
    for _ in range(rounds):
        for title in (BY_KEY[key].title for key in pages):
            await read()
            link = page.get_by_role("link", name=title).first
            await timed(page, lambda a=link: a.click(), results, "analysis", f"opening {title}")
            slider = page.locator("[data-testid='stSlider'] input[type='range']").first
            if await slider.count():
                await read()
                await timed(page, lambda s=slider: s.press("ArrowRight"), results, "analysis",
                            f"a slider on {title}")
        await read()
        link = page.get_by_role("link", name=TRAINING.title).first
        await timed(page, lambda a=link: a.click(), results, "training", "opening SGD training")
        play = page.get_by_role("button", name="Play")
        try:  # a busy machine may draw the page's buttons a little after the run looks idle
            await play.first.wait_for(timeout=30_000)
        except Exception:  # noqa: BLE001 - counted as an error below
            pass
        if await play.count():
            try:
                await play.first.click()
            except Exception as e:  # noqa: BLE001 - a benchmark counts failures instead of stopping
                results["errors"].append(f"pressing Play: {type(e).__name__}")
                continue
            await asyncio.sleep(train_seconds)
            pause = page.get_by_role("button", name="Pause")
            if await pause.count():
                await timed(page, lambda b=pause: b.first.click(), results, "training",
                            "pausing the training")
        else:
            results["errors"].append("opening SGD training: no Play button")
    await context.close()


async def run(sessions: int, rounds: int, train_seconds: float, think: float, logs: Path,
              nice: bool, pin: bool, replicas: int, pages: list[str]) -> dict:
    """Drive the visitors; page runs are logged in the folder `logs` (one file per server
    process)."""
    if replicas:
        root, port = start_class(replicas, logs)
        base_pids = replica_pids(logs)
    else:
        port = free_port()
        root = start_server(port, {"LESSONLIB_TIMING_LOG": str(logs / "server.runs.tsv")})
        base_pids = {"server": root.pid}
    if nice:  # the browsers stand in for visitors' own machines: let the server have the
        # cores first
        os.nice(19)  # this process and the Chromium it starts from now on
        try:  # and this process's scheduling group: a session of its own, so the caller's
            # shell is not slowed
            os.setsid()
            Path("/proc/self/autogroup").write_text("19")
        except OSError:
            pass
    # the server on core 0, this process and its browsers on the rest
    if pin and len(os.sched_getaffinity(0)) > 1:
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(root.pid, {cores[0]})
        os.sched_setaffinity(0, set(cores[1:]))
    results: dict = {"errors": []}
    peak = {name: rss_mb(pid) for name, pid in base_pids.items()}
    cpu_seconds = dict.fromkeys(base_pids, 0.0)
    t0 = time.monotonic()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            task = asyncio.gather(*(visitor(browser, f"http://127.0.0.1:{port}", rounds,
                                            train_seconds, think, results, pages)
                                    for _ in range(sessions)))
            while not task.done():
                for name, pid in (replica_pids(logs) if replicas else base_pids).items():
                    peak[name] = max(peak.get(name, 0.0), rss_mb(pid))
                    cpu_seconds[name] = max(cpu_seconds.get(name, 0.0), cpu_time(pid))
                if nice:
                    lower_browsers(os.getpid(), root.pid)
                await asyncio.sleep(0.2)
            await task
            await browser.close()
    finally:
        if replicas:
            stop_class(root)
        else:
            root.terminate()
            try:
                root.wait(timeout=60)
            except subprocess.TimeoutExpired:
                root.kill()
    seconds = max(time.monotonic() - t0, 1e-9)
    results["rss_mb"] = peak
    results["cpu_cores"] = {name: cpu / seconds for name, cpu in cpu_seconds.items()}
    return results


def pct(values, q: int) -> float:
    if len(values) < 2:
        return (values or [0.0])[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def server_runs(
    logs: Path,
) -> tuple[dict[str, list[tuple[float, float, float]]], int, dict[str, int]]:
    """The server's own page runs by page, from app.py's LESSONLIB_TIMING_LOG files in `logs` (one
    per server process): for each, milliseconds on the clock, of CPU time and waiting for a free
    core; how many runs were cut short by a newer rerun (a visitor clicking on before the page
    finished); and how many runs each process did."""
    runs: dict[str, list[tuple[float, float, float]]] = {}
    cut, per_process = 0, {}
    for timing_log in sorted(logs.glob("*.runs.tsv")):
        lines = timing_log.read_text().splitlines()
        per_process[timing_log.name.split(".")[0]] = len(lines)
        for line in lines:
            page, ms, cpu_ms, wait_ms, ending = line.split("\t")
            if ending == "RerunException":
                cut += 1
            else:
                runs.setdefault(page, []).append((float(ms), float(cpu_ms), float(wait_ms)))
    return runs, cut, per_process


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--train-seconds", type=float, default=3.0)
    ap.add_argument("--think", type=float, default=2.0,
                    help="seconds a visitor reads before each action, on average (0: click on at "
                         "once, a stress test)")
    ap.add_argument("--same-priority", action="store_true",
                    help="run the browsers at the server's priority (by default they run at "
                         "nice 19)")
    ap.add_argument("--pin", action="store_true",
                    help="the server on the first core only, the browsers on the others (not with "
                         "--replicas)")
    ap.add_argument("--pages", default=",".join(ANALYSIS),
                    help="the url paths of the pages each visitor walks before training, "
                         "comma-separated (default: every chapter page of ui.registry but "
                         "training; until 2026-11-30 the bench walked "
                         "pixels,similarity,distances,gradient)")
    ap.add_argument("--replicas", type=int, default=0,
                    help="go through the class server (scripts/serve_class.py) with R replicas "
                         "behind HAProxy (default 0: straight to one server)")
    args = ap.parse_args()
    if not 0 <= args.replicas <= 64:
        print(f"error: --replicas must be between 0 and 64, not {args.replicas}", file=sys.stderr)
        return 2
    if args.replicas and args.pin:
        print("error: --pin holds one server to one core; it does not go with --replicas",
              file=sys.stderr)
        return 2
    pages = [k.strip() for k in args.pages.split(",") if k.strip()]
    unknown = [k for k in pages if k not in BY_KEY or k == TRAINING.key]
    if unknown or not pages:
        print("error: --pages takes url paths of ui.registry's pages but training, not "
              f"{unknown or args.pages!r}", file=sys.stderr)
        return 2
    if args.sessions < 1:
        print(f"error: --sessions must be at least 1, not {args.sessions}", file=sys.stderr)
        return 2
    if not os.path.exists(CHROMIUM):
        print("error: needs Chromium at /usr/bin/chromium (apt-get install chromium)",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp) / "logs"
        logs.mkdir()
        r = asyncio.run(run(args.sessions, args.rounds, args.train_seconds, args.think, logs,
                            not args.same_priority, args.pin, args.replicas, pages))
        runs, cut, per_process = server_runs(logs)
    a, t, f = r.get("analysis", []), r.get("training", []), r.get("first load", [])
    print("In the browsers (the K Chromium sessions share the machine's cores with the server):")
    print(f"  analysis page runs: {len(a)}, p50 {pct(a, 50):.0f} ms, p95 {pct(a, 95):.0f} ms, "
          f"max {max(a or [0]):.0f} ms")
    print(f"  training page runs: {len(t)}, p50 {pct(t, 50):.0f} ms, p95 {pct(t, 95):.0f} ms")
    print(f"  first loads (whole page from scratch): {len(f)}, p50 {pct(f, 50):.0f} ms, "
          f"max {max(f or [0]):.0f} ms")
    print("On the server (app.py to the end of the page's script, each run):")
    print("  (each run's CPU time, and its time ready to run but waiting for a core, are medians)")
    for page in sorted(runs):
        ms, cpu, wait = zip(*runs[page], strict=True)
        print(f"  {page:<12} {len(ms):>4} runs, p50 {pct(ms, 50):6.0f} ms, "
              f"p95 {pct(ms, 95):6.0f} ms, max {max(ms):6.0f} ms; CPU {pct(cpu, 50):4.0f} ms, "
              f"waiting for a core {pct(wait, 50):4.0f} ms")
    print(f"  runs cut short by a newer rerun: {cut}")
    for name in sorted(r["cpu_cores"]):
        who = "the server" if name == "server" else f"replica {name}"
        print(f"  {who} used {r['cpu_cores'][name]:.2f} cores on average (all its threads), "
              f"peak memory {r['rss_mb'][name]:.0f} MB, {per_process.get(name, 0)} page runs")
    server = [run[0] for page in pages for run in runs.get(page, [])]
    for e in r["errors"][:10]:
        print("error:", e)
    print(f"sessions={args.sessions} errors={len(r['errors'])} p50_ms={pct(server, 50):.0f} "
          f"p95_ms={pct(server, 95):.0f} rss_mb={max(r['rss_mb'].values()):.0f} "
          f"replicas={args.replicas}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
