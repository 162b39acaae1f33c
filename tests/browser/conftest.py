"""Browser tests: the real ``slt serve`` in a subprocess, driven by headless Debian Chromium.

Without Chromium the tests are skipped on a developer machine but *fail* when ``CI`` is set, so
they can never pass silently in CI.  Every page a test opens is checked for browser console
errors when the test ends, and screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import REPO, slt_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120,
                   log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace") if log else process.stdout.read()
            raise RuntimeError(f"slt serve stopped: {output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"slt serve did not answer on {url} within {timeout} s")


@contextlib.contextmanager
def served(db: Path, *args: str, env: dict | None = None):
    """``slt serve`` on ``db`` in a subprocess; yields its URL and stops it afterwards.

    The server's output goes to a log file beside the database: an unread pipe fills up after
    some hundred requests and then blocks the server.
    """
    port = _free_port()
    log = db.parent / f"serve-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen([*slt_command(), "serve", "--db", str(db), "--port",
                                    str(port), *args], stdout=out, stderr=subprocess.STDOUT,
                                   text=True, cwd=REPO,
                                   env=None if env is None else {**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", process, log=log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def sample_app(tmp_path_factory):
    """The real app on the bundled sample (``slt serve`` builds the database when missing):
    its URL and the database path (users made with ``slt user add --db`` can log in)."""
    db = tmp_path_factory.mktemp("browser") / "slt.duckdb"
    with served(db, env={"SLT_USERS": ""}) as url:
        yield SimpleNamespace(url=url, db=db)


@pytest.fixture(scope="session")
def base_url(sample_app):
    return sample_app.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page at 1366×768; fails the test if the browser logged any console error."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="nb-NO")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


# True once Dash's own callback queues (its redux store, as dash.testing reads them) have been
# empty, with no loading spinner, for QUIET_MS in a row.  A navigation inside the app fires no
# load event, so waiting for the network alone returned before the new page's callbacks were
# even queued on a busy machine.
_QUIET = """quiet => {
    const state = window.store && window.store.getState();
    if (!state) { return false; }
    const queues = Object.assign({}, state.callbacks);
    delete queues.stored;
    delete queues.completed;
    const pending = [].concat(...Object.values(queues)).length > 0
        || !!document.querySelector('[data-dash-is-loading="true"]');
    const now = performance.now();
    if (pending || window.__sltQuietSince == null) {
        window.__sltQuietSince = pending ? null : now;
        return false;
    }
    return now - window.__sltQuietSince >= quiet;
}"""
QUIET_MS = 400


def settle(page, timeout: float = 20_000) -> None:
    """Wait until Dash has no callback queued or in flight, for a while."""
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sltQuietSince = null")
    page.wait_for_function(_QUIET, arg=QUIET_MS, polling=50, timeout=timeout)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_figure(page, graph_id: str, timeout: float = 30_000) -> None:
    """Wait until plotly has drawn at least one trace in the graph ``graph_id``."""
    page.wait_for_function(
        """id => { const gd = document.querySelector('#' + CSS.escape(id) + ' .js-plotly-plot');
                   return !!(gd && gd._fullData && gd._fullData.length > 0); }""",
        arg=graph_id, timeout=timeout)


def figure_data(page, graph_id: str) -> list[dict]:
    """The traces plotly actually drew in the graph ``graph_id`` (typed arrays decoded).

    Waits for the first drawn trace: on a busy machine plotly may still be drawing after Dash
    reports no callback in flight (an empty answer here failed CI once).
    """
    wait_for_figure(page, graph_id)
    return page.evaluate(
        """id => {
            const gd = document.querySelector('#' + CSS.escape(id) + ' .js-plotly-plot');
            const list = v => (v === undefined || v === null) ? null : Array.from(v);
            return ((gd && gd._fullData) || []).map(t => ({
                name: t.name, type: t.type, meta: t.meta, x: list(t.x), y: list(t.y),
                customdata: list(t.customdata),
                pattern: t.marker && t.marker.pattern ? t.marker.pattern.shape : null}));
        }""", graph_id)


def choose(page, dropdown_id: str, search: str, option: str) -> None:
    """Pick ``option`` in a Dash 4 dropdown by searching for it, as a user would."""
    page.locator(f"#{dropdown_id}").click()
    page.locator(".dash-dropdown-search").fill(search)
    page.get_by_role("option", name=option).click()
