"""Settings read from the environment, with the defaults a fresh checkout needs.

One place decides where the database and the data files live, so pages, the command
line and tests all agree on them.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
GEO_DIR = DATA_DIR / "geo"
SEED_DIR = DATA_DIR / "seed"
SOURCES_DIR = DATA_DIR / "sources"

DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'integra.sqlite3'}"

BASEMAP_OSM = "OpenStreetMap"
BASEMAP_NONE = "ohne Hintergrundkarte"
BASEMAPS = (BASEMAP_OSM, BASEMAP_NONE)


def database_url() -> str:
    """The SQLAlchemy URL of the store: `INTEGRA_DATABASE_URL` or the embedded SQLite file."""
    return os.environ.get("INTEGRA_DATABASE_URL") or DEFAULT_DATABASE_URL


def default_basemap() -> str:
    """Basemap shown until the user picks one: `INTEGRA_BASEMAP` (`osm` or `ohne`).

    Meetings with no Wi-Fi set `INTEGRA_BASEMAP=ohne` so the map never waits for tiles.
    """
    value = os.environ.get("INTEGRA_BASEMAP", "osm").strip().lower()
    return BASEMAP_NONE if value in {"ohne", "none", "offline", BASEMAP_NONE.lower()} else BASEMAP_OSM
