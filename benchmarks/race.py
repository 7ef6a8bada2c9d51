"""The Karte page against a naive Streamlit + folium page of the same areas, both under `streamlit run`.

Run alone: `.venv/bin/python -m benchmarks.race` (part of `python -m benchmarks.compare`).
The naive page is `benchmarks/naive_page.py`; the browser answers its CDN files from the
vendored copies (files we do not vendor, such as Bootstrap, as empty files: that only helps it).
For each server (a fresh start per level) the first visit is the cold one; then RUNS visits of each
page, taking turns, in fresh browser contexts (empty browser cache) are timed from navigation to the
first polygon in the map frame. The websocket payload is what Playwright reports after permessage-deflate, i.e. what
Streamlit serialised; the app's map document comes over HTTP instead (its compressed size is
reported beside it: a browser that has it cached does not fetch it again), as are all HTTP bytes of a
first visit (Streamlit's scripts included) and the time of a small answer of each server (Nagle's
delay, `integra.web.sockets`). The split says where a
warm visit's time goes, from browser events: the shell's websocket opening, the delta with the map's
script, the frame's documents and scripts, and the first polygon.
"""

from __future__ import annotations

import http.client
import mimetypes
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Request, Route, WebSocket, sync_playwright

from benchmarks.common import RUNS, fresh_database, median, seconds, table
from integra.assets import LOCAL, VENDOR_DIR
from integra.devserver import RunningApp, running_app
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE
from integra.web.mapframe import ROUTE_PREFIX
from tests.browser import CHROMIUM, FLAGS, MAP_FRAME, OFFLINE

NAIVE = "benchmarks/naive_page.py"
LEVELS = (LEVEL_KREISE, LEVEL_GEMEINDEN)
HEADER = ["Fall", "App", "naive Seite", "App / naiv", "Ziel"]
NAIVE_FRAME = 'iframe[src*="streamlit_folium.st_folium"]'
TARGETS = {LEVEL_KREISE: (0.75, 150_000), LEVEL_GEMEINDEN: (0.60, 900_000)}


def _cdn(route: Route) -> None:
    """CDN files of the naive page from the vendored copies; unknown ones as empty files."""
    url = route.request.url
    path = VENDOR_DIR / LOCAL[url] if url in LOCAL else None
    body = path.read_bytes() if path else b""
    route.fulfill(status=200, body=body, content_type=mimetypes.guess_type(url)[0] or "text/plain")


# Body bytes as transferred, per address (a frame's document is also a resource of its parent). The naive
# page's CDN files count 0: the harness answers them from another origin, without Timing-Allow-Origin.
_BODY_BYTES = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .map((entry) => [entry.name, entry.encodedBodySize])"""


class Visit:
    """One page load in a fresh context: time to the first polygon, websocket bytes, event times."""

    def __init__(self, context: BrowserContext, url: str) -> None:
        self.events: dict[str, float] = {}
        self.payload = 0
        self.document = 0  # the map document over HTTP, as transferred (compressed)
        page = context.new_page()
        page.on("websocket", self._socket)
        page.on("requestfinished", self._request)
        self.start = time.perf_counter()
        page.goto(url)
        page.frame_locator(f"{MAP_FRAME}, {NAIVE_FRAME}").locator("path.leaflet-interactive").first.wait_for(
            state="attached", timeout=180_000
        )
        self.seconds = time.perf_counter() - self.start
        page.wait_for_timeout(300)  # the last deltas after the map (widgets below it) still count
        sizes = {name: size for frame in page.frames for name, size in frame.evaluate(_BODY_BYTES)}
        self.http = sum(sizes.values())
        page.close()

    def _mark(self, name: str) -> None:
        self.events.setdefault(name, time.perf_counter() - self.start)

    def _socket(self, socket: WebSocket) -> None:
        self._mark("Websocket offen")
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.payload += len(data)
        if b"map_div" in data or ROUTE_PREFIX.encode() in data:  # the naive page's map script; our frame's address
            self._mark("Karte im Websocket")

    def _request(self, request: Request) -> None:
        url = request.url
        if "st_folium/index.html" in url or ROUTE_PREFIX in url:
            self._mark("Kartenrahmen geladen")
            if ROUTE_PREFIX in url:
                self.document += request.sizes()["responseBodySize"]
        elif "leaflet.js" in url or "leaflet@" in url:
            self._mark("leaflet.js geladen")


@contextmanager
def _context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("https://**/*", _cdn)
    try:
        yield context
    finally:
        context.close()


def _visit(browser: Browser, url: str) -> Visit:
    with _context(browser) as context:
        return Visit(context, url)


def _visits(browser: Browser, ours: str, theirs: str) -> tuple[list[Visit], list[Visit]]:
    """RUNS warm visits of each page, taking turns: the machine's speed drifts over minutes (the same code
    gave 0.76–1.01 × when the app's visits all came before the naive page's), taking turns keeps the
    drift out of the ratio."""
    pairs = [(_visit(browser, ours), _visit(browser, theirs)) for _ in range(RUNS)]
    return [app for app, _ in pairs], [naive for _, naive in pairs]


def small_answer(server: RunningApp, count: int = 20) -> float:
    """Median seconds for Streamlit's health check on one kept-alive connection: a two-part answer that
    waited for the client's delayed acknowledgement while Nagle's algorithm was on (`integra.web.sockets`)."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        connection.request("GET", "/_stcore/health")
        connection.getresponse().read()
        times.append(time.perf_counter() - start)
    connection.close()
    return median(times)


