"""The pages' reads of the store, cached by data state: one engine per URL, one cache for all queries.

Every accessor takes plain, hashable arguments and is keyed by `store_key()`, so a write anywhere
(another replica, the command line) retires every cached answer at the next rerun.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from integra import gaps, geodata, queries, reports
from integra.config import database_url
from integra.formatting import local_time
from integra.maps import LEVEL_GEMEINDEN, MapData, MapView
from integra.store import data_token, head_revision, make_engine, schema_revision
from integra.vocab import ALL_BAVARIA, PARTNER_TYPES
from integra.web.filters import Filters
from integra.web.links import melden_href, melden_partner_href

CACHE_SECONDS = 300


@st.cache_resource(show_spinner=False)
def warm_up() -> None:
    """Load the boundaries once per process, then hide everything alive so far from the garbage collector.

    Modules and geodata live as long as the process; with them in view, every full collection
    walked 300,000 objects and took 0.26 s, holding the GIL in the middle of somebody's rerun.
    After `gc.freeze()` a full collection takes milliseconds (see README, Performance).
    """
    geodata.preload()  # already done by server.py before the first visitor; AppTest and tests start here
    gc.freeze()


_ENGINES: dict[str, Engine] = {}


_ENGINES_LOCK = threading.Lock()


def _engine(url: str) -> Engine:
    """One engine (connection pool) per database URL for the life of the process.

    Deliberately not an `st.cache_resource`: clearing that cache dropped the engine without
    closing its connections (two file descriptors per clear, security review H2).
    """
    with _ENGINES_LOCK:
        if url not in _ENGINES:
            engine = make_engine(url)
            current, head = schema_revision(engine), head_revision()
            if current != head:  # the run command migrates; a page on an old schema would fail obscurely
                engine.dispose()
                st.error(
                    f"Die Datenbank hat Schema {current or 'keins'}, diese Version braucht {head}. "
                    "Bitte `python -m integra init` ausführen (oder `make run` neu starten) – vorhandene Daten "
                    "bleiben."
                )
                st.stop()
            _ENGINES[url] = engine
        return _ENGINES[url]


StoreKey = tuple[str, str]


def store_key() -> StoreKey:
    """(database URL, data token): cached answers are reused only while nobody wrote to the store.

    Checking the token costs one primary-key read per call; a write in any app process
    (another replica, the command line) changes it, so no replica shows stale data.
    """
    url = database_url()
    return url, data_token(_engine(url))


def engine() -> Engine:
    """One engine per database URL and server process."""
    return _engine(database_url())


def _charts(engine: Engine, regbez: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    timeline, undated = gaps.concepts_over_time(engine, regbez)
    return gaps.coverage_by_regbez(engine), timeline, undated


# Every store read of the pages, by name: each takes the engine first, then plain, hashable arguments.
QUERIES: dict[str, Callable[..., Any]] = {
    "kreise": queries.kreise,
    "gemeinden": queries.gemeinden,
    "partners": queries.partners,
    "kiz": queries.integration_centres,
    "structures": queries.structures,
    "data_age": queries.data_age,
    "key_figures": queries.key_figures,
    "kiz_references": queries.kiz_references,
    "regions": queries.editable_regions,
    "pending": reports.pending_by_region,
    "initiatives": queries.initiatives,
    "concept_statuses": queries.concept_statuses,
    "open_reports": lambda engine: reports.listed(engine, "pending", contact=True),
    "kreis_figures": gaps.kreis_figures,
    "nearby_models": gaps.nearby_models,
    "regbez_table": lambda engine: gaps.regbez_table(gaps.kreis_figures(engine)),
    "charts": _charts,
}


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _cached(key: StoreKey, query: str, *args: Any) -> Any:
    """One cache for all of QUERIES, keyed by data state, query name and arguments.

    Streamlit keys a cache by the decorated function and its arguments, so one generic wrapper
    must get the query's name as an argument; otherwise different queries would share entries.
    """
    return QUERIES[query](_engine(key[0]), *args)


def regbez_table() -> pd.DataFrame:
    """The one per-Regierungsbezirk table (all seven and Bayern gesamt, whatever the filter)."""
    return _cached(store_key(), "regbez_table")


def kreise(filters: Filters) -> pd.DataFrame:
    return _cached(store_key(), "kreise", filters.regbez)


def partners(filters: Filters) -> pd.DataFrame:
    return _cached(store_key(), "partners", filters.regbez, filters.partner_types)


def map_data(view: MapView, key: StoreKey | None = None) -> MapData:
    """The facts one map view draws, each query cached by data token (`key`: the caller's, if it has one)."""
    key = key or store_key()
    return MapData(
        kreise=_cached(key, "kreise", view.regbez),
        partners=_cached(key, "partners", view.regbez, view.partner_types),
        centres=_cached(key, "kiz", view.regbez),
        gemeinden=_cached(key, "gemeinden", view.regbez) if view.level == LEVEL_GEMEINDEN else None,
        structures=_cached(key, "structures"),
        pending=_cached(key, "pending"),
        initiatives=_cached(key, "initiatives", view.regbez),
    )


def data_age() -> queries.DataAge:
    """When the research was checked and the store last changed (footer, exported pictures)."""
    return _cached(store_key(), "data_age")


def data_stand() -> str:
    """'26.11.2026': the day of the last change in the store, the Stand printed on exported pictures."""
    changed = data_age().last_change
    return f"{local_time(changed):%d.%m.%Y}" if changed else ""


def partner_table(filters: Filters, search: str) -> pd.DataFrame:
    return queries.partner_display(partners(filters), search, melden_partner_href)


def kreis_table(filters: Filters) -> pd.DataFrame:
    return queries.kreis_display(kreise(filters), filters.statuses, melden_href)


def kreis_options(regbez: str = ALL_BAVARIA) -> dict[str, str]:
    """Kreis name -> AGS (of one Regierungsbezirk or all), for choosers."""
    frame = _cached(store_key(), "kreise", regbez)
    return dict(zip(frame["name"], frame["ags"], strict=True))


def kreis_figures(filters: Filters) -> pd.DataFrame:
    figures = _cached(store_key(), "kreis_figures", filters.regbez)
    return figures[figures["status"].isin(filters.statuses)]


def nearby_models(filters: Filters) -> pd.DataFrame:
    return _cached(store_key(), "nearby_models", filters.regbez)


def pending() -> dict[str, int]:
    """Visitors' reports waiting for review, per AGS (counts only)."""
    return _cached(store_key(), "pending")


def open_reports() -> list[dict]:
    """The editors' review queue (newest first); every tab of Redaktion renders on each rerun, so cached."""
    return _cached(store_key(), "open_reports")


def all_partners() -> pd.DataFrame:
    """Every partner, whatever the filters (the report form offers each one for a correction)."""
    return _cached(store_key(), "partners", ALL_BAVARIA, PARTNER_TYPES)


def regions() -> dict[str, str]:
    """Every Kreis and Gemeinde as chooser label -> AGS (the same for all visitors, so cached)."""
    return _cached(store_key(), "regions")


def kiz_references() -> pd.DataFrame:
    """The NRW model references (Übersicht), read once per data state instead of on every rerun."""
    return _cached(store_key(), "kiz_references")


def concept_statuses() -> dict[str, str]:
    """The stored concept status per AGS (Redaktion's offers after a decided motion)."""
    return _cached(store_key(), "concept_statuses")


def initiatives(filters: Filters) -> pd.DataFrame:
    """The motions of the area in the chosen states (`?initiative=…`)."""
    motions = _cached(store_key(), "initiatives", filters.regbez)
    return motions[motions["status"].isin(filters.initiative_statuses)]


def initiatives_all() -> pd.DataFrame:
    """Every motion on its way, newest first (Redaktion, Übersicht)."""
    return _cached(store_key(), "initiatives", ALL_BAVARIA)


def centres_all() -> pd.DataFrame:
    return _cached(store_key(), "kiz", ALL_BAVARIA)


def key_figures(filters: Filters) -> queries.KeyFigures:
    return _cached(store_key(), "key_figures", filters.regbez, filters.partner_types)


def charts_data(filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Coverage per Regierungsbezirk, the cumulative timeline and the undated counts for the Lücken charts."""
    return _cached(store_key(), "charts", filters.regbez)
