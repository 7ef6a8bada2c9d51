"""The Karte as a small HTML document of its own, served over HTTP; the page only sends its address.

A folium map is already a complete HTML document. streamlit-folium instead sent its script
through the websocket as component arguments (0.3 MB for the Kreise, 0.7 MB for the Gemeinden,
on every visit and every filter change), then started a React app in its frame, waited for a
handshake and loaded the map's scripts one after another (benchmarks/race.py, issue 15). Here
the document is rendered once per view and data state and kept compressed under the hash of its
content; `integra.web.maproutes` serves it, cached by the browser for good, and the browser's own
parser fetches its scripts in parallel. The page sends an `st.iframe` with the address.

Element names are numbered instead of random, so the same view of the same data is the same
document, with the same address, in every process and after a restart.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlencode

import folium
import streamlit as st

from integra.assets import elements

ROUTE_PREFIX = "/_integra/karte/"  # two levels deep: "../../" reaches the app, as from a component's frame
KEEP = 64  # documents per process, compressed 0.1–0.3 MB each (more with many partners); the map cache holds 32
VIEW_PARAMETER = "ansicht"
TITLE = "Interaktive Karte (dieselben Angaben als „Tabelle statt Karte“ darunter)"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@dataclass(frozen=True)
class MapDocument:
    """One rendered map: its address, its bytes (kept compressed only: every browser asks for gzip) and
    the hashes of its inline scripts, the only inline scripts its Content-Security-Policy allows."""

    digest: str
    gzipped: bytes
    script_hashes: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"{ROUTE_PREFIX}{self.digest}.html"

    @property
    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)


def _rendered(fmap: folium.Map) -> str:
    """The map's document, its elements numbered in tree order (folium names them with random ids)."""
    for number, element in enumerate(elements(fmap.get_root())):
        element._id = f"{number:032x}"
    return fmap.get_root().render()


def document_of(fmap: folium.Map) -> MapDocument:
    """Render `fmap` once into a document (the map must not be used afterwards: rendering changes it)."""
    html = _rendered(fmap)
    body = html.encode("utf-8")
    hashes = tuple(
        "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        for script in dict.fromkeys(_INLINE_SCRIPT.findall(html))
    )
    # Level 4: Gemeinden 0.72 MB -> 220 KB in 19 ms; level 6 saves 9 KB more and takes 57 ms of every rebuild.
    return MapDocument(hashlib.sha256(body).hexdigest()[:32], gzip.compress(body, compresslevel=4, mtime=0), hashes)


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
    """The document at this address, if this process has published it (and not yet dropped it)."""
    with _lock:
        return _published.get(digest)


def show(document: MapDocument, height: int, view_key: str) -> None:
    """Publish `document` and show it in a frame at full container width, named for screen readers.
    The address carries the view (`MapView.key`), so that another process can rebuild it (`maproutes`).

    Each document gets a frame of its own (a container keyed by the document): a frame whose address
    changes adds a step to the browser's history, and Back then changed the map but not the page.
    """
    publish(document)
    with st.container(key=f"karte_{document.digest}"):
        st.iframe(f"{document.path}?{urlencode({VIEW_PARAMETER: view_key})}", height=height, alt=TITLE)


def show_inline(fmap: folium.Map, height: int, title: str) -> None:
    """Show a map without giving it an address: its document travels in the page (for an editor's upload
    before it is imported, which must not be fetchable or cached under a URL)."""
    st.iframe(_rendered(fmap), height=height, alt=title)
