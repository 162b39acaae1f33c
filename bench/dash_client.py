"""What a browser sends to the dashboard, replayed over HTTP (shared by the serving benchmarks).

Nothing here imports the app: the server is a real ``slt serve`` process, and the callback
requests are built from what it serves by :mod:`dashboard.visits` (which imports neither Dash
nor the app; the server uses it too, to prepare the first visits' answers) — ``/_dash-dependencies``
for the callbacks, and each page's layout (the Dash Pages router callback's answer) for the ids
and their current values, in the form dash-renderer sends them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard.visits import REGION_ID, ROUTER_OUTPUT, Callback, Site, encode  # noqa: F401


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def slt_cmd() -> list[str]:
    return [str(Path(sys.executable).with_name("slt"))]


class Server:
    """``slt serve --workers N [--threads T]`` on loopback; stopped (process group) on exit."""

    def __init__(self, db: Path, workers: int = 2, port: int | None = None,
                 threads: int | None = None):
        self.db, self.workers, self.port = Path(db), workers, port or free_port()
        self.threads = threads
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Self:
        # The server's output goes to a file: an unread pipe fills up (tracebacks, warnings)
        # and then blocks the server, which would look like a slow server.
        self.log = self.db.with_name(self.db.name + f".serve-{self.port}.log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [*slt_cmd(), "serve", "--db", str(self.db), "--port", str(self.port),
                 "--workers", str(self.workers),
                 *(["--threads", str(self.threads)] if self.threads else [])],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                requests.get(self.url + "/helse", timeout=5).raise_for_status()
                return self
            except requests.RequestException:
                if self.process.poll() is not None:
                    raise RuntimeError(self.log.read_text(errors="replace")[-2000:]) from None
                if time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError("the server did not start within 90 s") from None
                time.sleep(0.3)

    def worker_pids(self, asks: int = 40) -> set[int]:
        """The process ids that answer requests: the gunicorn master's children (every worker,
        also one too busy to answer ``/helse`` just now), or the one Flask process."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        if self.workers > 1 and children:
            return {int(child) for child in children}
        pids = set()
        for _ in range(asks):
            pids.add(requests.get(self.url + "/helse", timeout=10).json()["worker"])
            if len(pids) >= self.workers:
                break
        return pids

    def errors_logged(self) -> list[str]:
        """Lines of the server's log that report an exception."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if "Error" in line or "Exception" in line]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # our own session: master and workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if exc[0] is None and self.log.exists() and not self.errors_logged():
            self.log.unlink()  # kept when something went wrong, for reading


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(peak RSS, current RSS) of a process in MB, from /proc (VmHWM, VmRSS)."""
    values = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmHWM"], values["VmRSS"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def shared_and_private_mb(pid: int) -> tuple[float, float]:
    """(PSS, USS) in MB from /proc/PID/smaps_rollup: RSS counts pages shared with the
    gunicorn master and the other workers in full; PSS divides them, USS leaves them out."""
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("Pss", "Private_Clean", "Private_Dirty"):
                values[key] = int(rest.split()[0]) / 1024
    return values["Pss"], values["Private_Clean"] + values["Private_Dirty"]


def send(session: requests.Session, base: str, step: tuple[str, str, dict | None],
         timeout: float = 60, stored: list | None = None) -> tuple[bool, float, str]:
    """(ok, seconds, detail) of one request; 200 and 204 (no update) are fine.  ``stored``
    collects whether the server answered from its stored answers (``X-SLT-Svar: lagret``)."""
    kind, path, body = step
    start = time.perf_counter()
    try:
        if body is None:
            answer = session.get(base + path, timeout=timeout)
        else:
            answer = session.post(base + path, data=encode(body),
                                  headers={"Content-Type": "application/json"}, timeout=timeout)
        elapsed = time.perf_counter() - start
        ok = answer.status_code in (200, 204)
        if stored is not None:
            stored.append(answer.headers.get("X-SLT-Svar") == "lagret")
        return ok, elapsed, "" if ok else f"{kind} {path}: HTTP {answer.status_code}"
    except requests.RequestException as exc:
        return False, time.perf_counter() - start, f"{kind} {path}: {type(exc).__name__}"


def national_store() -> Path:
    """The national synthetic store of the callback benchmark (built once under bench/out)."""
    sys.path.insert(0, str(REPO))
    from bench.bench_callbacks import national_store as build

    return build()


def sample_store() -> Path:
    sys.path.insert(0, str(REPO))
    from bench.bench_callbacks import sample_store as build

    return build()


def private_copy(db: Path, name: str) -> Path:
    """A copy of ``db`` under bench/out, so a benchmark's publish never changes the original."""
    target = REPO / "bench" / "out" / f"{name}_{os.getpid()}.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, target)
    return target


def remove_copy(path: Path) -> None:
    for leftover in [path, path.with_name(path.name + ".lock"),
                     *path.parent.glob(f".{path.name}.*.tmp")]:
        leftover.unlink(missing_ok=True)
