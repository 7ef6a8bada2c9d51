"""The app's map against a naive baseline built from the same data, side by side.

Run: `.venv/bin/pip install -r requirements-bench.txt && .venv/bin/python -m benchmarks.compare`.
Baseline = what `GeoDataFrame.explore()` produces with default settings (unsimplified layers, all
properties, one marker per point). Both are saved as standalone HTML with the assets served from
disk, then opened in headless Chromium (median of 5) until every polygon/marker is present.
Prints HTML bytes, Python build time and browser time with the ratios baseline/app.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
from playwright.sync_api import sync_playwright

from integra import geodata, queries
from integra.assets import VENDOR_DIR, UnknownAssetError, localize
from integra.cli import init_database
from integra.maps import LEVEL_GEMEINDEN, MapData, MapView, build_map, points_map
from integra.store import make_engine
from integra.vocab import PARTNER_TYPES

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
RUNS = 5
PREFIX = VENDOR_DIR.as_uri()


def synthetic_partners(count: int, seed: int = 3) -> pd.DataFrame:
    """Partners at jittered Gemeinde points, with every column the map's popups use."""
    rng = random.Random(seed)
    gaz = geodata.gazetteer().to_dict("records")
    rows = []
    for i in range(count):
        place = rng.choice(gaz)
        rows.append({"id": i, "name": f"Partner {i}", "type": rng.choice(PARTNER_TYPES), "kind_detail": None,
                     "street": f"Hauptstraße {i % 90}", "plz": place["plz"], "city": place["name"],
                     "gemeinde": place["name"], "kreis": place["kreis_name"], "precision": "Adresse",
                     "website": None, "contact": None, "source_url": "https://example.org", "confidence": "hoch",
                     "lat": place["lat"] + rng.uniform(-0.01, 0.01), "lon": place["lon"] + rng.uniform(-0.01, 0.01)})  # fmt: skip
    return pd.DataFrame(rows)


def baseline(frame: gpd.GeoDataFrame):
    fmap = frame.explore()
    try:
        localize(fmap, PREFIX)
    except UnknownAssetError as exc:  # a CDN file we do not vendor: the baseline would then fail offline
        print(f"  (Baseline braucht {exc})")
    return fmap


def timed(build) -> tuple[object, float, str]:
    start = time.perf_counter()
    fmap = build()
    html = fmap.get_root().render()
    return fmap, time.perf_counter() - start, html


def browser_seconds(browser, path: Path, selector: str, count: int) -> float:
    times = []
    for _ in range(RUNS):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(f"document.querySelectorAll('{selector}').length >= {count}", timeout=120_000)
        times.append(time.perf_counter() - start)
        page.close()
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        init_database(url)
        engine = make_engine(url)
        full = MapData(kreise=queries.kreise(engine), partners=queries.partners(engine),
                       centres=queries.integration_centres(engine), gemeinden=queries.gemeinden(engine),
                       structures=queries.structures(engine))  # fmt: skip
        cases = []
        for label, level, shapes in (
            ("Kreise", "Kreise", geodata.kreise()),
            ("Gemeinden", LEVEL_GEMEINDEN, geodata.gemeinden()),
        ):
            app = lambda level=level: build_map(MapView(level=level, basemap="ohne Hintergrundkarte"), full, PREFIX)  # noqa: E731
            cases.append(
                (label, app, lambda s=shapes: baseline(s), "path.leaflet-interactive", len(shapes), len(shapes))
            )
        for n in (5_000, 20_000):
            partners = synthetic_partners(n)
            points = gpd.GeoDataFrame(partners, geometry=gpd.points_from_xy(partners["lon"], partners["lat"]), crs=4326)
            cases.append((f"{n:,} Partner".replace(",", "."), lambda p=partners: points_map(p, "ohne Hintergrundkarte", PREFIX),
                          lambda p=points: baseline(p), ".marker-cluster", 1, n))  # fmt: skip
        print(f"{'Fall':<16}{'HTML App':>12}{'Baseline':>12}{'x':>6}{'Bau App':>9}{'Baseline':>10}{'x':>6}"
              f"{'Browser App':>13}{'Baseline':>10}{'x':>6}")  # fmt: skip
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for label, app, base, selector, app_count, base_count in cases:
                _, app_time, app_html = timed(app)
                _, base_time, base_html = timed(base)
                app_path, base_path = Path(tmp) / "app.html", Path(tmp) / "base.html"
                app_path.write_text(app_html, encoding="utf-8")
                base_path.write_text(base_html, encoding="utf-8")
                app_browser = browser_seconds(browser, app_path, selector, app_count)
                base_browser = browser_seconds(browser, base_path, "path.leaflet-interactive", base_count)
                print(f"{label:<16}{len(app_html) / 1e6:>10.2f}MB{len(base_html) / 1e6:>10.2f}MB"
                      f"{len(base_html) / len(app_html):>6.1f}{app_time:>8.2f}s{base_time:>9.2f}s{base_time / app_time:>6.1f}"
                      f"{app_browser:>12.2f}s{base_browser:>9.2f}s{base_browser / app_browser:>6.1f}")  # fmt: skip
            browser.close()
        engine.dispose()


if __name__ == "__main__":
    main()