def _split(visits: list[Visit]) -> str:
    names = dict.fromkeys(name for visit in visits for name in visit.events)
    parts = [f"{name} {median([v.events[name] for v in visits if name in v.events]):.2f}" for name in names]
    return "; ".join(parts).replace(".", ",") + " s"


def measure(url: str) -> tuple[list[list[str]], list[list[str]]]:
    rows, splits = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for level in LEVELS:
            # Each server's first visit right after its start (the cold one), then both take turns.
            with running_app(url) as app:
                ours_page = f"{app.url}/karte?{OFFLINE}&ebene={level}"
                ours_cold = _visit(browser, ours_page)
                with running_app(url, script=NAIVE) as naive:
                    naive_page = f"{naive.url}/?ebene={level}"
                    naive_cold = _visit(browser, naive_page)
                    ours, theirs = _visits(browser, ours_page, naive_page)
                    ours_small, naive_small = small_answer(app), small_answer(naive)
            time_ratio, payload_target = TARGETS[level]
            app_time, naive_time = median([v.seconds for v in ours]), median([v.seconds for v in theirs])
            app_bytes, naive_bytes = median([v.payload for v in ours]), median([v.payload for v in theirs])
            rows += [
                [
                    f"{level}: Navigation bis erste Fläche (Median von {RUNS})",
                    seconds(app_time),
                    seconds(naive_time),
                    f"{app_time / naive_time:.2f}".replace(".", ","),
                    f"≤ {time_ratio:.2f}".replace(".", ","),
                ],
                [
                    f"{level}: erster Besuch nach Serverstart",
                    seconds(ours_cold.seconds),
                    seconds(naive_cold.seconds),
                    f"{ours_cold.seconds / app_time:.2f} × warm".replace(".", ","),
                    "≤ 1,5 × warm",
                ],
                [
                    f"{level}: Websocket-Daten (entpackt)",
                    f"{app_bytes / 1000:.0f} KB",
                    f"{naive_bytes / 1000:.0f} KB",
                    f"{app_bytes / naive_bytes:.2f}".replace(".", ","),
                    f"≤ {payload_target // 1000} KB",
                ],
                [  # the bytes that left the websocket, so the comparison stays honest
                    f"{level}: Kartendokument über HTTP (gepackt; danach aus dem Browser-Cache)",
                    f"{median([v.document for v in ours]) / 1000:.0f} KB",
                    "– (im Websocket)",
                    "–",
                    "–",
                ],
                [
                    f"{level}: alle HTTP-Antworten eines ersten Besuchs (übertragen; naiv ohne CDN-Dateien)",
                    f"{median([v.http for v in ours]) / 1000:.0f} KB",
                    f"{median([v.http for v in theirs]) / 1000:.0f} KB",
                    f"{median([v.http for v in ours]) / median([v.http for v in theirs]):.2f}".replace(".", ","),
                    "–",
                ],
                [
                    f"{level}: kleine Antwort des Servers (/_stcore/health, Median von 20)",
                    f"{ours_small * 1000:.1f} ms".replace(".", ","),
                    f"{naive_small * 1000:.1f} ms".replace(".", ","),
                    "–",
                    "–",
                ],
            ]
            splits += [[f"{level}, App", _split(ours)], [f"{level}, naiv", _split(theirs)]]
        browser.close()
    return rows, splits


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows, splits = measure(fresh_database(Path(tmp)))
    table("Karte-Seite gegen naive Seite (streamlit run, ohne Hintergrundkarte)", HEADER, rows)
    table("Wohin die Zeit eines warmen Besuchs geht (Median, Sekunden ab Navigation)", ["Fall", "Ereignisse"], splits)


if __name__ == "__main__":
    main()
