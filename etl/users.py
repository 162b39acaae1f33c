"""Users, roles and login throttling, kept in a small SQLite file beside the database.

Users live apart from the statistics database because that file is replaced whole on every
publish; SQLite's own locking makes the user file safe for several server workers.  Passwords
are hashed with Argon2id (argon2-cffi); nothing here invents cryptography.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("analyst", "viewer")
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
MIN_PASSWORD_LENGTH = 10

_HASHER = PasswordHasher()
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('analyst', 'viewer')),
    password_hash TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
"""


class UserError(Exception):
    """A user command that cannot be done; the message is Norwegian."""


class Throttled(UserError):
    """Too many failed logins for this name or address."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    changed: float = 0.0  # when the password or role last changed: ends older web sessions

    @property
    def is_analyst(self) -> bool:
        return self.role == "analyst"


def users_path(db_path: Path) -> Path:
    """``$SLT_USERS``, else ``users.sqlite`` beside the database."""
    return Path(os.environ.get("SLT_USERS") or Path(db_path).with_name("users.sqlite"))


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    con.executescript(_SCHEMA)
    return con


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"passordet må ha minst {MIN_PASSWORD_LENGTH} tegn")


def add_user(path: Path, name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise UserError(f"ukjent rolle «{role}»; bruk {' eller '.join(ROLES)}")
    _check_password(password)
    now = time.time()
    with closing(_connect(path)) as con:
        try:
            con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)",
                        (name, role, _HASHER.hash(password), now, now))
        except sqlite3.IntegrityError:
            raise UserError(f"brukeren «{name}» finnes allerede") from None


def remove_user(path: Path, name: str) -> None:
    with closing(_connect(path)) as con:
        if con.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
            raise UserError(f"brukeren «{name}» finnes ikke")


def set_password(path: Path, name: str, password: str, role: str | None = None) -> None:
    _check_password(password)
    if role is not None and role not in ROLES:
        raise UserError(f"ukjent rolle «{role}»; bruk {' eller '.join(ROLES)}")
    with closing(_connect(path)) as con:
        changed = con.execute(
            "UPDATE users SET password_hash = ?, role = coalesce(?, role), updated_at = ? "
            "WHERE name = ?", (_HASHER.hash(password), role, time.time(), name)).rowcount
        if changed == 0:
            raise UserError(f"brukeren «{name}» finnes ikke")


def list_users(path: Path) -> list[User]:
    with closing(_connect(path)) as con:
        return [User(*row) for row in con.execute("SELECT name, role FROM users ORDER BY name")]


def get_user(path: Path, name: str) -> User | None:
    with closing(_connect(path)) as con:
        row = con.execute("SELECT name, role, updated_at FROM users WHERE name = ?",
                          (name,)).fetchall()
    return User(*row[0]) if row else None


def _failures(con: sqlite3.Connection, keys: list[str], since: float) -> int:
    """The most recent failures counted against any of ``keys``."""
    return max(con.execute("SELECT count(*) FROM login_failures WHERE key = ? AND at > ?",
                           (key, since)).fetchall()[0][0] for key in keys)


def authenticate(path: Path, name: str, password: str, address: str = "-") -> User | None:
    """The user if the password is right; None if not; Throttled after too many failures.

    Failures are counted per user name and per client address over a sliding window, so
    guessing is slow for one account and for one machine trying many accounts.
    """
    keys = [f"user:{name}", f"ip:{address}"]
    now = time.time()
    with closing(_connect(path)) as con:
        con.execute("DELETE FROM login_failures WHERE at < ?", (now - WINDOW_SECONDS,))
        if _failures(con, keys, now - WINDOW_SECONDS) >= MAX_FAILURES:
            raise Throttled("for mange mislykkede innlogginger; vent et kvarter og prøv igjen")
        row = con.execute("SELECT role, password_hash, updated_at FROM users WHERE name = ?",
                          (name,)).fetchall()
        stored = row[0][1] if row else _HASHER.hash("no such user")  # same work either way
        try:
            _HASHER.verify(stored, password)
            ok = bool(row)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            con.executemany("INSERT INTO login_failures VALUES (?, ?)", [(k, now) for k in keys])
            return None
        con.execute("DELETE FROM login_failures WHERE key = ?", (keys[0],))
        if _HASHER.check_needs_rehash(stored):
            con.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                        (_HASHER.hash(password), name))
        return User(name, row[0][0], row[0][2])
