"""The shared filters and the switches that set them: sidebar, presentation header, phone.

Filter widgets are bound to the URL query string (`?regbez=Oberfranken&typ=AWO`), so a copied link
reproduces the view and the filter follows the user from page to page. Switches outside the
sidebar (projector header, phone) set the same session keys, so there is one truth per filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from integra.config import BASEMAPS, default_basemap
from integra.formatting import clip, md_text
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE, MapView
from integra.vocab import (
    ALL_BAVARIA,
    CONCEPT_STATUSES,
    INITIATIVE_STATUSES,
    PARTNER_TYPES,
    REGIERUNGSBEZIRKE,
    status_label,
)
from integra.web.mapframe import ROUTE_PREFIX


@dataclass(frozen=True)
class Filters:
    """The sidebar choices every page applies."""

    regbez: str
    partner_types: tuple[str, ...]
    statuses: tuple[str, ...]
    initiative_statuses: tuple[str, ...] = INITIATIVE_STATUSES  # motions (Anträge) shown by their state


_URL_LABELS = {
    "regbez": "Regierungsbezirk",
    "typ": "Partnertyp",
    "status": "Konzeptstatus",
    "ebene": "Flächen",
    "karte": "Hintergrund",
    "steckbrief": "Steckbrief-Kreis",
    "ags": "Gebiet",
    "initiative": "Anträge (Stand)",
    "partner": "Partner",
    "antrag": "Antragsentwurf",
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
    "": ("regbez", "typ", "status", "initiative"),  # the start page (Übersicht)
    "karte": ("regbez", "typ", "status", "initiative"),
    "partner": ("regbez", "typ"),
    "luecken": ("regbez", "status", "initiative"),  # the partner gap tab has its own single-type choice
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


def _all_chosen(label: str, options: Iterable[str], key: str, placeholder: str) -> list[str]:
    """A shared filter of several values: all chosen at first, the choice kept in the address under `key`."""
    return st.multiselect(
        label, list(options), default=list(options), key=key, bind="query-params", placeholder=placeholder
    )


def sidebar_filters(page: str) -> Filters:
    """The shared filters (rendered by app.py before the page runs), shown where `page` applies them."""
    url_note(
        {
            "regbez": (ALL_BAVARIA, *REGIERUNGSBEZIRKE),
            "typ": PARTNER_TYPES,
            "status": tuple(_STATUS_OF),
            "ebene": (LEVEL_KREISE, LEVEL_GEMEINDEN),
            "karte": BASEMAPS,
            "initiative": INITIATIVE_STATUSES,
        }
    )  # one note for the whole address
    shown_here = PAGE_FILTERS.get(page, ())
    hidden = [f".st-key-filter_{name}" for name in ("regbez", "typ", "status", "initiative") if name not in shown_here]
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
            types = _all_chosen("Partnertypen", PARTNER_TYPES, "typ", "Alle Typen abgewählt")
        with st.container(key="filter_status"):
            st.pills(
                "Konzeptstatus – Schnellwahl", list(STATUS_PRESETS), key="status_preset", on_change=_apply_status_preset
            )
            labels = _all_chosen("Konzeptstatus", _STATUS_OF, "status", "Alle Status abgewählt")
        with st.container(key="filter_initiative"):
            motions = _all_chosen("Anträge (Stand)", INITIATIVE_STATUSES, "initiative", "Alle Stände abgewählt")
    return Filters(
        regbez=regbez,
        partner_types=tuple(types),
        statuses=tuple(_STATUS_OF[label] for label in labels),
        initiative_statuses=tuple(motions),
    )


def current_filters() -> Filters:
    """The filter values of this run, as set by `sidebar_filters` in app.py."""
    state = st.session_state
    return Filters(
        regbez=state.get("regbez", ALL_BAVARIA),
        partner_types=tuple(state.get("typ", PARTNER_TYPES)),
        statuses=tuple(_STATUS_OF[label] for label in state.get("status", _STATUS_OF)),
        initiative_statuses=tuple(state.get("initiative", INITIATIVE_STATUSES)),
    )


PRESENTATION = "praesentation"


# The map frame takes the rest of the screen below the one-line header, on 720p and 1080p alike
# (a fixed 820 px ran off a 720p projector); the map inside fills the frame (maps.PRESENTATION_CSS).
# Hint lines above the map raise --integra-above-map (presentation_room_for).
PRESENTATION_HEADER_PX = 96
PRESENTATION_LINE_PX = 40  # one caption line and the gap below it
_PRESENTATION_CSS = f"""<style>
.block-container {{padding: 0.4rem 1rem 0 1rem; max-width: 100%;}}
header[data-testid="stHeader"] {{height: 0; min-height: 0;}}
iframe[src*="{ROUTE_PREFIX}"] {{
  height: calc(100vh - var(--integra-above-map, {PRESENTATION_HEADER_PX}px)) !important;
}}
/* st.iframe's box keeps the frame's 640 px otherwise, and the footer was drawn over the map */
[data-testid="stElementContainer"]:has(> iframe[src*="{ROUTE_PREFIX}"]) {{height: auto !important;}}
</style>"""


def presentation_room_for(lines: int) -> None:
    """Shrink the presenting map frame by `lines` caption lines shown above it, so it still ends on screen."""
    st.html(f"<style>:root {{--integra-above-map: {PRESENTATION_HEADER_PX + lines * PRESENTATION_LINE_PX}px;}}</style>")


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
        regbez=filters.regbez,
        statuses=filters.statuses,
        partner_types=filters.partner_types,
        initiative_statuses=filters.initiative_statuses,
        basemap=current_basemap(),
    )


def area_caption(filters: Filters) -> str:
    return "ganz Bayern" if filters.regbez == ALL_BAVARIA else f"Regierungsbezirk {filters.regbez}"
