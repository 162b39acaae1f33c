"""Login, cookies, access modes and start-up settings, through the real ``slt serve``."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import SEED_WORKBOOK, run_slt, slt_command

PASSWORD = "korrekt hest batteri"
SECRET = "x" * 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``slt serve`` in a subprocess with the given environment; its output in a file."""

    def __init__(self, db: Path, log: Path, **env: str):
        self.port, self.log = free_port(), log
        self.url = f"http://127.0.0.1:{self.port}"
        environ = {k: v for k, v in os.environ.items() if not k.startswith("SLT_")}
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                [*slt_command(), "serve", "--db", str(db), "--port", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT, env={**environ, **env})
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/helse", timeout=2)
                return
            except requests.ConnectionError:
                assert self.process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("auth") / "slt.duckdb"
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    for name, role in (("ana", "analyst"), ("vera", "viewer")):
        assert run_slt("user", "add", name, "--role", role, "--password-stdin", "--db", db,
                       input_text=PASSWORD + "\n").returncode == 0
    return db


@pytest.fixture(scope="module")
def login_mode(store, tmp_path_factory):
    server = Server(store, tmp_path_factory.mktemp("login") / "serve.log", SLT_ACCESS="login")
    yield server
    server.stop()


def form_token(session: requests.Session, url: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', session.get(url + "/logg-inn").text)[1]


def log_in(session: requests.Session, url: str, name: str, password: str = PASSWORD):
    return session.post(url + "/logg-inn", allow_redirects=False, timeout=30, data={
        "csrf": form_token(session, url), "brukernavn": name, "passord": password,
        "neste": "/"})


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    db = tmp_path / "slt.duckdb"
    started = run_slt("serve", "--db", db, "--port", free_port(),
                      env={"SLT_ENV": "production", "SLT_SECRET_KEY": ""})
    assert started.returncode == 2
    assert "Kan ikke starte: SLT_SECRET_KEY mangler" in started.stderr
    assert not db.exists(), "nothing should be built before the settings are checked"


def test_production_refuses_a_short_secret_key(tmp_path):
    started = run_slt("serve", "--db", tmp_path / "slt.duckdb", "--port", free_port(),
                      env={"SLT_ENV": "production", "SLT_SECRET_KEY": "kort"})
    assert started.returncode == 2 and "minst 32 tegn" in started.stderr


def test_development_says_it_uses_a_development_key(login_mode):
    assert "bruker en utviklingsnøkkel" in login_mode.log.read_text()


def test_the_session_cookie_is_httponly_and_samesite_lax(login_mode):
    answer = log_in(requests.Session(), login_mode.url, "ana")
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("slt_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain http


def test_in_production_the_session_cookie_is_also_secure(store, tmp_path):
    server = Server(store, tmp_path / "serve.log", SLT_ENV="production", SLT_SECRET_KEY=SECRET)
    try:
        answer = requests.get(server.url + "/logg-inn", timeout=10)
        cookie = answer.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "utviklingsnøkkel" not in server.log.read_text()
    finally:
        server.stop()


def test_login_mode_requires_a_login_for_every_route_but_the_open_ones(login_mode):
    url, anonymous = login_mode.url, requests.Session()
    for path in ("/", "/ungdomskriminalitet", "/rapport", "/om-dataene", "/en-side-som-kommer"):
        answer = anonymous.get(url + path, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/logg-inn?neste=")
    assert anonymous.get(url + "/_dash-layout", timeout=10).status_code == 401
    assert anonymous.get(url + "/_dash-dependencies", timeout=10).status_code == 401
    assert anonymous.post(url + "/_dash-update-component", json={"output": "x.children"},
                          timeout=10).status_code == 401
    for path in ("/helse", "/logg-inn", "/assets/bootstrap.min.css"):
        assert anonymous.get(url + path, timeout=10).status_code == 200, path


def test_a_viewer_reads_everything_but_upload_pages_in_login_mode(login_mode):
    viewer = requests.Session()
    assert log_in(viewer, login_mode.url, "vera").status_code == 302
    assert viewer.get(login_mode.url + "/", timeout=10).status_code == 200
    layout = viewer.get(login_mode.url + "/_dash-layout", timeout=10)
    assert layout.status_code == 200 and "Last opp" not in layout.text and "vera" in layout.text
    refused = viewer.get(login_mode.url + "/last-opp", timeout=10, allow_redirects=False)
    assert refused.status_code == 403 and "bare for brukere med rollen analytiker" in refused.text


def test_login_refuses_a_form_without_its_token_and_never_redirects_off_site(login_mode):
    session = requests.Session()
    no_token = session.post(login_mode.url + "/logg-inn", allow_redirects=False, timeout=30,
                            data={"brukernavn": "ana", "passord": PASSWORD})
    assert no_token.status_code == 400 and "Skjemaet var utløpt" in no_token.text
    answer = session.post(login_mode.url + "/logg-inn", allow_redirects=False, timeout=30, data={
        "csrf": form_token(session, login_mode.url), "brukernavn": "ana", "passord": PASSWORD,
        "neste": "//evil.example/"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_logout_ends_the_session(login_mode):
    session = requests.Session()
    log_in(session, login_mode.url, "vera")
    assert session.get(login_mode.url + "/_dash-layout", timeout=10).status_code == 200
    assert session.post(login_mode.url + "/logg-ut", allow_redirects=False,
                        timeout=10).status_code == 302
    assert session.get(login_mode.url + "/_dash-layout", timeout=10).status_code == 401


def test_a_new_password_or_removal_ends_the_users_sessions(login_mode, store):
    for name in ("per", "pia"):
        assert run_slt("user", "add", name, "--role", "analyst", "--password-stdin", "--db",
                       store, input_text=PASSWORD + "\n").returncode == 0
    per, pia = requests.Session(), requests.Session()
    for session, name in ((per, "per"), (pia, "pia")):
        assert log_in(session, login_mode.url, name).status_code == 302
        assert session.get(login_mode.url + "/_dash-layout", timeout=10).status_code == 200
    assert run_slt("user", "passwd", "per", "--password-stdin", "--db", store,
                   input_text="et helt nytt passord\n").returncode == 0
    assert run_slt("user", "remove", "pia", "--db", store).returncode == 0
    assert per.get(login_mode.url + "/_dash-layout", timeout=10).status_code == 401
    assert pia.get(login_mode.url + "/_dash-layout", timeout=10).status_code == 401
    assert log_in(per, login_mode.url, "per", "et helt nytt passord").status_code == 302
    assert per.get(login_mode.url + "/_dash-layout", timeout=10).status_code == 200


def test_failed_logins_are_throttled_through_the_login_form(store, tmp_path):
    # Its own user file, so the throttled address does not lock out the other tests.
    users = tmp_path / "users.sqlite"
    assert run_slt("user", "add", "kari", "--role", "viewer", "--password-stdin",
                   env={"SLT_USERS": str(users)}, input_text=PASSWORD + "\n").returncode == 0
    server = Server(store, tmp_path / "serve.log", SLT_USERS=str(users))
    try:
        session = requests.Session()
        for _ in range(5):
            wrong = log_in(session, server.url, "kari", "gjetting12345")
            assert wrong.status_code == 401 and "Feil brukernavn eller passord" in wrong.text
        right = log_in(session, server.url, "kari", PASSWORD)
        assert right.status_code == 429
        assert "for mange mislykkede innlogginger" in right.text
        assert session.get(server.url + "/logg-ut", timeout=10).text.count(
            "Du er ikke logget inn") == 1
    finally:
        server.stop()


def test_names_are_escaped_on_the_login_pages(login_mode, store):
    assert run_slt("user", "add", "<b>ole</b>", "--role", "viewer", "--password-stdin",
                   "--db", store, input_text=PASSWORD + "\n").returncode == 0
    session = requests.Session()
    assert log_in(session, login_mode.url, "<b>ole</b>").status_code == 302
    page = session.get(login_mode.url + "/logg-ut", timeout=10).text
    assert "&lt;b&gt;ole&lt;/b&gt;" in page and "<b>ole</b>" not in page


def test_a_route_added_later_is_behind_the_guard(store):
    from dashboard.server import build
    from dashboard.settings import Settings

    app = build(store, Settings(secret_key=SECRET, access="login"))
    app.server.add_url_rule("/rapport.pdf", "future_report", lambda: "tall")
    client = app.server.test_client()
    answer = client.get("/rapport.pdf")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/logg-inn")
