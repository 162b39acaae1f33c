"""What a browser sends to the dashboard, replayed over HTTP (shared by the serving benchmarks).

Nothing here imports the app: the server is a real ``slt serve`` process, and the callback
requests are built from what it serves — ``/_dash-dependencies`` for the callbacks, and each
page's layout (the Dash Pages router callback's answer) for the ids and their current values.
A "page visit" is what a browser does on opening a page: GET the page, POST the router
callback, then POST every server-side callback that fires on load (not clientside, not
``prevent_initial_call``), with the values the layout holds — or a chosen region.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import requests

REPO = Path(__file__).resolve().parents[1]
ROUTER_OUTPUT = "_pages_content"
REGION_ID = "global-region"


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
        """The process ids that answer requests (gunicorn workers, or the one Flask process)."""
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


def _split_output(output: str) -> list[tuple[str | dict, str]]:
    if output.startswith(".."):
        parts = output[2:-2].split("...")
    else:
        parts = [output]
    pairs = [p.rsplit(".", 1) for p in parts]
    return [(json.loads(cid) if cid.startswith("{") else cid, prop) for cid, prop in pairs]


def _walk(node, found: dict[str, dict]) -> None:
    """Every component with a plain string id: id → its props."""
    if isinstance(node, list):
        for item in node:
            _walk(item, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), str):
                found[props["id"]] = props
            node = props
        for value in node.values():
            if isinstance(value, (dict, list)):
                _walk(value, found)


@dataclass
class Callback:
    output: str
    outputs: list[dict]
    inputs: list[tuple[str, str]]
    state: list[tuple[str, str]]
    fires_on_load: bool

    def payload(self, values: dict[str, dict], path: str) -> dict | None:
        """The request body, or None when an id is not on this page."""
        def item(cid: str, prop: str) -> dict | None:
            if cid == "_pages_location":
                return {"id": cid, "property": prop, "value": path if prop == "pathname" else ""}
            if cid not in values:
                return None
            return {"id": cid, "property": prop, "value": values[cid].get(prop)}

        if any(isinstance(o["id"], str) and o["id"] not in values for o in self.outputs):
            return None  # the browser only calls back for outputs that are on the page
        inputs = [item(*i) for i in self.inputs]
        state = [item(*s) for s in self.state]
        if any(x is None for x in inputs + state):
            return None
        outputs = self.outputs if self.output.startswith("..") else self.outputs[0]
        return {"output": self.output, "outputs": outputs, "inputs": inputs,
                "state": state, "changedPropIds": [f"{self.inputs[0][0]}.{self.inputs[0][1]}"]}


@dataclass
class Site:
    """The pages and callbacks a server offers, captured over HTTP."""
    url: str
    paths: list[str]
    callbacks: list[Callback]
    router: Callback
    poll: Callback | None
    pages: dict[str, dict[str, dict]] = field(default_factory=dict)  # path → id → props
    regions: list[str] = field(default_factory=list)

    @classmethod
    def capture(cls, url: str, session: requests.Session | None = None) -> Site:
        session = session or requests.Session()
        deps = session.get(url + "/_dash-dependencies", timeout=30).json()
        shell: dict[str, dict] = {}
        _walk(session.get(url + "/_dash-layout", timeout=30).json(), shell)
        callbacks, router, poll = [], None, None
        for dep in deps:
            if dep.get("clientside_function"):
                continue
            ids = [i["id"] for i in dep["inputs"] + dep["state"]]
            if not all(isinstance(i, str) and not i.startswith("{") for i in ids):
                continue  # pattern-matching ids: clicks on generated buttons, not page loads
            outputs = [{"id": cid, "property": prop} for cid, prop in _split_output(dep["output"])]
            cb = Callback(dep["output"], outputs, [(i["id"], i["property"]) for i in dep["inputs"]],
                          [(s["id"], s["property"]) for s in dep["state"]],
                          not dep.get("prevent_initial_call"))
            if outputs[0]["id"] == ROUTER_OUTPUT:
                router = cb
            elif cb.inputs[0][1] == "n_intervals":
                poll = cb
            else:
                callbacks.append(cb)
        if router is None:
            raise RuntimeError("no Dash Pages router callback in /_dash-dependencies")
        paths = list(shell.get("nav-paths", {}).get("data") or ["/"])
        site = cls(url, paths, callbacks, router, poll)
        for path in paths:
            body = router.payload(shell, path)
            answer = session.post(url + "/_dash-update-component", json=body, timeout=60)
            answer.raise_for_status()
            found = dict(shell)
            _walk(answer.json()["response"], found)
            site.pages[path] = found
            options = found.get(REGION_ID, {}).get("options") or []
            if options and not site.regions:
                site.regions = [o["value"] if isinstance(o, dict) else o for o in options]
        return site

    def visit(self, path: str, region: str | None = None) -> list[tuple[str, str, dict | None]]:
        """(kind, url path, body) of the requests a browser sends on opening ``path``."""
        values = {k: dict(v) for k, v in self.pages[path].items()}
        if region is not None and REGION_ID in values:
            values[REGION_ID]["value"] = region
        steps: list[tuple[str, str, dict | None]] = [("page", path, None),
                                                     ("router", "/_dash-update-component",
                                                      self.router.payload(values, path))]
        for cb in self.callbacks:
            if cb.fires_on_load and (body := cb.payload(values, path)) is not None:
                steps.append((f"callback {cb.outputs[0]['id']}", "/_dash-update-component", body))
        return steps

    def poll_request(self, path: str) -> tuple[str, str, dict] | None:
        """The data-version poll every open page sends on its interval."""
        if self.poll is None:
            return None
        values = dict(self.pages[path])
        values.setdefault("data-version-tick", {"n_intervals": 1})
        values["data-version-tick"] = {**values["data-version-tick"], "n_intervals": 1}
        body = self.poll.payload(values, path)
        return None if body is None else ("poll", "/_dash-update-component", body)


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
            answer = session.post(base + path, data=json.dumps(body),
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
