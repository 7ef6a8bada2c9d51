"""Measure the Karte page's map: payload size, Python build time, time to polygons in Chromium.

Run: `.venv/bin/python -m benchmarks.map_size` (after `make install-test`). Uses a fresh seeded
SQLite database in a temporary folder and a real `streamlit run`; prints a table. Figures go
into README.md and the closing note; tests never assert times.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from streamlit_folium import generate_leaflet_string

from integra import queries
from integra.cli import init_database
from integra.config import BASEMAP_NONE
from integra.devserver import running_app
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE, MapData, MapView, build_map
from integra.store import make_engine

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
RUNS = 5


def python_figures(url: str) -> None:
    engine = make_engine(url)
    print(
        f"{'Ebene':<10} {'Gebiet':<12} {'Features':>8} {'Karten-JS (Bytes)':>18} {'HTML (Bytes)':>13} {'Bau+Render (s)':>15}"
    )
    for level in (LEVEL_KREISE, LEVEL_GEMEINDEN):
        for regbez in ("Ganz Bayern", "Oberfranken"):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                data = MapData(
                    kreise=queries.kreise(engine, regbez),
                    partners=queries.partners(engine, regbez),
                    centres=queries.integration_centres(engine, regbez),
                    gemeinden=queries.gemeinden(engine, regbez) if level == LEVEL_GEMEINDEN else None,
                    structures=queries.structures(engine),
                )
                fmap = build_map(MapView(regbez=regbez, level=level, basemap=BASEMAP_NONE), data)
                html = fmap.get_root().render()
                times.append(time.perf_counter() - start)
            script = generate_leaflet_string(fmap)
            features = len(data.gemeinden if level == LEVEL_GEMEINDEN else data.kreise)
            print(
                f"{level:<10} {regbez:<12} {features:>8} {len(script.encode()):>18,} {len(html.encode()):>13,} "
                f"{statistics.median(times):>15.2f}"
            )
    engine.dispose()


def browser_figures(url: str) -> None:
    print("\nBrowser (Chromium headless, Streamlit, ohne Hintergrundkarte): Zeit bis alle Polygone da sind")
    with running_app(url) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for level, count in ((LEVEL_KREISE, 96), (LEVEL_GEMEINDEN, 2230)):
            times = []
            for _ in range(RUNS + 1):  # the first run warms the server's caches
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(f"{base}/karte?karte=ohne+Hintergrundkarte&ebene={level}")
                frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
                expect(frame.locator("path.leaflet-interactive")).to_have_count(count, timeout=120_000)
                times.append(time.perf_counter() - start)
                page.close()
            print(
                f"  {level:<10} {count:>5} Polygone: erster Aufruf {times[0]:.2f} s, "
                f"danach Median von {RUNS}: {statistics.median(times[1:]):.2f} s"
            )
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        init_database(url)
        python_figures(url)
        browser_figures(url)


if __name__ == "__main__":
    main()
