"""The real app with 20,000 imported partners: filter reruns, page load in Chromium, server memory.

Run alone: `.venv/bin/python -m benchmarks.app_server`.
- Rerun: the Karte page under `streamlit.testing.v1.AppTest` (the page scripts and caches of the
  server, in this process) switches through all Regierungsbezirke once to warm the caches, then
  again while timed; side by side the same with the map cache emptied before each rerun (how the
  page worked before the cache: data cached, map rebuilt). AppTest adds ~10 ms of polling.
- Browser: a real `streamlit run` on the same database; time from navigation to all polygons and
  the partner clusters in headless Chromium (median of 5 after one warm-up load).
- Build: the map of all Bavaria with its data cached – folium objects, rendering to the
  compressed document the server serves, and a hit in the map cache.
- Traffic: bytes a first visit (empty browser cache) receives over HTTP and over the websocket.
- Memory: peak resident memory (VmHWM) of that server process after the Kreise and the
  Gemeinden map with all partners were served.
"""

from __future__ import annotations

import os
import tempfile
import time
import zlib
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright
from streamlit.testing.v1 import AppTest

from benchmarks.common import (
    RUNS,
    add_partners,
    fresh_database,
    median,
    megabytes,
    millis,
    ratio,
    seconds,
    table,
)
from integra.config import BASEMAP_NONE, PROJECT_DIR
from integra.devserver import running_app
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE, MapView, build_map
from integra.store import data_token, make_engine
from integra.vocab import ALL_BAVARIA, REGIERUNGSBEZIRKE
from integra.web import data, mapview
from integra.web.mapframe import document_of
from tests.browser import CHROMIUM, FLAGS, MAP_FRAME

PARTNERS = 20_000
OFFLINE = "karte=ohne+Hintergrundkarte"
POLYGONS = {LEVEL_KREISE: 96, LEVEL_GEMEINDEN: 2230}
RERUN_HEADER = ["Flächen", "Rerun, Cache warm (Median)", "max", "ohne Kartencache (Median)", "max", "x"]


def _timed_reruns(at: AppTest, clear_map_cache: bool) -> list[float]:
    times = []
    for regbez in (*REGIERUNGSBEZIRKE, ALL_BAVARIA):
        if clear_map_cache:
            mapview._map_document.clear()
        start = time.perf_counter()
        at.selectbox(key="regbez").select(regbez).run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def rerun_rows(url: str) -> list[list[object]]:
    os.environ["INTEGRA_DATABASE_URL"] = url
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=600).run()
    at.switch_page("views/karte.py").run()
    at.radio(key="karte").set_value("ohne Hintergrundkarte").run()
    rows = []
    for level in (LEVEL_KREISE, LEVEL_GEMEINDEN):
        at.radio(key="ebene").set_value(level).run()
        _timed_reruns(at, clear_map_cache=False)  # warm-up: every view once
        warm = _timed_reruns(at, clear_map_cache=False)
        cold = _timed_reruns(at, clear_map_cache=True)
        rows.append(
            [
                level,
                millis(median(warm)),
                millis(max(warm)),
                millis(median(cold)),
                millis(max(cold)),
                ratio(median(cold), median(warm)),
            ]
        )
    return rows


def build_rows(url: str) -> list[list[object]]:
    """Building the map of all Bavaria when its data is cached: folium objects, rendering, cache hit.

    As in the server, the boundaries are loaded and the garbage collector is told to skip them first
    (`data.warm_up`); without that, collections walking the geodata added 0.1–0.2 s to a build.
    """
    data.warm_up()
    engine = make_engine(url)
    key = (url, data_token(engine))
    rows = []
    for level in POLYGONS:
        view = MapView(level=level, basemap=BASEMAP_NONE)
        facts = data.map_data(view, key)
        built, rendered = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            fmap = build_map(view, facts)
            built.append(time.perf_counter() - start)
            start = time.perf_counter()
            document_of(fmap)
            rendered.append(time.perf_counter() - start)
        mapview._map_document(key, view)  # fills the map cache
        start = time.perf_counter()
        mapview._map_document(key, view)
        hit = time.perf_counter() - start
        rows.append([level, millis(median(built)), millis(median(rendered)), f"{hit * 1000:.2f} ms".replace(".", ",")])
    engine.dispose()
    return rows


def _kilobytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


# Bytes over the network for a document and its resources (Resource Timing; same-origin, so sizes are exposed).
_TRANSFERRED = (
    "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
    ".reduce((sum, entry) => sum + entry.transferSize, 0)"
)


