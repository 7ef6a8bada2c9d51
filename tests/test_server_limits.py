"""What an anonymous client can make the real server do: no cache clearing, no descriptor leak (H2);
what the server does before its first visitor and how it serves the map (issue 15)."""

from __future__ import annotations

import gzip
import os
import re
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from websockets.sync.client import connect

from integra.assets import VENDOR_ROUTE, VENDOR_STAMP
from integra.web.mapframe import ROUTE_PREFIX
from integra.web.shell import LOADING, first_visit_files
from integra.web.sockets import NO_DELAY
from integra.web.statics import STREAMLIT_STATIC
from integra.web.warm import PREPARED
from tests.browser import MAP_FRAME, OFFLINE, require_chromium, served_copy

require_chromium()


@pytest.fixture(scope="module")
def app(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("limits")
    with served_copy(seeded_template, folder) as url:
        yield url, folder / "streamlit.log"


def _server_pid(url: str) -> int:
    """The pid listening on the app's port (the process `served_copy` started)."""
    port = int(url.rsplit(":", 1)[1])
    inode = next(
        line.split()[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A"
    )
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]" for fd in os.listdir(f"/proc/{pid}/fd")):
                return int(pid)
        except (FileNotFoundError, PermissionError):
            continue
    raise AssertionError("server process not found")


def _send_clear_cache(url: str, count: int) -> None:
    """What the review's 20-line attacker did: a raw websocket client sending `clear_cache`."""
    message = BackMsg(clear_cache=True).SerializeToString()
    with connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"]) as ws:
        for _ in range(count):
            ws.send(message)
        time.sleep(1)


def test_anonymous_clear_cache_clears_nothing_and_leaks_nothing(app, page):
    url, log = app
    page.goto(f"{url}/karte?regbez=Oberfranken&{OFFLINE}")
    fmap = page.frame_locator(MAP_FRAME)
    expect(fmap.locator("path.leaflet-interactive")).to_have_count(13, timeout=60_000)
    builds = len(re.findall("Karte gebaut: Oberfranken", log.read_text()))
    pid = _server_pid(url)
    descriptors = len(os.listdir(f"/proc/{pid}/fd"))
    _send_clear_cache(url, 50)
    page.reload()
    expect(fmap.locator("path.leaflet-interactive")).to_have_count(13, timeout=60_000)
    text = log.read_text()
    assert text.count("clear_cache eines Clients ignoriert") == 50
    assert len(re.findall("Karte gebaut: Oberfranken", text)) == builds == 1  # served from the cache again
    # The reload opens a session of its own; the leak was 2 descriptors per message, 100 for these 50.
    assert len(os.listdir(f"/proc/{pid}/fd")) <= descriptors + 20


def test_the_start_views_are_built_before_the_first_visit(seeded_template, tmp_path, page):
    """The first visit after a start took 1.7–1.9 × a later one: the server imports every module and builds
    the Karte of all Bavaria (each level and basemap) itself, so the visitor's run only reads the cache."""
    log = tmp_path / "streamlit.log"
    with served_copy(seeded_template, tmp_path) as url:
        deadline = time.monotonic() + 60
        while PREPARED not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        prepared = log.read_text()
        assert PREPARED in prepared and "Karte gebaut: Ganz Bayern, Gemeinden" in prepared
        page.goto(f"{url}/karte?{OFFLINE}")
        expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")).to_have_count(96, timeout=60_000)
        page.goto(f"{url}/karte?{OFFLINE}&ebene=Gemeinden")
        expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")).to_have_count(2230, timeout=60_000)
        page.goto(f"{url}/karte?regbez=Schwaben&{OFFLINE}")  # not a start view: built on demand
        expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")).to_have_count(14, timeout=60_000)
        visits = log.read_text().removeprefix(prepared)
    assert "Karte gebaut: Schwaben, Kreise" in visits and "Karte gebaut: Ganz Bayern" not in visits


def test_the_map_document_is_served_compressed_cached_and_locked_down(app, page):
    """Issue 15: the map and its scripts come over HTTP at addresses named by their content (not through the
    websocket); an unknown or crafted address gets a German page or a 404, never another file of the server."""
    url, _ = app
    page.goto(f"{url}/karte?regbez=Oberfranken&{OFFLINE}")
    expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")).to_have_count(13, timeout=60_000)
    src = page.locator(MAP_FRAME).get_attribute("src")
    assert src and re.fullmatch(rf"{ROUTE_PREFIX}[0-9a-f]{{32}}\.html\?ansicht=[^&]+", src), src
    with urlopen(Request(url + src, headers={"Accept-Encoding": "gzip"})) as answer:
        headers, body = answer.headers, gzip.decompress(answer.read()).decode("utf-8")
    assert headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'" and "'unsafe-inline'" not in policy["script-src"]
    assert "'sha256-" in policy["script-src"] and headers["X-Content-Type-Options"] == "nosniff"
    assert body.startswith("<!DOCTYPE html>") and "Lkr. Kulmbach" in body
    for odd in ("0" * 32 + ".html", "%3Cscript%3Ealert(1)%3C.html"):
        with pytest.raises(HTTPError) as missing:
            urlopen(url + ROUTE_PREFIX + odd)
        assert missing.value.code == 404 and "neu geladen" in missing.value.read().decode("utf-8")
    vendored = f"{url}{VENDOR_ROUTE}/{VENDOR_STAMP}"
    with urlopen(f"{vendored}/leaflet/leaflet.js") as answer:
        assert "immutable" in answer.headers["Cache-Control"] and b"Leaflet" in answer.read()
    with urlopen(Request(f"{vendored}/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip"})) as answer:
        assert answer.headers["Content-Encoding"] == "gzip" and b"Leaflet" in gzip.decompress(answer.read())
    for odd in (f"{url}{VENDOR_ROUTE}/{'0' * 12}/leaflet/leaflet.js", f"{vendored}/leaflet/..%2F..%2F..%2Fserver.py"):
        with pytest.raises(HTTPError) as missing:
            urlopen(odd)
        assert missing.value.code in (400, 404)  # Streamlit's path check answers ".." with 400 before the route


