"""The page Streamlit serves before its scripts have run: German and not blank.

Streamlit's `index.html` says `<html lang="en">`, has the title "Streamlit", an English
`<noscript>` text and an empty root element: a visitor on a slow connection or a cold server
looked at a white page for 2.5 s or more (UX review #20), and screen readers started in English.
`GermanShell` is ASGI middleware (wired up in `server.py` through `st.App`) that rewrites exactly
that document as it is sent. Every other response passes untouched; `deutsch.js` still translates
what Streamlit writes later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from integra.web.asgi import ASGIApp, Message, Receive, Send
from integra.web.statics import STREAMLIT_STATIC

LOADING = "Integrationslandkarte Bayern wird geladen …"
# The addresses of the pages below the start page (app.py's `url_path`s; a test compares them).
PAGE_PATHS = ("karte", "partner", "luecken", "melden", "hochladen", "redaktion")
# Streamlit finds its server by trying the page's own address first (`/karte/_stcore/health`, which
# fails) and its parent after a pause: 0.13 s lost on every deep link such as `/karte?…`. Telling it
# the base address (the page address without its page, so under any proxy prefix) skips the miss.
_BASE_URL = (
    "<script>(function () {var m = location.pathname.match(/^(.*\\/)(?:"
    + "|".join(PAGE_PATHS)
    + ")\\/?$/); if (m) { window.__streamlit = Object.assign({}, window.__streamlit, "
    "{BACKEND_BASE_URL: location.origin + m[1]}); }})();</script>"
)
# Streamlit loads the code of each kind of element when the first one arrives over the websocket: with
# an empty browser cache it came after the page's data, and the map started 0.3–0.4 s after its data
# had arrived (benchmarks/race.py). The document therefore asks for it while it waits for the websocket
# (the elements of the sidebar and the map's frame). Prefetching the map document's scripts as well
# helped while streamlit-folium loaded them one after another; since the map is a document of its own
# (the browser fetches its scripts in parallel), the prefetch only competed with Streamlit's start
# (Kreise, median of 5 visits in one series: first polygon 2.04–2.20 s with it, 1.80 s without).
LAZY_ELEMENTS = ("IFrame", "Selectbox", "Multiselect", "ButtonGroup", "Radio", "Checkbox", "Html")
_STREAMLIT_JS = STREAMLIT_STATIC / "static" / "js"

_IMPORTS = re.compile(r'(?:from|import)\s*"\./([\w.-]+\.js)"')


def _with_imports(files: Iterable[str]) -> list[str]:
    """`files` of Streamlit's scripts and every script they import, each once, in the order found."""
    found: dict[str, None] = {}
    todo = list(files)
    while todo:
        name = todo.pop(0)
        if name not in found:
            found[name] = None
            todo += _IMPORTS.findall((_STREAMLIT_JS / name).read_text(encoding="utf-8"))
    return list(found)


@cache
def _element_chunks() -> tuple[str, ...]:
    """The scripts of the LAZY_ELEMENTS and every script they import (read once: ~90 files, 24 ms)."""
    return tuple(
        _with_imports(path.name for name in LAZY_ELEMENTS for path in sorted(_STREAMLIT_JS.glob(f"{name}.*.js")))
    )


@cache
def resource_hints() -> tuple[str, ...]:
    """<link> elements: module preloads for the element chunks and the scripts they import."""
    return tuple(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in _element_chunks())


def first_visit_files() -> list[str]:
    """Streamlit's files (relative to its `static/` folder) that every first visit fetches: those its index
    document names, the scripts they import and the element chunks of `resource_hints`."""
    named = re.findall(r'"\./static/([\w./-]+)"', (STREAMLIT_STATIC / "index.html").read_text(encoding="utf-8"))
    scripts = _with_imports([name.removeprefix("js/") for name in named if name.startswith("js/")])
    scripts += [name for name in _element_chunks() if name not in scripts]
    return [name for name in named if not name.startswith("js/")] + [f"js/{name}" for name in scripts]


_REPLACEMENTS = (
    ('<html lang="en">', '<html lang="de">'),
    ("<head>", "<head>" + _BASE_URL),
    ("<title>Streamlit</title>", "<title>Integrationslandkarte Bayern</title>"),
    (
        '<div id="root"></div>',  # React replaces the root's content when the app starts
        '<div id="root"><p style="font:600 20px/1.4 sans-serif;color:#1d2730;text-align:center;padding:18vh 24px">'
        f"{LOADING}</p></div>",
    ),
)
_NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.S)
_NOSCRIPT_DE = (
    "<noscript><p>Die Integrationslandkarte Bayern braucht JavaScript. Bitte im Browser einschalten.</p></noscript>"
)


@lru_cache(maxsize=2)
def german_shell(html: str) -> str:
    """Streamlit's index document with the German language, title, loading line and noscript text,
    and the hints that fetch what the page needs next while it waits for the websocket.

    Every page load sends the same Streamlit document through here, so the result is kept: rewriting
    it took 0.25 ms of the server's event loop each time.
    """
    for old, new in _REPLACEMENTS:
        html = html.replace(old, new)
    hints = "".join(link for link in resource_hints() if link not in html)
    return _NOSCRIPT.sub(_NOSCRIPT_DE, html.replace("</head>", hints + "</head>", 1))


def _is_page(path: str) -> bool:
    """A page address (`/`, `/karte`), not an asset, component, media or `_stcore` request."""
    last = path.rsplit("/", 1)[-1]
    return "." not in last and not any(
        part in path for part in ("/_stcore/", "/_integra/", "/component/", "/media/", "/static/")
    )


_REQUEST_DROPPED = (b"accept-encoding", b"if-none-match", b"if-modified-since")
_RESPONSE_DROPPED = (b"content-length", b"etag", b"last-modified")


def _is_shell(headers: list[tuple[bytes, bytes]]) -> bool:
    values = {name.lower(): value for name, value in headers}
    return values.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in values


class GermanShell:
    """ASGI middleware: Streamlit's index document rewritten by `german_shell`, everything else as it is.

    Only page addresses are looked at (`_is_page`); an HTML answer without Streamlit's root element
    and a compressed body are passed on as they are.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not _is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        # Streamlit's gzip middleware runs inside this one; the 10 KB document is sent uncompressed
        # (a reverse proxy may still compress it), so it can be read here. Without the validators of
        # Streamlit's file: its entity tag stays the same when only this rewriting changes, and a browser
        # revalidating the shell after an update of the app was told to keep the old one (304).
        scope = {**scope, "headers": [(n, v) for n, v in scope["headers"] if n.lower() not in _REQUEST_DROPPED]}
        start: Message | None = None
        body = bytearray()

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and _is_shell(message.get("headers", [])):
                start = message  # held back until the whole body is here
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            text = bytes(body).decode("utf-8")
            if '<div id="root"></div>' not in text:  # some other HTML: passed on as it came
                await send(start)
                await send({"type": "http.response.body", "body": bytes(body)})
                return
            new = german_shell(text).encode("utf-8")
            headers = [(n, v) for n, v in start["headers"] if n.lower() not in _RESPONSE_DROPPED]
            await send({**start, "headers": [*headers, (b"content-length", str(len(new)).encode())]})
            await send({"type": "http.response.body", "body": new})

        await self.app(scope, receive, rewrite)
