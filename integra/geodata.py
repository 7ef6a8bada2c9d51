"""The Bavarian boundaries and the Gemeinde gazetteer from `data/geo/`.

Geometry never enters the database: it is read once per process from the GeoJSON files
(BKG VG5000, see data/README_quellen.md) and joined to the facts by AGS.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import geopandas as gpd
import pandas as pd

from integra.config import GEO_DIR
from integra.topology import make as make_topology
from integra.vocab import ALL_BAVARIA

GEODATA_DATE = "2021-01-01"  # BKG VG5000 Stand
POPULATION_DATE = "2022-12-31"  # Destatis GV100AD, Gebietsstand 30.11.2023

ATTRIBUTION = (
    "Verwaltungsgrenzen: © GeoBasis-DE / BKG (2021), Daten verändert – Datenlizenz Deutschland – "
    "Namensnennung – Version 2.0 (https://www.govdata.de/dl-de/by-2-0), Link: http://www.bkg.bund.de. "
    "Einwohnerzahlen, Flächen, Namen: © Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys, "
    "Gebietsstand 30.11.2023, Daten verändert. "
    "Postleitzahlen: GeoNames (https://www.geonames.org), CC BY 4.0, Daten verändert."
)
# Short form for the map corner, linked to the full text on the Übersicht page.
MAP_ATTRIBUTION = (
    'Grenzen: © <a href="http://www.bkg.bund.de" target="_blank">GeoBasis-DE / BKG (2021)</a>, '
    'Daten verändert, <a href="https://www.govdata.de/dl-de/by-2-0" target="_blank">dl-de/by-2-0</a>; '
    "Einwohner: © Destatis (2023)"
)


def _read(name: str) -> gpd.GeoDataFrame:
    # Keys are text: AGS "09161" would lose its leading zero as a number.
    return gpd.read_file(GEO_DIR / name, engine="pyogrio")


@lru_cache(maxsize=1)
def kreise() -> gpd.GeoDataFrame:
    """96 Kreise (71 Landkreise, 25 kreisfreie Städte) with `ags`, `name_long`, `regbez`, population."""
    return _read("kreise_bayern.geojson")


@lru_cache(maxsize=1)
def kreis_centres() -> gpd.GeoSeries:
    """One point inside each Kreis (by AGS): where KIZ markers sit and distances are measured from."""
    return kreise().set_index("ags").geometry.representative_point()


@lru_cache(maxsize=1)
def kreis_centres_metric() -> gpd.GeoSeries:
    """`kreis_centres` in metres (ETRS89 / UTM 32N), for distances; projected once per process."""
    return kreis_centres().to_crs(25832)


@lru_cache(maxsize=1)
def regierungsbezirke() -> gpd.GeoDataFrame:
    """The 7 Regierungsbezirke with `code` ("091"…"097") and `name`."""
    return _read("regierungsbezirke_bayern.geojson")


@lru_cache(maxsize=1)
def gemeinden() -> gpd.GeoDataFrame:
    """2,230 polygons: 2,056 Gemeinden and 174 gemeindefreie Gebiete (`is_gemeinde` false)."""
    return _read("gemeinden_bayern.geojson")


_LAYERS = {
    "kreise": (kreise, "ags"),
    "gemeinden": (gemeinden, "ags"),
    "regierungsbezirke": (regierungsbezirke, "name"),
}


@lru_cache(maxsize=3)
def topology(layer: str) -> dict[str, Any]:
    """The TopoJSON of "kreise", "gemeinden" (ids: AGS) or "regierungsbezirke" (ids: names), made once
    per process (0.4 s for the Gemeinden); maps send subsets of it (`integra.topology.subset`)."""
    frame, key = _LAYERS[layer]
    return make_topology(frame(), key)


@lru_cache(maxsize=1)
def gazetteer() -> pd.DataFrame:
    """One point per Gemeinde (`lat`, `lon`), used to place partners known only by their town."""
    frame = pd.read_csv(GEO_DIR / "gemeinden_bayern_gazetteer.csv", dtype=str, keep_default_na=False)
    frame["lat"] = frame["lat"].astype(float)
    frame["lon"] = frame["lon"].astype(float)
    return frame


def bounds(regbez: str) -> list[list[float]]:
    """[[south, west], [north, east]] of Bavaria or one Regierungsbezirk, for `fit_bounds`."""
    frame = regierungsbezirke()
    if regbez != ALL_BAVARIA:
        frame = frame[frame["name"] == regbez]
    west, south, east, north = frame.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def preload() -> None:
    """Read every boundary file and the gazetteer into this process's caches (about 2 s), so the
    first visitor does not wait for it: the server calls this before it accepts connections."""
    for layer in _LAYERS:
        topology(layer)
    kreis_centres()
    gazetteer()
