"""Who may change data: an editor password kept only as a hash, compared in constant time;
failed logins slowed down in the store, and a login bound to the browser that made it.

Browsing needs no login. The hash comes from `.streamlit/secrets.toml`
(`[integra] editor_password_hash = "scrypt$…"`, made by `python -m integra hash-password`)
or from the environment (`INTEGRA_EDITOR_PASSWORD_HASH`, or `INTEGRA_EDITOR_PASSWORD`, which is
hashed in memory at first use and never stored).

Failed logins are counted in the table `login_attempts`, not in the Streamlit session: a reload
or a second websocket starts a new session, so a per-session counter could be reset at will
(review 2026-11, M1). Counting in the database also covers every replica behind a proxy.

A Streamlit session id is a bearer token (it appears in upload URLs, and a websocket that
presents it resumes the session), so a login also records a hash of something only the
browser can show with each handshake, and expires (review 2026-11, M2).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from integra.models import LoginAttempt
from integra.store import transaction

_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10  # the same rule as `python -m integra hash-password`
MAX_WAIT_SECONDS = 300
# Per client address: three free tries, then 5 s, 10 s, … 5 min (as before, but per address, not per session).
ADDRESS_FREE_ATTEMPTS = 3
# All addresses together: the password is one shared secret, so guessing from many addresses must be
# limited as well. The threshold is higher, so that editors' own typos never reach it; an address that
# logged in successfully in the last KNOWN_ADDRESS_SECONDS is exempt, so an attacker who keeps the
# shared counter locked cannot lock out editors at known addresses.
ACCOUNT_FREE_ATTEMPTS = 20
ACCOUNT_KEY = "konto:redaktion"
KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600
FORGET_AFTER_SECONDS = 3600  # a counter without a failure for this long starts again at zero
LOGIN_SECONDS = 8 * 3600
MAX_NAME_LENGTH = 80
XSRF_COOKIE = "_streamlit_xsrf"


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
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


@lru_cache(maxsize=4)
def _hash_of_plain(password: str) -> str:
    return hash_password(password)


class PasswordTooShort(ValueError):
    """`INTEGRA_EDITOR_PASSWORD` is set but shorter than MIN_PASSWORD_LENGTH: editing stays off."""


def configured_hash(
    secrets_section: Mapping[str, object] | None, environ: Mapping[str, str] = os.environ
) -> str | None:
    """The editor password hash from secrets or environment; None means editing is switched off.

    A plain password that is too short raises PasswordTooShort instead of being used: the
    throttle below bounds guessing speed, not the number of guesses, so the length is what
    protects the data (a hash cannot be checked for length; `hash-password` refuses short ones).
    """
    if secrets_section and secrets_section.get("editor_password_hash"):
        return str(secrets_section["editor_password_hash"])
    if environ.get("INTEGRA_EDITOR_PASSWORD_HASH"):
        return environ["INTEGRA_EDITOR_PASSWORD_HASH"]
    if environ.get("INTEGRA_EDITOR_PASSWORD"):
        if len(environ["INTEGRA_EDITOR_PASSWORD"]) < MIN_PASSWORD_LENGTH:
            raise PasswordTooShort(MIN_PASSWORD_LENGTH)
        return _hash_of_plain(environ["INTEGRA_EDITOR_PASSWORD"])
    return None


# --- failed-login counters in the store -------------------------------------------------------


def client_address(remote_ip: str | None, forwarded_for: Sequence[str], environ: Mapping[str, str] = os.environ) -> str:
    """The address a login attempt is counted under.

    `X-Forwarded-For` is written by the client unless a proxy overwrites or appends to it, so it
    is used only when `INTEGRA_TRUSTED_PROXY=1` says a proxy is in front, and then only its last
    entry: the one the proxy itself appended (nginx `$proxy_add_x_forwarded_for`, HAProxy
    `option forwardfor`); anything left of it came from the client. Without a proxy, the socket
    address (Streamlit reports loopback as None).
    """
    if environ.get("INTEGRA_TRUSTED_PROXY") == "1":
        entries = [e.strip() for value in forwarded_for if isinstance(value, str) for e in value.split(",")]
        if entries and entries[-1]:
            return entries[-1]
    return remote_ip if isinstance(remote_ip, str) and remote_ip else "lokal"


def address_key(address: str) -> str:
    """Counter key of one address; stored as a hash so the table holds no readable IP addresses."""
    return "adresse:" + hashlib.sha256(address.encode("utf-8")).hexdigest()[:40]


def backoff_seconds(failures: int, free_attempts: int) -> float:
    """0 for the free attempts, then 5 s, 10 s, 20 s, … at most MAX_WAIT_SECONDS."""
    if failures < free_attempts:
        return 0.0
    return float(min(MAX_WAIT_SECONDS, 5 * 2 ** min(failures - free_attempts, 16)))


@dataclass(frozen=True)
class Attempt:
    """What a login attempt came to: accepted, refused for now (`wait` seconds), or wrong password."""

    ok: bool
    wait: int = 0


def _claim_rows(session: Session, keys: Sequence[str], now: float) -> None:
    """Create missing counter rows. As the transaction's first statement this is a write, so SQLite
    takes its write lock here and concurrent attempts queue up (busy_timeout) instead of reading the
    same counter; PostgreSQL then locks the rows with SELECT … FOR UPDATE."""
    empty = {"failures": 0, "locked_until": 0.0, "last_failure": 0.0, "last_success": 0.0}
    rows = [{"key": k, **empty} for k in sorted(keys)]  # sorted: the same lock order as the SELECT below
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(sqlite.insert(LoginAttempt).values(rows).on_conflict_do_nothing())
    elif dialect == "postgresql":
        session.execute(postgresql.insert(LoginAttempt).values(rows).on_conflict_do_nothing())
    else:  # other databases: not race-free, but still counted
        existing = set(session.scalars(select(LoginAttempt.key).where(LoginAttempt.key.in_(keys))))
        session.add_all(LoginAttempt(**r) for r in rows if r["key"] not in existing)
        session.flush()
    stale = now - max(KNOWN_ADDRESS_SECONDS, FORGET_AFTER_SECONDS)
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.last_failure < stale, LoginAttempt.last_success < stale, LoginAttempt.key.not_in(keys)
        )
    )


def attempt_login(engine: Engine, address: str, check: Callable[[], bool], now: float | None = None) -> Attempt:
    """Check the counters of `address` and of the shared account, run `check` only if neither is
    locked, and record the result, all in one transaction.

    The rows stay locked while `check` (scrypt, ~0.1 s) runs, so parallel attempts from many sessions
    or replicas are counted one after another and none of them sees a counter before the previous
    failure was written.
    """
    now = time.time() if now is None else now
    own = address_key(address)
    with transaction(engine) as session:
        _claim_rows(session, [ACCOUNT_KEY, own], now)
        rows = {
            r.key: r
            for r in session.scalars(
                select(LoginAttempt)
                .where(LoginAttempt.key.in_([ACCOUNT_KEY, own]))
                .order_by(LoginAttempt.key)
                .with_for_update()
            )
        }
        mine, account = rows[own], rows[ACCOUNT_KEY]
        known = mine.last_success >= now - KNOWN_ADDRESS_SECONDS
        wait = max(mine.locked_until - now, 0.0 if known else account.locked_until - now, 0.0)
        if wait > 0:
            return Attempt(ok=False, wait=int(wait + 0.999))
        if check():
            # The shared counter is not reset: one editor's success must not give an attacker new free tries.
            mine.failures, mine.locked_until, mine.last_success = 0, 0.0, now
            return Attempt(ok=True)
        for row, free in ((mine, ADDRESS_FREE_ATTEMPTS), (account, ACCOUNT_FREE_ATTEMPTS)):
            if row.last_failure < now - FORGET_AFTER_SECONDS:
                row.failures = 0
            row.failures += 1
            row.last_failure = now
            row.locked_until = now + backoff_seconds(row.failures, free) if row.failures >= free else 0.0
        return Attempt(ok=False)


# --- a login bound to the browser -------------------------------------------------------------


def _xsrf_token(cookie: object) -> bytes | None:
    """The secret inside Streamlit's XSRF cookie. Streamlit re-masks the cookie on every page load and
    health check (`2|mask|masked_token|time`), so only the unmasked token is stable per browser."""
    if not isinstance(cookie, str) or not cookie:
        return None
    value = cookie.strip("\"'")
    parts = value.split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = binascii.a2b_hex(parts[1]), binascii.a2b_hex(parts[2])
        except (binascii.Error, ValueError):
            return None
        return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)) if mask else None
    return value.encode("utf-8")


def client_proof(cookies: Mapping[str, str], headers: Mapping[str, str]) -> str | None:
    """A hash of what the current connection proves it is, compared at every rerun of an editor page.

    With XSRF protection on (Streamlit's default), the browser sends the `_streamlit_xsrf` cookie with
    every websocket handshake; its token is random per browser, stable across reloads and reconnects,
    and never part of a URL. Without it, the handshake's `Sec-WebSocket-Key` (random per connection)
    is used, so any reconnect then needs a new login. None only without a browser connection (AppTest).
    """
    token = _xsrf_token(cookies.get(XSRF_COOKIE))
    if token:
        return hashlib.sha256(b"xsrf:" + token).hexdigest()
    key = headers.get("Sec-Websocket-Key")
    if isinstance(key, str) and key:  # AppTest's stand-in connection answers with mocks
        return hashlib.sha256(b"connection:" + key.encode("utf-8")).hexdigest()
    return None


@dataclass(frozen=True)
class Login:
    """An editor's login in one Streamlit session: valid only for the same browser and for LOGIN_SECONDS."""

    name: str
    proof: str | None
    expires_at: float

    def holds(self, proof: str | None, now: float) -> bool:
        if now >= self.expires_at:
            return False
        if self.proof is None or proof is None:
            return self.proof is proof
        return hmac.compare_digest(self.proof, proof)


def clean_name(name: str) -> str:
    """The editor's free-text name as stored and shown: no control characters, at most MAX_NAME_LENGTH."""
    text = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return text[:MAX_NAME_LENGTH].strip() or "Redaktion"
