"""Place a partner without internet: coordinates, else PLZ (+ Ort), else the Gemeinde name.

Everything runs on the gazetteers in `data/geo/` (GeoNames PLZ, Destatis/BKG Gemeinden).
Every result says how precise it is (`Adresse`, `PLZ`, `Gemeinde`); a place outside Bavaria
or a name that fits several Gemeinden is an error the user can fix, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd

from integra import geodata
from integra.config import GEO_DIR
from integra.textkeys import place_base_key, place_key

# Bavarian delivery PLZ start with 63…97; Großkunden-PLZ elsewhere are not street addresses here.
_BAVARIAN_PREFIXES = ("6", "8", "9")


class LocationError(ValueError):
    """The row cannot be placed; `column` names the field the user should fix."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Location:
    gemeinde_ags: str
    kreis_ags: str
    lat: float
    lon: float
    precision: str
    city: str
    warning: str | None = None


@lru_cache(maxsize=1)
def _gemeinden() -> pd.DataFrame:
    gaz = geodata.gazetteer()
    gaz = gaz[gaz["kind"] != "Gemeindefreies Gebiet"].copy()
    gaz["key"] = gaz["name"].map(place_key)
    gaz["base"] = gaz["name"].map(place_base_key)
    return gaz.set_index("ags", drop=False)


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    gaz = _gemeinden()
    return (gaz.groupby("key")["ags"].apply(list).to_dict(), gaz.groupby("base")["ags"].apply(list).to_dict())


@lru_cache(maxsize=1)
def _plz() -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    unique = pd.read_csv(GEO_DIR / "plz_bayern_unique.csv", dtype=str, keep_default_na=False)
    unique = unique[(unique["only_large_recipients"] == "False") | unique["plz"].str[0].isin(_BAVARIAN_PREFIXES)]
    places = pd.read_csv(GEO_DIR / "plz_bayern.csv", dtype=str, keep_default_na=False)
    by_place: dict[tuple[str, str], dict] = {}
    for rec in places.to_dict("records"):
        for name in (rec["place"], rec["gemeinde_name"]):
            by_place.setdefault((rec["plz"], place_key(name)), rec)
    return unique.set_index("plz").to_dict("index"), by_place


@lru_cache(maxsize=1)
def _polygons() -> dict[str, tuple[str, str]]:
    """AGS -> (name, Kreis AGS) for every polygon, gemeindefreie Gebiete included."""
    frame = geodata.gemeinden()
    return dict(zip(frame["ags"], zip(frame["name"], frame["kreis_ags"], strict=True), strict=True))


def _gemeinde(ags: str, lat: float, lon: float, precision: str, warning: str | None = None) -> Location:
    name, kreis_ags = _polygons()[ags]
    return Location(ags, kreis_ags, round(float(lat), 5), round(float(lon), 5), precision, name, warning)


def by_name(city: str) -> Location:
    """The Gemeinde called `city` at its gazetteer point; ambiguous or unknown names raise."""
    exact, base = _names()
    candidates = exact.get(place_key(city)) or base.get(place_base_key(city)) or []
    if len(candidates) == 1:
        row = _gemeinden().loc[candidates[0]]
        return _gemeinde(candidates[0], row["lat"], row["lon"], "Gemeinde")
    if candidates:
        kreise = ", ".join(sorted(set(_gemeinden().loc[candidates, "kreis_name"])))
        raise LocationError("city", f"„{city}“ gibt es mehrmals in Bayern ({kreise}) – bitte PLZ angeben")
    raise LocationError("city", f"Gemeinde „{city}“ nicht in Bayern gefunden")


def by_plz(plz: str, city: str = "") -> Location:
    """The PLZ's place; with several Gemeinden under one PLZ the Ort decides."""
    digits = plz.strip()
    if not re.fullmatch(r"\d{5}", digits):
        raise LocationError("plz", f"PLZ „{plz}“ ist keine fünfstellige Postleitzahl")
    unique, by_place = _plz()
    if digits not in unique:
        raise LocationError("plz", f"PLZ {digits} liegt nicht in Bayern")
    if city:
        place = by_place.get((digits, place_key(city)))
        if place is not None:
            return _gemeinde(place["gemeinde_ags"], float(place["lat"]), float(place["lon"]), "PLZ")
    rec = unique[digits]
    warning = None
    if int(rec["n_gemeinden"]) > 1:
        warning = f"PLZ {digits} umfasst {rec['n_gemeinden']} Gemeinden; gewählt: {rec['gemeinde_name']}"
    elif city and place_key(city) not in (place_key(rec["gemeinde_name"]), place_base_key(rec["gemeinde_name"])):
        warning = f"Ort „{city}“ passt nicht zur PLZ {digits} ({rec['gemeinde_name']}); PLZ verwendet"
    return _gemeinde(rec["gemeinde_ags"], float(rec["lat"]), float(rec["lon"]), "PLZ", warning)


# VG5000 borders are generalised: real addresses at the state border (Lindau, Bodensee) can
# fall a little outside. Points this close to a Gemeinde polygon are assigned to it, with a note.
BORDER_TOLERANCE_M = 3000


@lru_cache(maxsize=1)
def _polygons_metric() -> gpd.GeoDataFrame:
    """Gemeinde polygons in UTM 32N (metres), for the border tolerance."""
    return geodata.gemeinden()[["ags", "geometry"]].to_crs(25832)


def gemeinden_at(lats: list[float], lons: list[float]) -> list[tuple[str | None, bool]]:
    """(AGS of the Gemeinde containing each point, or the nearest within tolerance; whether it was snapped).

    One spatial join for all points; (None, False) means outside Bavaria.
    """
    if not lats:
        return []
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")
    polygons = geodata.gemeinden()[["ags", "geometry"]]
    inside = gpd.sjoin(points, polygons, how="left", predicate="within")
    inside = inside[~inside.index.duplicated(keep="first")].sort_index()["ags"]
    result = [(None if pd.isna(a) else a, False) for a in inside.to_numpy(dtype=object)]
    outside = [i for i, (ags, _) in enumerate(result) if ags is None]
    if outside:
        near = gpd.sjoin_nearest(
            points.iloc[outside].to_crs(25832), _polygons_metric(), how="left", max_distance=BORDER_TOLERANCE_M
        )
        near = near[~near.index.duplicated(keep="first")]["ags"]
        for i, ags in near.items():
            if not pd.isna(ags):
                result[i] = (ags, True)
    return result


def by_point(lat: float, lon: float, found: tuple[str | None, bool]) -> Location:
    """A located point; `found` comes from `gemeinden_at`. Gemeindefreie Gebiete count to their Kreis."""
    ags, snapped = found
    if ags is None or not (np.isfinite(lat) and np.isfinite(lon)):
        raise LocationError("lat", f"Koordinaten {lat:.5f}, {lon:.5f} liegen nicht in Bayern")
    warning = None
    if snapped:
        warning = (
            f"Punkt liegt knapp außerhalb der vereinfachten Grenzen; nächste Gemeinde {_polygons()[ags][0]} zugeordnet"
        )
    return _gemeinde(ags, lat, lon, "Adresse", warning)