class _Traffic:
    """Bytes a visit received: HTTP as transferred (page and map frame) and websocket messages."""

    def __init__(self, page: Page) -> None:
        self.messages: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._message))

    def _message(self, payload: str | bytes) -> None:
        self.messages.append(payload.encode() if isinstance(payload, str) else payload)

    @staticmethod
    def http(page: Page) -> int:
        return sum(frame.evaluate(_TRANSFERRED) for frame in page.frames)

    def websocket(self) -> int:
        return sum(len(message) for message in self.messages)

    def deflated(self) -> int:
        """The messages compressed as the server does (permessage-deflate, window bits 12, see the handshake)."""
        total = 0
        for message in self.messages:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -12)
            total += len(compressor.compress(message) + compressor.flush())
        return total


def _open_karte(page: Page, base: str, level: str) -> float:
    """Navigate to the Karte and wait for all polygons and a partner cluster; returns when the map frame appeared."""
    page.goto(f"{base}/karte?{OFFLINE}&ebene={level}")
    page.locator(MAP_FRAME).wait_for(state="attached", timeout=180_000)
    attached = time.perf_counter()
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(POLYGONS[level], timeout=180_000)
    expect(frame.locator(".marker-cluster").first).to_be_visible(timeout=60_000)
    return attached


def server_rows(url: str) -> tuple[list[list[object]], list[list[object]], list[list[object]]]:
    browser_rows, traffic_rows, memory_rows = [], [], []
    with running_app(url) as app, sync_playwright() as pw:
        memory_rows.append(["nach dem Start", f"{_kilobytes(app.pid, 'VmRSS') / 1024:.0f} MB"])
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for level, count in POLYGONS.items():
            times, map_times = [], []
            for run in range(RUNS + 1):  # the first load builds the map on the server
                page = browser.new_page(viewport={"width": 1400, "height": 1000})  # own context: cold browser cache
                traffic = _Traffic(page)
                start = time.perf_counter()
                attached = _open_karte(page, app.url, level)
                times.append(time.perf_counter() - start)
                map_times.append(time.perf_counter() - attached)
                if run == 0:
                    page.wait_for_load_state("networkidle")  # fonts and icons load after the map
                    traffic_rows.append(
                        [
                            level,
                            megabytes(traffic.http(page)),
                            megabytes(traffic.websocket()),
                            megabytes(traffic.deflated()),
                        ]
                    )
                page.close()
            browser_rows.append(
                [
                    f"{level} ({count:,})".replace(",", "."),
                    seconds(times[0]),
                    seconds(median(times[1:])),
                    seconds(median(map_times[1:])),
                ]
            )
            peak = _kilobytes(app.pid, "VmHWM") / 1024
            memory_rows.append([f"nach Karte {level} mit {PARTNERS:,} Partnern".replace(",", "."), f"{peak:.0f} MB"])
        browser.close()
    return browser_rows, traffic_rows, memory_rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(Path(tmp))
        add_partners(url, PARTNERS)
        partners = f"{PARTNERS:,}".replace(",", ".")
        table(
            f"Filterwechsel (Regierungsbezirk): Serverzeit eines Reruns der Karte mit {partners} Partnern",
            RERUN_HEADER,
            rerun_rows(url),
        )
        table(
            f"Karte von ganz Bayern bauen, Daten im Cache, {partners} Partner (Median von {RUNS})",
            ["Flächen", "folium-Karte bauen", "rendern (Dokument, gepackt)", "aus dem Kartencache"],
            build_rows(url),
        )
        browser_rows, traffic_rows, memory_rows = server_rows(url)
        table(
            "Karte-Seite im Browser bis alle Polygone und Partner-Cluster da sind",
            [
                "Flächen",
                "erster Aufruf (baut die Karte)",
                f"danach, Median von {RUNS}",
                "davon Kartenrahmen bis Cluster",
            ],
            browser_rows,
        )
        table(
            "Datenmenge eines ersten Besuchs der Karte (leerer Browser-Cache)",
            [
                "Flächen",
                "HTTP (Streamlit, Leaflet)",
                "Websocket unkomprimiert",
                "Websocket komprimiert (permessage-deflate)",
            ],
            traffic_rows,
        )
        table("Spitzenspeicher des App-Prozesses (VmHWM)", ["Zeitpunkt", "Speicher"], memory_rows)


if __name__ == "__main__":
    main()
