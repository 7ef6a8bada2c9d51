"""Serve every script and stylesheet of the map from the app itself, never from a CDN.

folium lists the assets each element needs in its `default_js` / `default_css`, and the map's
document loads exactly those and shows no map at all if one fails. `localize` rewrites the lists of one
map's elements (instance attributes, no library patching) to the copies in `static/vendor/`
(licences beside them). A CDN URL this module does not know raises, and a test builds the
app's map so that a folium upgrade with new URLs fails loudly instead of blanking the map.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import folium
from branca.element import Element
from folium.elements import JSCSSMixin

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"


def _stamp(folder: Path) -> str:
    """A short hash of every file under `folder`: part of the vendored files' addresses, so a browser may
    keep them for good and still gets new copies after an upgrade."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


VENDOR_STAMP = _stamp(VENDOR_DIR)
# Inside the map's document (<base>/_integra/karte/<hash>.html) this relative path reaches the server's
# route for the vendored files (integra.web.mapframe).
VENDOR_ROUTE = "/_integra/vendor"
APP_PREFIX = f"../..{VENDOR_ROUTE}/{VENDOR_STAMP}"

_CLUSTER_CDN = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0"
LOCAL = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/leaflet.css",
    "https://cdn.jsdelivr.net/npm/topojson-client@3.1.0/dist/topojson-client.min.js": "topojson/topojson-client.min.js",
    f"{_CLUSTER_CDN}/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
    f"{_CLUSTER_CDN}/MarkerCluster.css": "markercluster/MarkerCluster.css",
    f"{_CLUSTER_CDN}/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
}
# Needed only by folium.Icon (Bootstrap/Font Awesome glyph markers), which this app never
# uses: its markers are plain HTML icons; jQuery is used by none of folium's map templates or our
# layers. Dropping them keeps the map's document small and saves a request each.
UNUSED = {
    "https://code.jquery.com/jquery-3.7.1.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
}


class UnknownAssetError(RuntimeError):
    """A map element asks for a CDN file that has no local copy: the map would not load offline."""


def elements(root: Element) -> Iterator[Element]:
    """`root` and all its descendants, depth first (folium has no public walker)."""
    yield root
    for child in root._children.values():
        yield from elements(child)


def _rewrite(links: list[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if url in UNUSED:
            continue
        if url in LOCAL:
            out.append((name, f"{prefix}/{LOCAL[url]}"))
        elif url.startswith(("http://", "https://", "//")):
            raise UnknownAssetError(
                f"Kein lokales Asset für {url} – bitte in integra/assets.py und static/vendor/ ergänzen"
            )
        else:
            out.append((name, url))
    return out


def localize(fmap: folium.Map, prefix: str = APP_PREFIX) -> folium.Map:
    """Point every asset link of `fmap` and its elements at the local copies under `prefix`."""
    for element in elements(fmap):
        if isinstance(element, JSCSSMixin):
            element.default_js = _rewrite(element.default_js, prefix)
            element.default_css = _rewrite(element.default_css, prefix)
    return fmap


# Placeholder prefix for maps saved as one HTML file; `inline` swaps the links for the contents.
INLINE_PREFIX = "integra-inline:vendor"


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def inline(html: str) -> str:
    """Self-contained HTML: every vendored script and stylesheet (with its images) copied into the page.

    Such a file opens offline from a USB stick or an e-mail attachment.
    """

    def script(match: re.Match) -> str:
        code = (VENDOR_DIR / match.group(1)).read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        css_path = VENDOR_DIR / match.group(1)
        css = re.sub(
            r"url\((images/[^)]+\.png)\)",
            lambda m: f"url({_data_uri(css_path.parent / m.group(1))})",
            css_path.read_text(encoding="utf-8"),
        )
        return f"<style>{css}</style>"

    prefix = re.escape(INLINE_PREFIX)
    html = re.sub(rf'<script src="{prefix}/([^"]+)"></script>', script, html)
    return re.sub(rf'<link rel="stylesheet" href="{prefix}/([^"]+)"/>', style, html)
