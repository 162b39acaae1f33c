"""Several gunicorn workers: a publish reaches every one of them without a restart."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import SEED_WORKBOOK, run_slt, slt_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/helse", timeout=10) as response:
        return json.loads(response.read())


@contextlib.contextmanager
def serving(db):
    """``slt serve --workers 2`` on ``db`` until the block ends; yields its port."""
    port = free_port()
    server = subprocess.Popen(
        [*slt_command(), "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health(port)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def two_workers(db):
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    with serving(db) as port:
        yield port


def answers(port: int, n: int = 40) -> list[dict]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: health(port), range(n)))


def test_a_publish_reaches_every_worker(two_workers, db, u18_data):
    before = answers(two_workers)
    assert {a["last_upload_id"] for a in before} == {1}
    assert run_slt("ingest", u18_data / "seed_full_year_2024.xlsx", "--db", db).returncode == 0
    after = answers(two_workers)
    assert {a["last_upload_id"] for a in after} == {2}
    assert len({a["worker"] for a in before + after}) == 2, "both workers should have answered"
