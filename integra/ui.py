"""Streamlit building blocks shared by all pages: cached store access, filters, footer.

Pages stay thin: they lay out widgets and call these helpers and `integra.queries`.
Filter widgets are bound to the URL query string (`?regbez=Oberfranken&typ=AWO`), so a
copied link reproduces the view and the filter follows the user from page to page.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from streamlit.delta_generator import DeltaGenerator

from integra import cards, export, factsheet, gaps, geodata, mapframe, maps, queries
from integra.config import BASEMAPS, database_url, default_basemap
from integra.formatting import clip, local_stamp, local_time, md_text, short_name, shown
from integra.mapframe import MapFrame
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE, MapData, MapView
from integra.store import data_token, head_revision, make_engine, schema_revision
from integra.vocab import ALL_BAVARIA, CONCEPT_STATUSES, PARTNER_TYPES, REGIERUNGSBEZIRKE, status_label

CACHE_SECONDS = 300
log = logging.getLogger("integra")


@dataclass(frozen=True)
class Filters:
    """The sidebar choices every page applies."""

    regbez: str
    partner_types: tuple[str, ...]
    statuses: tuple[str, ...]


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


REGBEZ_NOTE = "Immer alle sieben Regierungsbezirke und alle Partnertypen, zum Vergleich – unabhängig vom Filter."


def regbez_table() -> pd.DataFrame:
    """The one per-Regierungsbezirk table (all seven and Bayern gesamt, whatever the filter)."""
    return _cached(store_key(), "regbez_table")


def kreise(filters: Filters) -> pd.DataFrame:
    return _cached(store_key(), "kreise", filters.regbez)


def partners(filters: Filters) -> pd.DataFrame:
    return _cached(store_key(), "partners", filters.regbez, filters.partner_types)


def _map_data(key: StoreKey, view: MapView) -> MapData:
    return MapData(
        kreise=_cached(key, "kreise", view.regbez),
        partners=_cached(key, "partners", view.regbez, view.partner_types),
        centres=_cached(key, "kiz", view.regbez),
        gemeinden=_cached(key, "gemeinden", view.regbez) if view.level == LEVEL_GEMEINDEN else None,
        structures=_cached(key, "structures"),
    )


def map_data(view: MapView) -> MapData:
    """The facts one map view draws (each query cached by data token)."""
    return _map_data(store_key(), view)


# A frame is immutable, so the resource cache hands out the same object without copying. No
# time limit: the data token in the key already retires frames of old data, and a projector
# left on one view for an hour should not pay a rebuild when the next district is chosen.
# Bounded instead by count: 32 views of 0.5–5 MB each.
@st.cache_resource(max_entries=32, show_spinner=False)
def _map_frame(key: StoreKey, view: MapView) -> MapFrame:
    log.info("Karte gebaut: %s, %s", view.regbez, view.level)  # how often, is visible in the server log
    # The map lives in the component's frame (<base>/component/<name>/index.html): two levels up is the app.
    return mapframe.frame_of(
        maps.build_map(view, _map_data(key, view), steckbrief_href=lambda name: "../../" + steckbrief_href(name))
    )


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _empty_map_hint(key: StoreKey, view: MapView) -> str | None:
    """Why the map of this view colours nothing, or None; made once per view and data state, not per rerun."""
    if not view.statuses:
        return "Kein Konzeptstatus gewählt – die Karte zeigt nur die Grenzen. Status in der Seitenleiste wählen."
    data = _map_data(key, view)
    areas = data.gemeinden if view.level == LEVEL_GEMEINDEN and data.gemeinden is not None else data.kreise
    if areas["status"].isin(view.statuses).any():
        return None
    return (
        f"Keine {view.level} mit Konzeptstatus {', '.join(f'„{status_label(s)}“' for s in view.statuses)} in "
        f"{'Bayern' if view.regbez == ALL_BAVARIA else view.regbez} – die Karte zeigt nur die Grenzen."
    )


def show_map(view: MapView, height: int) -> None:
    """The map of this view; built once per view and data state, then sent from the cache.

    A filter that leaves nothing to colour still gets the framed map of the Regierungsbezirk,
    with a German hint above it saying why it is empty.
    """
    key = store_key()
    if hint := _empty_map_hint(key, view):
        st.info(hint)
    if not view.partner_types:
        st.caption("Keine Partnertypen gewählt – Partner sind ausgeblendet.")
    mapframe.show(_map_frame(key, view), key="karte", height=height)


_GEMEINDE_COLUMNS = {"name": "Gemeinde", "kind": "Art", "status": "Konzept", "title": "Titel", "year": "Jahr"}


def map_table(view: MapView) -> None:
    """„Tabelle statt Karte“ under the map: the areas it colours, for screen readers, keyboards and
    anyone who cannot tell the colours apart."""
    data = map_data(view)
    with st.expander("Tabelle statt Karte"):
        if view.level == LEVEL_GEMEINDEN and data.gemeinden is not None:
            frame = data.gemeinden[data.gemeinden["status"].isin(view.statuses)]
            frame = frame.assign(status=frame["status"].map(status_label), year=frame["year"].astype("Int64"))
            table(
                frame[list(_GEMEINDE_COLUMNS)].rename(columns=_GEMEINDE_COLUMNS),
                "map_table",
                empty="Keine Gemeinde im Filter.",
            )
        else:
            table(
                queries.kreis_display(data.kreise, view.statuses),
                "map_table",
                links=["Quelle"],
                empty="Kein Kreis im Filter.",
            )


_URL_LABELS = {
    "regbez": "Regierungsbezirk",
    "typ": "Partnertyp",
    "status": "Konzeptstatus",
    "ebene": "Flächen",
    "karte": "Hintergrund",
    "steckbrief": "Steckbrief-Kreis",
}


def url_note(allowed: Mapping[str, Sequence[str]]) -> None:
    """A visible German note when the address carries values no widget offers (a mistyped or old link).

    The widgets fall back to their defaults by themselves; the note says so, instead of leaving
    the visitor to wonder why the link shows something else.
    """
    unknown = [
        f"{_URL_LABELS[key]} „{md_text(clip(value, 40))}“"
        for key, options in allowed.items()
        for value in st.query_params.get_all(key)
        if value and value not in options
    ]
    if unknown:
        st.info(
            f"Die Adresse enthält unbekannte Werte, sie werden nicht verwendet: {', '.join(unknown[:5])}"
            f"{' …' if len(unknown) > 5 else ''}. Gezeigt wird stattdessen die Standardauswahl."
        )


# The shared filters each page applies (by url_path); the others are hidden there, not dropped, so a
# choice made on Karte still holds when the visitor comes back from Hochladen.
PAGE_FILTERS = {
    "": ("regbez", "typ", "status"),  # the start page (Übersicht)
    "karte": ("regbez", "typ", "status"),
    "partner": ("regbez", "typ"),
    "luecken": ("regbez", "status"),  # the partner gap tab has its own single-type choice
}
# The status filter offers the glossary's words ("kein Konzept"), and the address carries them too:
# a bound widget keeps its options' labels in the URL.
_STATUS_OF = {status_label(status): status for status in CONCEPT_STATUSES}
STATUS_PRESETS = {
    "alle": tuple(_STATUS_OF),
    "mit Konzept": (status_label("vorhanden"),),
    "ohne Konzept": tuple(label for label, status in _STATUS_OF.items() if status != "vorhanden"),
}


def _apply_status_preset() -> None:
    """A preset sets the status filter in one click (it took three chip removals) and then lets go."""
    if preset := st.session_state.get("status_preset"):
        st.session_state["status"] = list(STATUS_PRESETS[preset])
    st.session_state["status_preset"] = None


def sidebar_filters(page: str) -> Filters:
    """The shared filters (rendered by app.py before the page runs), shown where `page` applies them."""
    url_note(
        {
            "regbez": (ALL_BAVARIA, *REGIERUNGSBEZIRKE),
            "typ": PARTNER_TYPES,
            "status": tuple(_STATUS_OF),
            "ebene": (LEVEL_KREISE, LEVEL_GEMEINDEN),
            "karte": BASEMAPS,
        }
    )  # one note for the whole address
    shown_here = PAGE_FILTERS.get(page, ())
    hidden = [f".st-key-filter_{name}" for name in ("regbez", "typ", "status") if name not in shown_here]
    if hidden:
        st.html(f"<style>{', '.join(hidden)} {{display: none;}}</style>")
    with st.sidebar:
        if shown_here:
            st.header("Filter")
        with st.container(key="filter_regbez"):
            regbez = st.selectbox(
                "Regierungsbezirk", (ALL_BAVARIA, *REGIERUNGSBEZIRKE), key="regbez", bind="query-params"
            )
        with st.container(key="filter_typ"):
            types = st.multiselect(
                "Partnertypen",
                PARTNER_TYPES,
                default=list(PARTNER_TYPES),
                key="typ",
                bind="query-params",
                placeholder="Alle Typen abgewählt",
            )
        with st.container(key="filter_status"):
            st.pills(
                "Konzeptstatus – Schnellwahl", list(STATUS_PRESETS), key="status_preset", on_change=_apply_status_preset
            )
            labels = st.multiselect(
                "Konzeptstatus",
                list(_STATUS_OF),
                default=list(_STATUS_OF),
                key="status",
                bind="query-params",
                placeholder="Alle Status abgewählt",
            )
    return Filters(regbez=regbez, partner_types=tuple(types), statuses=tuple(_STATUS_OF[label] for label in labels))


def current_filters() -> Filters:
    """The filter values of this run, as set by `sidebar_filters` in app.py."""
    state = st.session_state
    return Filters(
        regbez=state.get("regbez", ALL_BAVARIA),
        partner_types=tuple(state.get("typ", PARTNER_TYPES)),
        statuses=tuple(_STATUS_OF[label] for label in state.get("status", _STATUS_OF)),
    )


# Page-wide look: captions at 7:1 instead of Streamlit's 4.2:1 grey, headings that hyphenate (German
# with lang="de") instead of breaking mid-word on a phone, and wide tables as cards on a phone.
_PAGE_CSS = """<style>
[data-testid="stCaptionContainer"] {color: #3d4852;}
h1, h2, h3 {hyphens: auto; -webkit-hyphens: auto; overflow-wrap: break-word;}
@media (max-width: 640px) {
  h1 {font-size: 1.75rem !important;}  /* "Integrationslandkarte" broke mid-word at 44 px */
  [data-testid="stExpandSidebarButton"]::after {content: "Menü"; margin-left: 4px; font-weight: 600;}
}
.integra-cards {display: none;}
.integra-card {border: 1px solid #c9d1d8; border-radius: 6px; padding: 8px 10px; margin: 0 0 8px; font-size: 15px;
               line-height: 1.45; overflow-wrap: anywhere;}
.integra-card span {color: #3d4852;}
@media (max-width: 640px) {
  [class*="st-key-cards_"] [data-testid="stDataFrame"] {display: none;}
  [class*="st-key-cards_"] .integra-cards {display: block;}
}
</style>"""


def page_style() -> None:
    """Once per page run (app.py)."""
    st.html(_PAGE_CSS)


PRESENTATION = "praesentation"
# The map frame takes the rest of the screen below the one-line header, on 720p and 1080p alike
# (a fixed 820 px ran off a 720p projector); the map inside fills the frame (maps.PRESENTATION_CSS).
_PRESENTATION_CSS = """<style>
.block-container {padding: 0.4rem 1rem 0 1rem; max-width: 100%;}
header[data-testid="stHeader"] {height: 0; min-height: 0;}
iframe[src*="streamlit_folium.st_folium"] {height: calc(100vh - 96px) !important;}
</style>"""


def presentation_mode() -> bool:
    """`?praesentation=1` in the URL: the projector view (read before the page config is set)."""
    return st.query_params.get(PRESENTATION) == "1"


def _switch_presentation() -> None:
    """Toggle `?praesentation=1`; every other filter stays in the URL, so the view survives the switch."""
    if presentation_mode():
        del st.query_params[PRESENTATION]
    else:
        st.query_params[PRESENTATION] = "1"


def _follow(header_key: str, filter_key: str) -> None:
    """A header switch sets the shared filter (its widget, bound to the address, follows on the rerun)."""
    st.session_state[filter_key] = st.session_state[header_key]


def presentation_header(caption: str) -> None:
    """Instead of the page title: one line with the view, Regierungsbezirk and Ebene switches, and a way back.

    The sidebar is collapsed while presenting, so the switches a speaker needs sit in the header.
    """
    st.html(_PRESENTATION_CSS)
    title, regbez, level, end = st.columns([5, 2.2, 1.8, 1.4], vertical_alignment="center")
    title.markdown(f"#### {caption}")
    _view_switches("praes", regbez, level)
    end.button("Präsentation beenden", on_click=_switch_presentation, key="end_presentation")


def _view_switches(prefix: str, regbez: DeltaGenerator, level: DeltaGenerator | None) -> None:
    """Regierungsbezirk (and Ebene) outside the sidebar, following and setting the shared filters."""
    st.session_state[f"{prefix}_regbez"] = st.session_state.get("regbez", ALL_BAVARIA)
    regbez.selectbox(
        "Regierungsbezirk",
        (ALL_BAVARIA, *REGIERUNGSBEZIRKE),
        key=f"{prefix}_regbez",
        label_visibility="collapsed",
        on_change=_follow,
        args=(f"{prefix}_regbez", "regbez"),
    )
    if level is not None:
        st.session_state[f"{prefix}_ebene"] = st.session_state.get("ebene", LEVEL_KREISE)
        level.segmented_control(
            "Ebene",
            (LEVEL_KREISE, LEVEL_GEMEINDEN),
            key=f"{prefix}_ebene",
            label_visibility="collapsed",
            on_change=_follow,
            args=(f"{prefix}_ebene", "ebene"),
        )


# Only on a phone (the sidebar covered 77 % of the screen and stayed open after a choice).
_PHONE_CSS = """<style>
.st-key-phone_switches {display: none;}
@media (max-width: 640px) {.st-key-phone_switches {display: flex;}}
</style>"""


def phone_switches(level: bool) -> None:
    """Above the map on a phone: the Regierungsbezirk (and on Karte the Ebene), so nobody needs the sidebar."""
    st.html(_PHONE_CSS)
    with st.container(key="phone_switches"):
        columns = st.columns(2 if level else 1, vertical_alignment="center")
        _view_switches("phone", columns[0], columns[1] if level else None)


def map_switches() -> tuple[str, str, bool]:
    """Karte-only sidebar switches: area level, basemap, presentation mode."""
    with st.sidebar:
        st.header("Karte")
        level = st.radio("Flächen", (LEVEL_KREISE, LEVEL_GEMEINDEN), key="ebene", bind="query-params", horizontal=True)
        default = default_basemap()
        basemap = st.radio(
            "Hintergrund",
            BASEMAPS,
            index=BASEMAPS.index(default),
            key="karte",
            bind="query-params",
            help="„ohne Hintergrundkarte“ lädt nichts aus dem Internet.",
        )
        st.toggle(
            "Präsentationsmodus (Beamer)",
            value=presentation_mode(),
            key="praesentation_toggle",
            on_change=_switch_presentation,
            help="Seitenleiste zu, Karte über die ganze Breite, große Legende.",
        )
        large = presentation_mode()
    return level, basemap, large


def current_basemap() -> str:
    """The basemap of the address (`karte=…`, chosen on the Karte page), else the configured default."""
    chosen = st.query_params.get("karte")
    return chosen if chosen in BASEMAPS else default_basemap()


def overview_view(filters: Filters) -> MapView:
    """The start page's map: the Kreise of the chosen area under the shared filters."""
    return MapView(
        regbez=filters.regbez, statuses=filters.statuses, partner_types=filters.partner_types, basemap=current_basemap()
    )


def with_concept_line(filters: Filters) -> str:
    """'Mit Konzept (7): München, Augsburg, …' for the area – the answer a meeting asks for first."""
    frame = kreise(filters)
    names = sorted(short_name(n) for n in frame.loc[frame["status"] == "vorhanden", "name"])
    if not names:
        return "Mit Konzept: noch kein Kreis in diesem Gebiet (laut durchsuchten Quellen)."
    return md_text(f"Mit Konzept ({len(names)}): {', '.join(names)}")


def area_caption(filters: Filters) -> str:
    return "ganz Bayern" if filters.regbez == ALL_BAVARIA else f"Regierungsbezirk {filters.regbez}"


def data_stand() -> str:
    """'26.11.2026': the day of the last change in the store, the Stand printed on exported pictures."""
    changed = _cached(store_key(), "data_age").last_change
    return f"{local_time(changed):%d.%m.%Y}" if changed else ""


def footer() -> None:
    """Sources, licences and how old the data is; shown under every page."""
    age = _cached(store_key(), "data_age")
    checked = age.concepts_checked_to.strftime("%d.%m.%Y") if age.concepts_checked_to else "unbekannt"
    changed = f"{local_stamp(age.last_change)} Uhr" if age.last_change else "unbekannt"
    st.divider()
    st.caption(
        f"**Datenstand:** Recherche zu Konzepten geprüft am {checked}; letzte Änderung im Datenbestand {changed}; "
        f"Einwohnerzahlen Stand {pd.Timestamp(geodata.POPULATION_DATE):%d.%m.%Y}; "
        f"Verwaltungsgrenzen Stand {pd.Timestamp(geodata.GEODATA_DATE):%d.%m.%Y}. "
        "Jeder Eintrag nennt seine Quelle und deren Verlässlichkeit; „unbekannt“ heißt: in den durchsuchten "
        "Quellen nichts gefunden."
    )
    st.caption(geodata.ATTRIBUTION)


def partner_table(filters: Filters, search: str) -> pd.DataFrame:
    return queries.partner_display(partners(filters), search)


def kreis_table(filters: Filters) -> pd.DataFrame:
    return queries.kreis_display(kreise(filters), filters.statuses)


def kreis_options(regbez: str = ALL_BAVARIA) -> dict[str, str]:
    """Kreis name -> AGS (of one Regierungsbezirk or all), for choosers."""
    frame = _cached(store_key(), "kreise", regbez)
    return dict(zip(frame["name"], frame["ags"], strict=True))


CARD_COLUMNS = 3  # tables wider than this are shown as cards on a phone
PLAIN_NUMBERS = ("Jahr", "Rang", "Zeile", "Nr.")  # numbers that are names, not amounts: no digit grouping


def table(frame: pd.DataFrame, key: str, links: Sequence[str] = (), empty: str | None = None, **options: Any) -> None:
    """Every table of the app: no index, "–" for missing values, `links` as link columns, and the
    hint `empty` above it when a filter left no row."""
    if empty and frame.empty:
        st.info(empty)
    display = shown(frame, links)
    # German digit grouping and decimal comma where the browser is German ("141.029", "0,6"); years stay "2019".
    config = {
        column: st.column_config.NumberColumn(column, format="localized")
        for column in display.columns
        if pd.api.types.is_numeric_dtype(display[column])
        and not pd.api.types.is_bool_dtype(display[column])
        and column not in PLAIN_NUMBERS
    }
    config.update({column: st.column_config.LinkColumn(column) for column in links if column in frame.columns})
    config.update(options.pop("column_config", None) or {})
    if len(frame.columns) <= CARD_COLUMNS:  # narrow enough for a phone as it is
        st.dataframe(display, hide_index=True, key=key, column_config=config, **options)
        return
    with st.container(key=f"cards_{key}"):  # on a phone the cards replace the grid (_PAGE_CSS)
        st.dataframe(display, hide_index=True, key=key, column_config=config, **options)
        st.html(cards.cards_html(display, links))


def table_section(
    frame: pd.DataFrame, summary: str, stem: str, key: str, links: Sequence[str] = (), **options: Any
) -> None:
    """A list to take along: one line saying what it is, the table, and its CSV/Excel downloads."""
    if summary:
        st.write(summary)
    table(frame, f"{key}_table", links, **options)
    downloads(frame, stem, key)


def downloads(frame: pd.DataFrame, stem: str, key: str) -> None:
    """CSV (German Excel) and XLSX buttons for a table as shown; formula cells are made inert."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "CSV",
        export.frame_csv(frame),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "Excel",
        export.frame_xlsx(frame, stem),
        f"{stem}.xlsx",
        key=f"{key}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
    )


def kreis_figures(filters: Filters) -> pd.DataFrame:
    figures = _cached(store_key(), "kreis_figures", filters.regbez)
    return figures[figures["status"].isin(filters.statuses)]


def nearby_models(filters: Filters) -> pd.DataFrame:
    return _cached(store_key(), "nearby_models", filters.regbez)


STECKBRIEF = "steckbrief"  # ?steckbrief=<AGS>: the Kreis popup of the map links here


def steckbrief_href(kreis_name: str) -> str:
    """The address of the Lücken page with this Kreis's Steckbrief chosen, relative to a page of the app.

    A bound selectbox keeps its option's label in the address, so the Kreis is named there by name.
    """
    return f"luecken?{urlencode({STECKBRIEF: kreis_name})}"


STECKBRIEF_COLUMN = {"Steckbrief": st.column_config.LinkColumn("Steckbrief", display_text="Steckbrief (PDF)")}


def with_steckbrief_links(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of Kreise (`Kreis` holds the name) with a link to each one's Steckbrief; `ags` dropped."""
    return frame.drop(columns="ags").assign(Steckbrief=frame["Kreis"].map(steckbrief_href))


def factsheet_chooser() -> None:
    """Choose a Kreis (or arrive from a map popup with `?steckbrief=AGS`) and download its Steckbrief.

    All 96 Kreise are offered whatever the filter, so a link from the map of Bayern always works;
    the PDF is made when the button is pressed (the button is greyed out meanwhile).
    """
    kreise = kreis_options()
    url_note({STECKBRIEF: list(kreise)})
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    name = left.selectbox(
        "Kreis-Steckbrief (PDF, eine Seite A4)",
        list(kreise),
        index=None,
        key=STECKBRIEF,
        placeholder="Kreis oder kreisfreie Stadt wählen",
        bind="query-params",
    )
    right.download_button(
        "Steckbrief herunterladen",
        (lambda: factsheet.factsheet_pdf(engine(), kreise[name])) if name else b"",
        factsheet.file_name(name) if name else "steckbrief.pdf",
        "application/pdf",
        key="steckbrief_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        disabled=name is None,
    )


def map_exports(view: MapView) -> None:
    """Downloads of what the map shows: partner and Kreis tables, the map as offline HTML and as PNG.

    Files are only made when a button is pressed (callables), so the map page stays fast. No
    button reruns the page (`on_click="ignore"`): a rerun during the download replaced the
    deferred file, and the fourth or fifth click in a row delivered nothing (review L4).
    """
    data = map_data(view)
    stem = "bayern" if view.regbez == ALL_BAVARIA else view.regbez.lower()
    kreise = data.kreise[data.kreise["status"].isin(view.statuses)]
    with st.expander("Exportieren"):
        cols = st.columns(4)
        cols[0].download_button(
            "Partner CSV", lambda: export.to_csv(data.partners), f"partner_{stem}.csv", "text/csv", on_click="ignore"
        )
        cols[1].download_button(
            "Partner Excel",
            lambda: export.to_xlsx(data.partners),
            f"partner_{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
        )
        cols[2].download_button(
            "Partner GeoJSON",
            lambda: export.to_geojson(data.partners),
            f"partner_{stem}.geojson",
            "application/geo+json",
            on_click="ignore",
        )
        cols[3].download_button(
            "Kreise GeoJSON",
            lambda: export.areas_geojson(kreise),
            f"kreise_{stem}.geojson",
            "application/geo+json",
            on_click="ignore",
        )
        cols = st.columns(4)
        cols[0].download_button(
            "Kreise CSV",
            lambda: export.frame_csv(gaps.display(gaps.kreis_figures(engine(), view.regbez))),
            f"kreise_{stem}.csv",
            "text/csv",
            on_click="ignore",
        )
        cols[1].download_button(
            "Karte als HTML (offline)",
            lambda: maps.standalone_html(view, data),
            f"karte_{stem}.html",
            "text/html",
            on_click="ignore",
        )
        stand = data_stand()
        cols[2].download_button(
            "Karte als PNG (4:3)",
            lambda: maps.static_png(view, data, stand=stand),
            f"karte_{stem}.png",
            "image/png",
            on_click="ignore",
        )
        cols[3].download_button(
            "Karte als PNG (16:9)",
            lambda: maps.static_png(view, data, wide=True, stand=stand),
            f"karte_{stem}_16x9.png",
            "image/png",
            on_click="ignore",
        )
        st.caption(
            "Dateien entstehen beim Klick; Bilder und die HTML-Karte brauchen ein paar Sekunden, der Knopf ist "
            "so lange ausgegraut."
        )


def kiz_references() -> pd.DataFrame:
    """The NRW model references (Übersicht), read once per data state instead of on every rerun."""
    return _cached(store_key(), "kiz_references")


def centres_all() -> pd.DataFrame:
    return _cached(store_key(), "kiz", ALL_BAVARIA)


def key_figures(filters: Filters) -> queries.KeyFigures:
    return _cached(store_key(), "key_figures", filters.regbez, filters.partner_types)


def charts_data(filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Coverage per Regierungsbezirk, the cumulative timeline and the undated counts for the Lücken charts."""
    return _cached(store_key(), "charts", filters.regbez)


_FLASH = "meldung"


def saved(message: str) -> None:
    """Confirm a write after the rerun that shows its result (the new data token refreshes every table)."""
    st.session_state[_FLASH] = message
    st.rerun()


def flash() -> None:
    """The confirmation left by `saved`, once, as plain text (it may name a file or a Kreis)."""
    if message := st.session_state.pop(_FLASH, None):
        st.success(md_text(message))
