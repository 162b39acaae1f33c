"""Deployment settings of the web app, from the environment (documented in the README).

``SLT_ENV``            ``development`` (default) or ``production``.
``SLT_SECRET_KEY``     signs the session cookie; required (32+ characters) in production.
``SLT_ACCESS``         ``public`` (default: anyone may read) or ``login`` (everything needs a
                       login).
``SLT_MAX_UPLOAD_MB``  the largest file the upload page takes, in MB (default 20).
``SLT_PROXY_HOPS``     how many reverse proxies in front set ``X-Forwarded-For`` (default 0), so
                       failed logins are throttled per real client address, not per proxy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ENVIRONMENTS = ("development", "production")
ACCESS_MODES = ("public", "login")
DEFAULT_MAX_UPLOAD_MB = 20
MIN_SECRET_LENGTH = 32
MB = 1024 * 1024  # as Windows and the readers count a megabyte
DEVELOPMENT_KEY = "slt-statistikk-utviklingsnokkel-ikke-for-produksjon"


class ConfigError(Exception):
    """A setting that stops the server from starting; the message is Norwegian."""


@dataclass(frozen=True)
class Settings:
    secret_key: str
    production: bool = False
    access: str = "public"
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * MB
    proxy_hops: int = 0

    @property
    def development_key(self) -> bool:
        return self.secret_key == DEVELOPMENT_KEY

    @property
    def max_upload_mb(self) -> float:
        return self.max_upload_bytes / MB


def _choice(environ: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = (environ.get(name) or choices[0]).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}={value!r} er ukjent; bruk {' eller '.join(choices)}")
    return value


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    text = (environ.get(name) or "").strip().replace(",", ".")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name}={text!r} er ikke et tall") from None
    if value < 0:
        raise ConfigError(f"{name} kan ikke være negativ")
    return value


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from ``environ`` (default ``os.environ``); ConfigError when unusable."""
    environ = os.environ if environ is None else environ
    production = _choice(environ, "SLT_ENV", ENVIRONMENTS) == "production"
    key = environ.get("SLT_SECRET_KEY") or ""
    if production and not key:
        raise ConfigError("SLT_SECRET_KEY mangler. I produksjon (SLT_ENV=production) må "
                          "SLT_SECRET_KEY være satt til en lang, tilfeldig hemmelighet, f.eks. "
                          "fra: python -c \"import secrets; print(secrets.token_hex(32))\"")
    if production and (len(key) < MIN_SECRET_LENGTH or key == DEVELOPMENT_KEY):
        raise ConfigError(f"SLT_SECRET_KEY er for kort eller er utviklingsnøkkelen; i produksjon "
                          f"må den ha minst {MIN_SECRET_LENGTH} tegn")
    max_mb = _number(environ, "SLT_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)
    if max_mb <= 0:
        raise ConfigError("SLT_MAX_UPLOAD_MB må være større enn 0")
    return Settings(secret_key=key or DEVELOPMENT_KEY, production=production,
                    access=_choice(environ, "SLT_ACCESS", ACCESS_MODES),
                    max_upload_bytes=int(max_mb * MB),
                    proxy_hops=int(_number(environ, "SLT_PROXY_HOPS", 0)))
