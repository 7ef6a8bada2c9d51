"""Files whose address changes with their content, served from memory and compressed once.

Streamlit sends its scripts uncompressed, each read from disk through a few thread hops: a first
visit to the Karte transferred 3.1 MB, 2.5 MB of it Streamlit's ~90 scripts (benchmarks/race.py).
Its own comment says a proxy in front should compress and cache them; `CompressedStatics` does that
in the app, so `make run` and a meeting on slow Wi-Fi need no proxy for it (1.3 MB, the map
included). The vendored Leaflet files of the map (`maproutes`) use the same cache.
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
from streamlit import config
from streamlit.web.server.starlette.starlette_server_config import STATIC_ASSET_CACHE_MAX_AGE_SECONDS

from integra.web.asgi import ASGIApp, Message, Receive, Send, accepts_gzip

STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"
# As Streamlit sends them: their names carry a hash of their content.
IMMUTABLE_PUBLIC = f"public, immutable, max-age={STATIC_ASSET_CACHE_MAX_AGE_SECONDS}"
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    """One file as sent: its type, its bytes (and a gzip copy where that is smaller), an entity tag."""

    media_type: str
    plain: bytes
    gzipped: bytes | None
    digest: str

    def matches(self, if_none_match: str) -> bool:
        """Whether a browser's If-None-Match names this file (in either encoding): then 304 will do."""
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or any(tag.strip('"').removesuffix("-gz") == self.digest for tag in tags)

    def response(self, cache_control: str, gzip_ok: bool) -> tuple[dict[str, str], bytes]:
        """Headers and body for a browser that does (or does not) accept gzip."""
        body, etag = (self.gzipped, f'"{self.digest}-gz"') if gzip_ok and self.gzipped else (self.plain, "")
        headers = {
            "content-type": self.media_type,
            "content-length": str(len(body)),
            "cache-control": cache_control,
            "etag": etag or f'"{self.digest}"',
            "x-content-type-options": "nosniff",
        }
        if self.gzipped:
            headers["vary"] = "Accept-Encoding"
        if etag:
            headers["content-encoding"] = "gzip"
        return headers, body


def asset_of(content: bytes, name: str) -> Asset:
    """`content` of a file called `name`, with a gzip copy (level 6, made once) if it is text."""
    media_type = mimetypes.guess_type(name)[0] or "text/plain"  # as Starlette did (Leaflet's LICENSE)
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    packed = gzip.compress(content, compresslevel=6, mtime=0) if media_type.startswith(_COMPRESSIBLE) else None
    smaller = packed if packed is not None and len(packed) < len(content) else None
    return Asset(media_type, content, smaller, hashlib.sha256(content).hexdigest()[:32])


class AssetCache:
    """The files of one folder by relative path, read and compressed on first use, then kept.

    Each file is read once even if many browsers ask for it at the same moment (a lock per name):
    the largest of Streamlit's scripts takes 0.16 s to compress.
    """

    def __init__(self, folder: Path) -> None:
        # Only the files that exist now have an address: no other path on disk can be asked for.
        self._paths = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}
        self._assets: dict[str, Asset] = {}
        self._loading = {name: threading.Lock() for name in self._paths}

    def __contains__(self, name: str) -> bool:
        return name in self._paths

    def load(self, name: str) -> Asset:
        """The asset `name` (one of this folder's files), from memory after the first call."""
        with self._loading[name]:
            if name not in self._assets:
                self._assets[name] = asset_of(self._paths[name].read_bytes(), name)
            return self._assets[name]

    async def get(self, name: str) -> Asset:
        """`load` without blocking the server: a first read and compression run in a worker thread."""
        cached = self._assets.get(name)
        return cached if cached is not None else await anyio.to_thread.run_sync(self.load, name)

    def warm(self, names: Iterable[str]) -> None:
        """Load `names` now (at the server's start), so that its first visitor does not wait for gzip."""
        for name in names:
            if name in self:
                self.load(name)


STREAMLIT_ASSETS = AssetCache(STREAMLIT_STATIC / "static")


def _prefix() -> str:
    """Where Streamlit serves its hashed assets: `/static/`, below `server.baseUrlPath` if one is set."""
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/static/" if base else "/static/"


class CompressedStatics:
    """ASGI middleware: Streamlit's hashed scripts, styles and fonts from `STREAMLIT_ASSETS`.

    GET and HEAD of a file Streamlit had when the server started are answered here (304 when the
    browser names it in If-None-Match); every other request passes on to Streamlit.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.prefix = _prefix()  # `streamlit run` reads its config before it imports server.py

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        name = path.removeprefix(self.prefix) if path.startswith(self.prefix) else ""
        if name not in STREAMLIT_ASSETS or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        try:
            asset = await STREAMLIT_ASSETS.get(name)
        except OSError:  # gone from disk since the start (Streamlit upgraded in place): Streamlit decides
            await self.app(scope, receive, send)
            return
        # Header values are bytes a client chose; latin-1 reads any of them (UTF-8 failed on b"\xff").
        request = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope.get("headers", [])}
        headers, body = asset.response(IMMUTABLE_PUBLIC, accepts_gzip(request.get("accept-encoding", "")))
        status = 200
        if asset.matches(request.get("if-none-match", "")):
            status, body = 304, b""
            headers = {key: value for key, value in headers.items() if key in ("cache-control", "etag", "vary")}
        raw = [(key.encode(), value.encode()) for key, value in headers.items()]
        # The whole answer in two messages, without a thread hop once the file is in memory.
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
