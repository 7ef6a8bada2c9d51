"""The app's map against naive baselines built from the same data, side by side.

Run alone: `.venv/bin/python -m benchmarks.compare` (needs requirements-bench.txt for mapclassify).
First the whole Karte page against a naive Streamlit + folium page under `streamlit run`
(`benchmarks.race`: time to the first polygon, websocket payload, first visit after a start),
then the map alone as standalone HTML:
Baseline = what `GeoDataFrame.explore()` produces with default settings (unsimplified layers,
all properties, one marker per point). Both are rendered to standalone HTML with the assets
served from disk and opened in headless Chromium (median of 5) until every polygon/marker is
present. Partners come from the real importer (synthetic rows with real Bavarian PLZ).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import folium
import geopandas as gpd
from playwright.sync_api import Browser, sync_playwright

from benchmarks import race
from benchmarks.common import (
    RUNS,
    add_partners,
    fresh_database,
    median,
    megabytes,
    ratio,
    seconds,
    table,
)
from integra import geodata, maps, queries
from integra.assets import VENDOR_DIR, UnknownAssetError, localize
from integra.config import BASEMAP_NONE
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE, MapView, build_map, points_map
from integra.store import make_engine
from tests.browser import CHROMIUM, FLAGS

PREFIX = VENDOR_DIR.as_uri()
HEADER = ["Fall", "HTML App", "Basis", "x", "Bauen App", "Basis", "x", "Browser App", "Basis", "x"]


def baseline(frame: gpd.GeoDataFrame) -> folium.Map:
    fmap = frame.explore()
    try:
        localize(fmap, PREFIX)
    except UnknownAssetError as exc:  # a CDN file we do not vendor: the baseline would then fail offline
        print(f"  (Basis braucht {exc})")
    return fmap


def rendered(build: Callable[[], folium.Map]) -> tuple[str, float]:
    start = time.perf_counter()
    html = build().get_root().render()
    return html, time.perf_counter() - start


def browser_seconds(browser: Browser, path: Path, selector: str, count: int) -> float:
    times = []
    for _ in range(RUNS):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(f"document.querySelectorAll('{selector}').length >= {count}", timeout=120_000)
        times.append(time.perf_counter() - start)
        page.close()
    return median(times)


Case = tuple[str, Callable[[], folium.Map], Callable[[], folium.Map], str, int, int]


def area_cases(url: str) -> list[Case]:
    """The Karte of all Bavaria (seed data) with Kreise or Gemeinden; baseline: the bare polygons."""
    engine = make_engine(url)
    full = maps.map_data(engine, MapView(level=LEVEL_GEMEINDEN))  # Gemeinden read too: both cases use it
    engine.dispose()
    return [
        (
            f"{level} ({len(shapes):,})".replace(",", "."),
            lambda level=level: build_map(MapView(level=level, basemap=BASEMAP_NONE), full, PREFIX),
            lambda shapes=shapes: baseline(shapes),
            "path.leaflet-interactive",
            len(shapes),
            len(shapes),
        )
        for level, shapes in ((LEVEL_KREISE, geodata.kreise()), (LEVEL_GEMEINDEN, geodata.gemeinden()))
    ]


def point_cases(url: str) -> list[Case]:
    """The first 5,000 and all 20,000 imported partners as points (one cluster layer vs. one marker each)."""
    engine = make_engine(url)
    partners = queries.partners(engine)
    engine.dispose()
    found = []
    for count in (5_000, 20_000):
        some = partners.head(count)
        points = gpd.GeoDataFrame(some, geometry=gpd.points_from_xy(some["lon"], some["lat"]), crs=4326)
        found.append(
            (
                f"{count:,} Partner".replace(",", "."),
                lambda p=some: points_map(p, BASEMAP_NONE, PREFIX),
                lambda p=points: baseline(p),
                ".marker-cluster",
                1,
                count,
            )
        )
    return found


def measure(folder: Path, cases: list[Case]) -> list[list[object]]:
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for label, app, base, selector, app_count, base_count in cases:
            app_html, app_time = rendered(app)
            base_html, base_time = rendered(base)
            app_path, base_path = folder / "app.html", folder / "base.html"
            app_path.write_text(app_html, encoding="utf-8")
            base_path.write_text(base_html, encoding="utf-8")
            app_browser = browser_seconds(browser, app_path, selector, app_count)
            base_browser = browser_seconds(browser, base_path, "path.leaflet-interactive", base_count)
            app_size, base_size = len(app_html.encode()), len(base_html.encode())
            rows.append(
                [
                    label,
                    megabytes(app_size),
                    megabytes(base_size),
                    ratio(base_size, app_size),
                    seconds(app_time),
                    seconds(base_time),
                    ratio(base_time, app_time),
                    seconds(app_browser),
                    seconds(base_browser),
                    ratio(base_browser, app_browser),
                ]
            )
        browser.close()
    return rows


def measure_all(folder: Path) -> list[list[object]]:
    """Areas on the seed data, then points after importing 20,000 partners into the same database."""
    url = fresh_database(folder)
    rows = measure(folder, area_cases(url))
    add_partners(url, 20_000)
    return rows + measure(folder, point_cases(url))


def main() -> None:
    race.main()
    with tempfile.TemporaryDirectory() as tmp:
        table("Karte: App gegen naive Basis (x = Basis / App)", HEADER, measure_all(Path(tmp)))


if __name__ == "__main__":
    main()
