"""Files whose address changes with their content, served from memory and compressed once.

Streamlit sends its scripts uncompressed, each read from disk through a few thread hops: a first
visit to the Karte fetched 3.0 MB in ~90 files (benchmarks/race.py). Its own comment says a proxy in
front should compress and cache them; `StaticFiles` does that in the app, so `make run` and a meeting
on slow Wi-Fi need no proxy for it (1.3 MB). The vendored Leaflet files of the map (`maproutes`) use
the same cache.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import anyio
import streamlit

from integra.web.asgi import ASGIApp, Message, Receive, Send, accepts_gzip

STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"
IMMUTABLE_PUBLIC = "public, immutable, max-age=31536000"  # as Streamlit sends them: their names carry a hash
_PREFIX = "/static/"  # Streamlit's hashed assets (its folder's index.html and manifest are not among them)
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    """One file as sent: its type, its bytes (and a gzip copy where that pays) and an entity tag."""

    media_type: str
    plain: bytes
    gzipped: bytes | None
    etag: str

    def response(self, cache_control: str, gzip_ok: bool) -> tuple[dict[str, str], bytes]:
        """Headers and body for a browser that does (or does not) accept gzip."""
        packed = gzip_ok and self.gzipped is not None
        body = self.gzipped if packed and self.gzipped is not None else self.plain
        headers = {
            "content-type": self.media_type,
            "content-length": str(len(body)),
            "cache-control": cache_control,
            "etag": self.etag,
            "x-content-type-options": "nosniff",
        }
        if self.gzipped is not None:
            headers["vary"] = "Accept-Encoding"
        if packed:
            headers["content-encoding"] = "gzip"
        return headers, body


def asset_of(content: bytes, name: str) -> Asset:
    """`content` of a file called `name`, with a gzip copy (level 6, made once) if it is text."""
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    packed = gzip.compress(content, compresslevel=6, mtime=0) if media_type.startswith(_COMPRESSIBLE) else None
    return Asset(media_type, content, packed, f'"{hashlib.sha256(content).hexdigest()[:32]}"')


class AssetCache:
    """The files of one folder by relative path, read and compressed on first use, then kept."""

    def __init__(self, folder: Path) -> None:
        # Only the files that exist now have an address: no other path on disk can be asked for.
        self._paths = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}
        self._assets: dict[str, Asset] = {}
        self._lock = threading.Lock()

    def __contains__(self, name: str) -> bool:
        return name in self._paths

    def load(self, name: str) -> Asset:
        """The asset `name` (one of this folder's files), from memory after the first call."""
        with self._lock:
            cached = self._assets.get(name)
        if cached is None:
            cached = asset_of(self._paths[name].read_bytes(), name)
            with self._lock:
                self._assets[name] = cached
        return cached

    async def get(self, name: str) -> Asset:
        """`load` without blocking the server: a first read and compression run in a worker thread."""
        with self._lock:
            cached = self._assets.get(name)
        return cached if cached is not None else await anyio.to_thread.run_sync(self.load, name)

    def warm(self, names: Iterable[str]) -> None:
        """Load `names` now (at the server's start), so that its first visitor does not wait for gzip."""
        for name in names:
            if name in self:
                self.load(name)


STREAMLIT_ASSETS = AssetCache(STREAMLIT_STATIC / "static")


class StaticFiles:
    """ASGI middleware: Streamlit's hashed scripts, styles and fonts from `STREAMLIT_ASSETS`.

    Anything else passes on, as do HEAD and conditional requests (Streamlit answers those with 304).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        name = path.split(_PREFIX, 1)[1] if _PREFIX in path else ""
        request = dict(scope.get("headers", []))
        if not name or scope["method"] != "GET" or name not in STREAMLIT_ASSETS or b"if-none-match" in request:
            await self.app(scope, receive, send)
            return
        asset = await STREAMLIT_ASSETS.get(name)
        headers, body = asset.response(IMMUTABLE_PUBLIC, accepts_gzip(request.get(b"accept-encoding", b"").decode()))
        # The whole answer in two messages, without a thread hop once the file is in memory.
        raw = [(key.encode(), value.encode()) for key, value in headers.items()]
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": body})
