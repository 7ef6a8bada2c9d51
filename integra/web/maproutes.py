"""The server's routes for the map (`server.py`): its documents and the vendored scripts they load.

Both are served under addresses that change with their content, so browsers keep them for good: a
reload, or going back to a view seen before, loads nothing from the server again.

A document is published by the process whose page showed it. Behind haproxy a visitor normally stays
on one process (cookie), but after a failover, a restart, or without cookies the frame may ask a process
that has not built it. The address therefore carries the view (`MapView.key`): the process builds that
view for the data it has and serves it if the result has the same address. Otherwise (the data changed
in between) the German page reloads the Karte once, which asks for the current map.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import anyio
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from integra.assets import VENDOR_DIR, VENDOR_ROUTE, VENDOR_STAMP
from integra.maps import OSM_TILES, MapView
from integra.web import mapframe, mapview
from integra.web.asgi import accepts_gzip
from integra.web.statics import AssetCache

IMMUTABLE = "private, max-age=31536000, immutable"  # the address changes whenever the content does
_RELOAD_PAUSE_MS = 60_000  # at most one automatic reload a minute, so a lasting problem cannot loop
_GONE = (
    '<!doctype html><html lang="de"><meta charset="utf-8"><title>Karte veraltet</title>'
    '<p style="font:16px/1.4 sans-serif;padding:1rem">Diese Kartenansicht ist veraltet (die Daten haben sich '
    "geändert oder der Server wurde neu gestartet). Die Seite wird neu geladen; sonst bitte selbst neu laden.</p>"
    "<script>(function () { var key = 'integra-karte-neu', now = Date.now();"
    f" if (!(Number(sessionStorage.getItem(key)) > now - {_RELOAD_PAUSE_MS}))"
    " { sessionStorage.setItem(key, String(now)); window.parent.location.reload(); } })();</script></html>"
)


def _policy(document: mapframe.MapDocument) -> str:
    """Scripts from the app and the document's own inline scripts only (by hash), tiles from OSM only, and
    no requests elsewhere: a stored text that slipped through every escape could neither run nor call out."""
    scripts = " ".join(f"'{digest}'" for digest in document.script_hashes)
    tiles = "{0.scheme}://{0.netloc}".format(urlsplit(OSM_TILES))
    return (
        f"default-src 'none'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: {tiles}; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )


async def _document(request: Request) -> mapframe.MapDocument | None:
    digest = request.path_params["digest"]
    document = mapframe.published(digest)
    if document is None and (view := MapView.from_key(request.query_params.get(mapframe.VIEW_PARAMETER, ""))):
        document = await anyio.to_thread.run_sync(mapview.rebuild, view)
    return document if document is not None and document.digest == digest else None


async def serve_document(request: Request) -> Response:
    """A map document, compressed when the browser accepts it; or the German page that reloads the Karte."""
    document = await _document(request)
    if document is None:
        return HTMLResponse(_GONE, status_code=404, headers={"Cache-Control": "no-store"})
    headers = {
        "Cache-Control": IMMUTABLE,
        "Content-Security-Policy": _policy(document),
        "X-Content-Type-Options": "nosniff",
    }
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        headers |= {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return Response(document.gzipped, media_type="text/html", headers=headers)
    return Response(document.body, media_type="text/html", headers=headers)


VENDORED = AssetCache(VENDOR_DIR)  # only the vendored files themselves have an address here


async def serve_vendored(request: Request) -> Response:
    """Leaflet and its plugins, under the stamp of their contents, compressed once and kept in memory."""
    name = request.path_params["path"]
    if request.path_params["stamp"] != VENDOR_STAMP or name not in VENDORED:
        return Response("nicht gefunden", status_code=404, media_type="text/plain")
    asset = await VENDORED.get(name)
    headers, body = asset.response(IMMUTABLE, accepts_gzip(request.headers.get("accept-encoding", "")))
    return Response(body, headers=headers)


ROUTES = [
    Route(mapframe.ROUTE_PREFIX + "{digest:str}.html", serve_document, methods=["GET"]),
    Route(VENDOR_ROUTE + "/{stamp:str}/{path:path}", serve_vendored, methods=["GET"]),
]
