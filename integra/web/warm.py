"""What the server does when it starts, so that its first visitor is not slower than the next one.

Measured with `benchmarks/race.py`: the first visit after a start took 1.7–1.9 × as long as later
ones. Importing the pages' modules (pandas, folium, SQLAlchemy, Alembic, …) cost 1.5 s in the
first visitor's script run, and building the Karte of all Bavaria another 0.3–0.7 s per view.
`server.py` therefore starts a thread that imports everything and builds the start views of the
Karte (the same documents the page asks the map cache for) as soon as Streamlit's runtime exists.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
import time

from streamlit import runtime

import integra
from integra.config import BASEMAPS
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE, MapView

log = logging.getLogger("integra")
PREPARED = "Server vorbereitet: Module geladen, Startansichten der Karte gebaut"
RUNTIME_WAIT = 60  # seconds; Streamlit creates its runtime right after the server's start-up hooks


def import_everything() -> None:
    """Import every module of `integra` (the pages import them on their first run otherwise)."""
    for package in (integra, importlib.import_module("integra.web")):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)


def _prepare() -> None:
    deadline = time.monotonic() + RUNTIME_WAIT
    while not runtime.exists():
        if time.monotonic() > deadline:
            log.warning("Streamlit-Laufzeit fehlt: Karten nicht vorab gebaut")
            return
        time.sleep(0.05)
    started = time.perf_counter()
    try:
        import_everything()
        # Imported here, not at the top: server.py imports this module before the runtime exists.
        from integra.web import data, mapview, serving

        serving.install()  # the server's log and the refusal of clients' cache clearing, from now on
        data.warm_up()
        key = data.store_key()
        for level in (LEVEL_KREISE, LEVEL_GEMEINDEN):
            for basemap in BASEMAPS:
                mapview.prebuild(key, MapView(level=level, basemap=basemap))
        log.info("%s in %.1f s", PREPARED, time.perf_counter() - started)
    except Exception:  # a missing or old database: the pages say so in German on the first visit
        log.warning("Karten nicht vorab gebaut", exc_info=True)


def prepare_in_background() -> threading.Thread:
    """Import everything, then build the Karte of all Bavaria (default filters, each level and basemap)
    while visitors may already come (a visitor asking for a view being built waits for it)."""
    thread = threading.Thread(target=_prepare, name="integra-prepare", daemon=True)
    thread.start()
    return thread
