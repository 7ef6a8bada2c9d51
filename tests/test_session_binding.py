"""A real browser logs in on /redaktion; its Streamlit session id alone must not make anybody an editor.

Streamlit resumes a session for any websocket that presents the id (subprotocols
`["streamlit", <xsrf token>, <session id>]`), and the id is part of every upload URL. The login is
bound to the browser's `_streamlit_xsrf` cookie (review 2026-11, M2): the browser's own reconnect keeps
it, a raw client with only the id gets the login form and cannot write.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, func, select
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from integra.models import Concept, Edit
from tests.browser import OFFLINE, log_in, require_chromium, served_copy

PASSWORD = "bindung-geheim-42"
# Keeps every WebSocket the page opens, so the test can drop the connection like a flaky WLAN would.
KEEP_SOCKETS = """(() => { const Native = window.WebSocket; window.__sockets = [];
  window.WebSocket = function (url, protocols) {
    const ws = new Native(url, protocols); window.__sockets.push(ws); return ws; };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3}); })();"""

require_chromium()


@pytest.fixture(scope="module")
def served(seeded_template, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("binding")
    with served_copy(seeded_template, folder, {"INTEGRA_EDITOR_PASSWORD": PASSWORD}) as url:
        yield url, folder / "integra.sqlite3"


def _texts(messages: list[ForwardMsg]) -> list[str]:
    """Bodies and labels of every element the script sent (text, markdown, alerts, inputs, buttons)."""
    out = []
    for msg in messages:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            continue
        part = getattr(element, kind)
        out += [getattr(part, f) for f in ("body", "label") if hasattr(part, f) and getattr(part, f)]
    return out


def _rerun_as(url: str, session_id: str, xsrf: str, cookie: str | None) -> list[str]:
    """Resume `session_id` over a new websocket, rerun /redaktion, return what the script showed."""
    headers = {"Cookie": cookie} if cookie else None
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(
        ws_url, subprotocols=["streamlit", xsrf, session_id], additional_headers=headers, max_size=None, open_timeout=20
    ) as ws:
        back = BackMsg()
        back.rerun_script.page_name = "redaktion"
        back.rerun_script.query_string = OFFLINE
        ws.send(back.SerializeToString())
        messages: list[ForwardMsg] = []  # from our run's new_session on (a stopped earlier run may finish first)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=deadline - time.monotonic()))
            if msg.WhichOneof("type") == "new_session":
                assert msg.new_session.initialize.session_id == session_id, "the session was not resumed"
                messages = []
            messages.append(msg)
            if msg.WhichOneof("type") == "script_finished" and messages[0].WhichOneof("type") == "new_session":
                return _texts(messages)
        raise AssertionError("no complete script run within 60 s")


def _writes(db: Path) -> tuple[int, list]:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            edits = conn.scalar(select(func.count()).select_from(Edit))
            concepts = conn.execute(
                select(Concept.region_ags, Concept.status, Concept.title).order_by(Concept.id)
            ).all()
        return edits, concepts
    finally:
        engine.dispose()


def test_only_the_browser_that_logged_in_keeps_the_login(served, page: Page, tmp_path):
    url, db = served
    page.context.add_init_script(KEEP_SOCKETS)
    page.goto(f"{url}/redaktion?{OFFLINE}")
    log_in(page, "Erika", PASSWORD)
    expect(page.get_by_text("Angemeldet als Erika.")).to_be_visible(timeout=30_000)

    # The browser's own reconnect (WLAN drop): same session id, same cookie -> still logged in.
    page.evaluate("window.__sockets.forEach(ws => ws.close())")
    page.wait_for_function("window.__sockets.length > 1 && window.__sockets.at(-1).readyState === 1", timeout=30_000)
    page.get_by_text("Angemeldet als Erika.").click()  # focus the page; "r" reruns the script
    page.keyboard.press("r")
    page.wait_for_timeout(3000)
    expect(page.get_by_text("Angemeldet als Erika.")).to_be_visible(timeout=30_000)
    expect(page.get_by_label("Redaktionspasswort")).to_have_count(0)

    # The session id as an attacker sees it: in the URL of any upload.
    with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url, timeout=30_000) as upload:
        page.locator('input[type="file"]').first.set_input_files(
            files=[{"name": "x.csv", "mimeType": "text/csv", "buffer": b"Titel\n"}]
        )
    session_id = re.search(r"/_stcore/upload_file/([^/]+)/", upload.value.url).group(1)
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    before = _writes(db)
    # Keep the browser from reconnecting (and taking the session back) while the raw clients use it;
    # leaving the page would close the session for good instead.
    page.evaluate("() => { window.WebSocket = function () { throw new Error('offline'); }; }")

    # The same browser reconnecting (its cookie, its token): logged in.
    shown = _rerun_as(url, session_id, cookie, f"_streamlit_xsrf={cookie}")
    assert [t for t in shown if t.startswith("Angemeldet als")], shown

    # Somebody with only the id: login form, no editor tools, nothing written.
    shown = _rerun_as(url, session_id, "x", None)
    assert not [t for t in shown if t.startswith("Angemeldet als")], shown
    assert "Redaktionspasswort" in shown and "Konzept speichern" not in shown
    assert _writes(db) == before

    # The login was dropped, not only hidden: even the real browser has to log in again now.
    assert "Redaktionspasswort" in _rerun_as(url, session_id, cookie, f"_streamlit_xsrf={cookie}")
