"""Who may change data: an editor password kept only as a hash, compared in constant time,
with failed logins slowed down per session.

Browsing needs no login. The hash comes from `.streamlit/secrets.toml`
(`[integra] editor_password_hash = "scrypt$…"`, made by `python -m integra hash-password`)
or from the environment (`INTEGRA_EDITOR_PASSWORD_HASH`, or `INTEGRA_EDITOR_PASSWORD`, which is
hashed in memory at first use and never stored).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

_N, _R, _P = 2**14, 8, 1
MAX_FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$key` (base64); a fresh random salt unless one is given."""
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True if `password` matches the stored hash; the comparison takes the same time either way."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        expected = base64.b64decode(key)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))  # fmt: skip
    except (ValueError, TypeError):
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


@lru_cache(maxsize=4)
def _hash_of_plain(password: str) -> str:
    return hash_password(password)


def configured_hash(
    secrets_section: Mapping[str, object] | None, environ: Mapping[str, str] = os.environ
) -> str | None:
    """The editor password hash from secrets or environment; None means editing is switched off."""
    if secrets_section and secrets_section.get("editor_password_hash"):
        return str(secrets_section["editor_password_hash"])
    if environ.get("INTEGRA_EDITOR_PASSWORD_HASH"):
        return environ["INTEGRA_EDITOR_PASSWORD_HASH"]
    if environ.get("INTEGRA_EDITOR_PASSWORD"):
        return _hash_of_plain(environ["INTEGRA_EDITOR_PASSWORD"])
    return None


@dataclass
class Throttle:
    """Failed logins of one session: after 3 failures each try waits longer (5 s, 10 s, … 5 min)."""

    failures: int = 0
    locked_until: float = 0.0
    history: list[float] = field(default_factory=list)

    def wait_seconds(self, now: float) -> int:
        return max(0, int(self.locked_until - now + 0.999))

    def record_failure(self, now: float) -> None:
        self.failures += 1
        self.history.append(now)
        if self.failures >= MAX_FREE_ATTEMPTS:
            self.locked_until = now + min(MAX_WAIT_SECONDS, 5 * 2 ** (self.failures - MAX_FREE_ATTEMPTS))

    def record_success(self) -> None:
        self.failures, self.locked_until = 0, 0.0
