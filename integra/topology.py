"""Boundaries as TopoJSON: every shared border stored once, coordinates as small quantised integers.

The map sends its polygons to the browser in this form (decoded there by the vendored
`topojson-client`): Kreise 217 → 69 KB, Gemeinden 1.1 MB → 0.53 MB. Two neighbours use the
same arc, so their border stays identical after quantisation and no gap can open between them.
A topology is made once per process for all of Bavaria (`geodata.topology`); a view takes the
subset of its areas with only the arcs those use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import topojson

# 1e5 steps across Bavaria's 4.9° × 3.3°: about 4 m, far finer than the 1:5,000,000 generalisation.
QUANTISATION = 100_000
OBJECT = "areas"


def make(frame: gpd.GeoDataFrame, key: str) -> dict[str, Any]:
    """The topology of `frame`'s polygons under the object "areas", each geometry with `id` = its `key`."""
    topology = topojson.Topology(frame[[key, "geometry"]], prequantize=QUANTISATION, object_name=OBJECT).to_dict()
    for geometry in topology["objects"][OBJECT]["geometries"]:
        geometry["id"] = geometry.pop("properties")[key]
    topology.pop("bbox", None)  # the map fits its own bounds
    return topology


def _arc_lists(geometry: dict[str, Any]) -> Iterable[list[int]]:
    """The rings (lists of arc indices) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        yield from geometry["arcs"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["arcs"]:
            yield from polygon


def _renumbered(arcs: Any, new: dict[int, int]) -> Any:
    """The nested arc lists with every index replaced; ~i (a reversed arc) stays reversed."""
    if isinstance(arcs, list):
        return [_renumbered(item, new) for item in arcs]
    return new[arcs] if arcs >= 0 else ~new[~arcs]


def subset(topology: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """The geometries of `keys` in that order, without ids, and only the arcs they use (renumbered).

    The browser pairs the n-th geometry with the n-th row of the layer, so ids need not travel.
    """
    by_key = {geometry["id"]: geometry for geometry in topology["objects"][OBJECT]["geometries"]}
    chosen = [by_key[key] for key in keys]
    new: dict[int, int] = {}
    for geometry in chosen:
        for ring in _arc_lists(geometry):
            for index in ring:
                new.setdefault(index if index >= 0 else ~index, len(new))
    old_arcs = topology["arcs"]
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {
            OBJECT: {
                "type": "GeometryCollection",
                "geometries": [{"type": g["type"], "arcs": _renumbered(g["arcs"], new)} for g in chosen],
            }
        },
        "arcs": [old_arcs[old] for old in new],  # dicts keep insertion order: new index = position
    }