def test_another_process_rebuilds_the_map_from_its_address(app, seeded_template, tmp_path, page):
    """After a failover or a restart, or without haproxy's cookie, the frame may ask a process that never
    built its map: the address carries the view, and the same data gives the same document there."""
    url, _ = app
    page.goto(f"{url}/karte?regbez=Oberfranken&ebene=Gemeinden&{OFFLINE}")
    expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first).to_be_visible(timeout=60_000)
    src = page.locator(MAP_FRAME).get_attribute("src")
    with urlopen(url + src) as answer:
        built_here = answer.read()
    with served_copy(seeded_template, tmp_path) as other:
        for odd in (src.split("?")[0], src.replace("Oberfranken", "Atlantis")):  # without the view it cannot
            with pytest.raises(HTTPError) as gone:
                urlopen(other + odd)
            assert gone.value.code == 404 and "neu geladen" in gone.value.read().decode("utf-8")
        with urlopen(other + src) as answer:
            assert answer.read() == built_here


def _get(url: str, **headers: str) -> tuple[Message, bytes]:
    """Headers (looked up without regard to case) and body of a GET."""
    with urlopen(Request(url, headers=headers)) as answer:
        return answer.headers, answer.read()


def test_streamlits_scripts_come_compressed_and_small_answers_come_at_once(app):
    """Issue 15: a first visit fetched 2.5 MB of Streamlit's scripts uncompressed, and each small answer waited
    40 ms for the browser's delayed acknowledgement (Nagle's algorithm, switched off at the start)."""
    url, log = app
    assert re.search(rf"{re.escape(NO_DELAY)}: [1-9]", log.read_text())
    script = next(name for name in first_visit_files() if name.startswith("js/index."))
    on_disk = (STREAMLIT_STATIC / "static" / script).read_bytes()
    headers, body = _get(f"{url}/static/{script}", **{"Accept-Encoding": "gzip, deflate, br"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == on_disk
    assert headers["Cache-Control"] == "public, immutable, max-age=31536000" and len(body) < len(on_disk) / 2
    with pytest.raises(HTTPError) as unchanged:  # a browser that revalidates gets 304, not the file again
        urlopen(Request(f"{url}/static/{script}", headers={"If-None-Match": headers["ETag"]}))
    assert unchanged.value.code == 304
    headers, body = _get(f"{url}/static/{script}", **{"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in headers and body == on_disk
    headers, body = _get(f"{url}/static/{script}", **{"Accept-Encoding": "gzip\xff"})  # any bytes, no 500
    assert headers["Content-Encoding"] == "gzip"
    with urlopen(Request(f"{url}/static/{script}", method="HEAD")) as answer:
        assert answer.headers["Content-Length"] == str(len(on_disk)) and answer.read() == b""
    font = next(name for name in first_visit_files() if name.endswith(".woff2"))
    headers, body = _get(f"{url}/static/{font}", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in headers and body == (STREAMLIT_STATIC / "static" / font).read_bytes()
    # Only at Streamlit's own address of the file: below a page Streamlit answers as before (its index page).
    headers, body = _get(f"{url}/karte/static/{script}")
    assert headers["Content-Type"].startswith("text/html") and b'<div id="root">' in body
    with pytest.raises(HTTPError) as refused:
        urlopen(f"{url}/static/js/..%2F..%2Findex.html")
    assert refused.value.code in (400, 404)


def test_the_shell_is_never_revalidated_against_streamlits_file(app):
    """Streamlit's entity tag names its own index.html: a browser revalidating after an update of the app
    got 304 and kept the old German shell. The shell goes without validators and ignores the browser's."""
    url, _ = app
    headers, body = _get(f"{url}/karte")
    assert headers["ETag"] is None and LOADING in body.decode("utf-8")
    for validator in ({"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, {"If-None-Match": "*"}):
        headers, body = _get(f"{url}/", **validator)  # both were 304
        assert LOADING in body.decode("utf-8")
