"""Editor login: counters in the store across sessions (M1), the login bound to the browser (M2),
the login name as plain text (L1), the minimum password length."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from integra import auth
from integra.models import LoginAttempt
from tests.apptest import login, page

PASSWORD = "richtig-geheim-123"
T0 = 1_800_000_000.0


def _attempt(engine, address: str, ok: bool, now: float, calls: list[str] | None = None) -> auth.Attempt:
    def check() -> bool:
        if calls is not None:
            calls.append(address)
        return ok

    return auth.attempt_login(engine, address, check, now=now)


# --- store level ----------------------------------------------------------------------------


def test_backoff_doubles_after_the_free_attempts_up_to_five_minutes():
    assert [auth.backoff_seconds(n, 3) for n in range(2, 11)] == [0, 5, 10, 20, 40, 80, 160, 300, 300]
    assert auth.backoff_seconds(10_000, 3) == 300


def test_an_address_gets_three_tries_then_waits_without_the_password_being_checked(engine):
    calls: list[str] = []
    assert [_attempt(engine, "10.0.0.1", False, T0 + i, calls) for i in range(3)] == [auth.Attempt(False)] * 3
    refused = _attempt(engine, "10.0.0.1", True, T0 + 3, calls)
    assert refused == auth.Attempt(False, wait=4) and len(calls) == 3  # locked 5 s from the 3rd failure
    assert _attempt(engine, "10.0.0.1", False, T0 + 7, calls) == auth.Attempt(False)  # 4th failure: 10 s
    assert _attempt(engine, "10.0.0.1", True, T0 + 8, calls).wait == 9
    assert _attempt(engine, "10.0.0.2", True, T0 + 8, calls) == auth.Attempt(True)  # other addresses are free
    assert _attempt(engine, "10.0.0.1", True, T0 + 17, calls) == auth.Attempt(True)
    assert _attempt(engine, "10.0.0.1", False, T0 + 18) == auth.Attempt(False)  # success reset the address


def test_counters_are_forgotten_an_hour_after_the_last_failure(engine):
    for i in range(3):
        _attempt(engine, "10.0.0.1", False, T0 + i)
    later = T0 + 2 + auth.FORGET_AFTER_SECONDS + 1
    assert _attempt(engine, "10.0.0.1", False, later) == auth.Attempt(False)
    assert _attempt(engine, "10.0.0.1", False, later + 1) == auth.Attempt(False)  # two more free tries


def test_the_shared_account_is_locked_after_twenty_failures_but_known_addresses_still_get_in(engine):
    assert _attempt(engine, "192.0.2.99", True, T0) == auth.Attempt(True)  # an editor's usual address
    for i in range(auth.ACCOUNT_FREE_ATTEMPTS):  # an attacker rotating addresses, 1 try each
        assert _attempt(engine, f"198.51.100.{i}", False, T0 + 1 + i / 100).wait == 0
    assert _attempt(engine, "203.0.113.7", True, T0 + 2).wait == 5  # new address, right password: refused
    assert _attempt(engine, "192.0.2.99", True, T0 + 2) == auth.Attempt(True)  # known address: not locked out
    assert _attempt(engine, "203.0.113.7", True, T0 + 6.5) == auth.Attempt(True)
    with engine.connect() as conn:
        keys = set(conn.scalars(select(LoginAttempt.key)))
    assert auth.ACCOUNT_KEY in keys and not any("198.51" in k for k in keys)  # addresses stored as hashes


def test_parallel_attempts_are_counted_one_after_another(engine):
    """Eight sessions (threads, own connections) try at once: exactly three passwords are checked."""
    calls: list[str] = []
    barrier = threading.Barrier(8)
    results: list[auth.Attempt] = []

    def one() -> None:
        barrier.wait()
        results.append(auth.attempt_login(engine, "10.9.9.9", lambda: calls.append("x") or time.sleep(0.05) or False))

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 3
    assert sorted(r.wait > 0 for r in results) == [False] * 3 + [True] * 5


def test_client_address_trusts_forwarded_for_only_behind_a_declared_proxy():
    spoofed = ["6.6.6.6, 203.0.113.5"]  # the client sent 6.6.6.6, the proxy appended what it saw
    assert auth.client_address("10.0.0.2", spoofed, environ={}) == "10.0.0.2"
    assert auth.client_address("10.0.0.2", spoofed, environ={"INTEGRA_TRUSTED_PROXY": "1"}) == "203.0.113.5"
    assert auth.client_address("10.0.0.2", ["6.6.6.6", "203.0.113.5"], {"INTEGRA_TRUSTED_PROXY": "1"}) == "203.0.113.5"
    assert auth.client_address(None, [], environ={"INTEGRA_TRUSTED_PROXY": "1"}) == "lokal"


# --- binding the login to the browser ---------------------------------------------------------


def _xsrf(mask: str, token: bytes) -> str:
    m = bytes.fromhex(mask)
    return f"2|{mask}|{bytes(b ^ m[i % 4] for i, b in enumerate(token)).hex()}|1795702024"


def test_client_proof_is_the_unmasked_xsrf_token_else_the_connection_key():
    token = bytes.fromhex("df7ab8953f1ca44c6f481ff364c5b6c3")
    first = auth.client_proof({"_streamlit_xsrf": _xsrf("b43b7569", token)}, {"Sec-Websocket-Key": "a"})
    remasked = auth.client_proof({"_streamlit_xsrf": _xsrf("f65c4d5d", token)}, {"Sec-Websocket-Key": "b"})
    other = auth.client_proof({"_streamlit_xsrf": _xsrf("f65c4d5d", bytes(16))}, {})
    assert first == remasked != other and first is not None
    by_key = auth.client_proof({}, {"Sec-Websocket-Key": "a"})
    assert by_key not in (None, first) and by_key != auth.client_proof({}, {"Sec-Websocket-Key": "b"})
    assert auth.client_proof({}, {}) is None


def test_a_login_holds_only_for_the_same_proof_and_eight_hours():
    login = auth.Login("Erika", "p" * 64, T0 + auth.LOGIN_SECONDS)
    assert login.holds("p" * 64, T0) and not login.holds("q" * 64, T0) and not login.holds(None, T0)
    assert not login.holds("p" * 64, T0 + auth.LOGIN_SECONDS)
    assert not auth.Login("Erika", None, T0 + 1).holds("p" * 64, T0)


def test_login_names_are_cleaned_and_capped():
    assert auth.clean_name("  Erika\x00\u202e Test\n ") == "Erika Test"
    assert len(auth.clean_name("x" * 500)) == auth.MAX_NAME_LENGTH
    assert auth.clean_name(" \t ") == "Redaktion"


def test_a_short_plain_password_switches_editing_off():
    with pytest.raises(auth.PasswordTooShort):
        auth.configured_hash(None, {"INTEGRA_EDITOR_PASSWORD": "zu-kurz"})
    assert auth.configured_hash(None, {"INTEGRA_EDITOR_PASSWORD": "genau-zehn"}).startswith("scrypt$")


# --- the pages under AppTest -------------------------------------------------------------------


def _redaktion() -> AppTest:
    at = page("views/redaktion.py")
    assert not at.exception, at.exception
    return at


def test_failures_in_one_session_make_a_new_session_wait(db_url, monkeypatch):
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", PASSWORD)
    first = _redaktion()
    for _ in range(3):
        assert login(first, "falsch").error[0].value == "Passwort falsch."
    second = _redaktion()  # a reload or a second websocket: a new Streamlit session
    login(second, PASSWORD)
    message = second.error[0].value
    assert message.startswith("Zu viele Fehlversuche – bitte ") and message.endswith(" Sekunden warten.")
    assert not [t for t in second.text if t.value.startswith("Angemeldet als")]


def test_a_short_password_shows_why_editing_is_off(db_url, monkeypatch):
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", "kurz-123")
    at = _redaktion()
    assert "zu kurz" in at.warning[0].value and len(at.get("form")) == 0
    assert any("kürzer als 10 Zeichen" in m.value for m in at.expander[0].markdown)


def test_the_login_name_is_shown_as_plain_text(db_url, monkeypatch):
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", PASSWORD)
    name = "**Fett** ![x](http://127.0.0.1:9/track.png)"
    at = login(_redaktion(), PASSWORD, name)
    assert [t.value for t in at.text] == [f"Angemeldet als {name}."]
    assert not any("Angemeldet" in m.value for m in [*at.markdown, *at.caption])


def test_a_login_is_dropped_when_the_connection_proof_changes_or_it_expires(db_url, monkeypatch):
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", PASSWORD)
    proof = {"value": "browser-a"}
    monkeypatch.setattr(auth, "client_proof", lambda cookies, headers: proof["value"])
    at = login(_redaktion(), PASSWORD)
    assert [t.value for t in at.text] == ["Angemeldet als Erika."]
    proof["value"] = "someone-else"  # the same session id, resumed over another connection
    at.run()
    assert not at.text and len(at.get("form")) == 1 and "bitte erneut anmelden" in at.info[0].value
    proof["value"] = "browser-a"  # the login was forgotten, not just hidden
    assert not at.run().text

    monkeypatch.setattr(auth, "LOGIN_SECONDS", -1)
    assert not login(at, PASSWORD).text and "bitte erneut anmelden" in at.info[0].value
