"""Uploaded files waiting for Publiser or Avbryt: server-side temp files under generated names.

The user's file name is only ever a label (shown, and recorded in ``uploads``); the file on disk
is ``<token>.upload`` in a private directory, where the token is 32 random hex digits.  A token
from the browser is checked against that pattern and against the user who uploaded it, so it can
neither point outside the directory nor pick up someone else's file.  Files older than a day are
removed on the next upload.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

TOKEN = re.compile(r"[0-9a-f]{32}")
MAX_AGE_SECONDS = 24 * 3600


class UploadRefused(Exception):
    """The upload cannot be taken; the message is Norwegian."""


@dataclass(frozen=True)
class Pending:
    token: str
    path: Path
    file_name: str
    user: str | None


def upload_dir() -> Path:
    """``$SLT_UPLOAD_DIR``, else ``slt-opplastinger`` in the system's temp directory."""
    folder = Path(os.environ.get("SLT_UPLOAD_DIR")
                  or Path(tempfile.gettempdir()) / "slt-opplastinger")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def display_name(name: str | None) -> str:
    """The last part of the name the browser sent, without control characters, at most 120
    characters: a label, never a path."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[:120] or "opplastet-fil"


def decode(contents: str) -> bytes:
    """The bytes of a ``data:...;base64,...`` string from dcc.Upload."""
    _, _, data = (contents or "").partition(",")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused("filen kom ikke fram i sin helhet; prøv å laste den opp igjen") \
            from None


def encoded_size(contents: str) -> int:
    """The decoded size of a base64 data URL, without decoding it."""
    data = (contents or "").partition(",")[2]
    return len(data) * 3 // 4 - data[-2:].count("=")


def _clean_old(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for old in folder.glob("*.upload*"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def save(data: bytes, file_name: str, user: str | None) -> Pending:
    folder = upload_dir()
    _clean_old(folder)
    token = secrets.token_hex(16)
    path = folder / f"{token}.upload"
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
        fh.write(data)
    meta = {"file_name": display_name(file_name), "user": user}
    (folder / f"{token}.upload.json").write_text(json.dumps(meta), encoding="utf-8")
    return Pending(token, path, meta["file_name"], user)


def load(token: str | None, user: str | None) -> Pending:
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise UploadRefused("ingen fil venter; last opp filen på nytt")
    folder = upload_dir()
    path = folder / f"{token}.upload"
    try:
        meta = json.loads((folder / f"{token}.upload.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UploadRefused("filen er ikke lenger på serveren; last den opp på nytt") from None
    if meta.get("user") != user or not path.exists():
        raise UploadRefused("filen er ikke lenger på serveren; last den opp på nytt")
    return Pending(token, path, meta["file_name"], user)


def discard(token: str | None, user: str | None) -> None:
    """Remove ``user``'s waiting file (nothing happens for another user's token)."""
    try:
        pending = load(token, user)
    except UploadRefused:
        return
    pending.path.unlink(missing_ok=True)
    pending.path.with_name(pending.path.name + ".json").unlink(missing_ok=True)
