"""The Karte as a small HTML document of its own, served over HTTP; the page only sends its address.

A folium map is already a complete HTML document. streamlit-folium instead sends its script
through the websocket as component arguments (0.3 MB for the Kreise, 0.7 MB for the Gemeinden,
on every visit and every filter change), then starts a React app in its frame, waits for a
handshake and loads the map's scripts one after another (benchmarks/race.py, issue 15). Here
the document is rendered once per view and data state, kept under its content hash and served
by the route in `server.py`: compressed once, cached by the browser for good (the address changes
with the content), its scripts fetched in parallel by the browser's own parser. The page sends an
`st.iframe` with the address, a few hundred bytes.

The registry is per process. haproxy keeps a visitor on one process (cookie), and the page
publishes its document again on every run, so an address the page shows is always served; an old
address (after a restart) gets a German page asking for a reload.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import folium
import streamlit as st
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from integra.assets import VENDOR_DIR, VENDOR_ROUTE, VENDOR_STAMP

ROUTE_PREFIX = "/_integra/karte/"  # two levels deep, like a component's frame: "../../" reaches the app
IMMUTABLE = "private, max-age=31536000, immutable"  # the address changes whenever the content does
KEEP = 64  # documents per process, 0.1–0.3 MB each (more with many partners); the map cache holds 32
TITLE = "Interaktive Karte (dieselben Angaben als „Tabelle statt Karte“ darunter)"
_GONE = (
    '<!doctype html><html lang="de"><meta charset="utf-8"><title>Karte nicht mehr vorhanden</title>'
    '<p style="font:16px/1.4 sans-serif;padding:1rem">Diese Kartenansicht gibt es auf dem Server nicht mehr '
    "(zum Beispiel nach einem Neustart). Bitte die Seite neu laden.</p></html>"
)
# The map's own scripts are inline (folium) or from the app; nothing may be fetched or sent elsewhere,
# so a stored text that slipped through every escape still could not load a script or call out.
_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org; font-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


@dataclass(frozen=True)
class MapDocument:
    """One rendered map: its address and its bytes, kept compressed only (a third of the memory; every
    browser asks for gzip)."""

    digest: str
    gzipped: bytes

    @property
    def path(self) -> str:
        return f"{ROUTE_PREFIX}{self.digest}.html"

    @property
    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)


def document_of(fmap: folium.Map) -> MapDocument:
    """Render `fmap` once into a document (the map must not be used afterwards: rendering renames it)."""
    body = fmap.get_root().render().encode("utf-8")
    # Level 4: Gemeinden 0.72 MB -> 220 KB in 19 ms; level 6 saves 9 KB more and takes 57 ms of every rebuild.
    return MapDocument(hashlib.sha256(body).hexdigest()[:32], gzip.compress(body, compresslevel=4, mtime=0))


_published: OrderedDict[str, MapDocument] = OrderedDict()
_lock = threading.Lock()


def publish(document: MapDocument) -> None:
    """Make `document` servable at its address; the least recently shown beyond KEEP are dropped."""
    with _lock:
        _published[document.digest] = document
        _published.move_to_end(document.digest)
        while len(_published) > KEEP:
            _published.popitem(last=False)


def published(digest: str) -> MapDocument | None:
    with _lock:
        return _published.get(digest)


async def serve(request: Request) -> Response:
    """The route: a published document, compressed when the browser accepts it, cached for good."""
    document = published(request.path_params["digest"])
    if document is None:
        return HTMLResponse(_GONE, status_code=404, headers={"Cache-Control": "no-store"})
    headers = {
        "Cache-Control": IMMUTABLE,
        "Content-Security-Policy": _CSP,
        "X-Content-Type-Options": "nosniff",
        "Vary": "Accept-Encoding",
    }
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(document.gzipped, media_type="text/html", headers={**headers, "Content-Encoding": "gzip"})
    return Response(document.body, media_type="text/html", headers=headers)


# Only the vendored files themselves, by their relative path: nothing else on disk has an address here.
_VENDORED = {path.relative_to(VENDOR_DIR).as_posix(): path for path in VENDOR_DIR.rglob("*") if path.is_file()}


async def serve_vendored(request: Request) -> Response:
    """The route for Leaflet and its plugins: under the stamp of their contents, cached for good, so a
    second map (or the same one after a reload) loads them without asking the server again."""
    path = _VENDORED.get(request.path_params["path"])
    if request.path_params["stamp"] != VENDOR_STAMP or path is None:
        return Response("nicht gefunden", status_code=404, media_type="text/plain")
    return FileResponse(path, headers={"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"})


ROUTES = [
    Route(ROUTE_PREFIX + "{digest:str}.html", serve, methods=["GET"]),
    Route(VENDOR_ROUTE + "/{stamp:str}/{path:path}", serve_vendored, methods=["GET"]),
]


def show(document: MapDocument, height: int) -> None:
    """Publish `document` and show it in a frame at full container width, named for screen readers."""
    publish(document)
    st.iframe(document.path, height=height, alt=TITLE)
