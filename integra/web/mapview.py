"""The map on a page: the cached frame, the hint when a filter leaves it empty, its table and exports."""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from integra import export, gaps, maps, queries
from integra.labels import labelled
from integra.maps import LEVEL_GEMEINDEN, MapView
from integra.vocab import ALL_BAVARIA, status_label
from integra.web import filters, mapframe
from integra.web.data import CACHE_SECONDS, StoreKey, data_stand, engine, map_data, store_key
from integra.web.links import antrag_href, melden_href, melden_partner_href, steckbrief_href
from integra.web.mapframe import MapDocument
from integra.web.widgets import table

log = logging.getLogger("integra")
# The map lives in its own document (<base>/_integra/karte/<hash>.html): two levels up is the app.
_APP_LINKS = maps.AppLinks(
    steckbrief=lambda name: "../../" + steckbrief_href(name),
    melden=lambda ags: "../../" + melden_href(ags),
    partner=lambda partner_id: "../../" + melden_partner_href(partner_id),
    antrag=lambda ags: "../../" + antrag_href(ags),
)


# A document is immutable, so the resource cache hands out the same object without copying. No
# time limit: the data token in the key already retires frames of old data, and a projector
# left on one view for an hour should not pay a rebuild when the next district is chosen.
# Bounded instead by count: 32 views of 0.5–5 MB each.
@st.cache_resource(max_entries=32, show_spinner=False)
def _map_document(key: StoreKey, view: MapView) -> MapDocument:
    log.info("Karte gebaut: %s, %s", view.regbez, view.level)  # how often, is visible in the server log
    return mapframe.document_of(maps.build_map(view, map_data(view, key), links=_APP_LINKS))


def prebuild(key: StoreKey, view: MapView) -> None:
    """Put the document of `view` into the map cache before anybody asks (the server's start views, `warm`)."""
    mapframe.publish(_map_document(key, view))


def rebuild(view: MapView) -> MapDocument:
    """The document of `view` for the data this process sees now, published (`maproutes`, outside a page)."""
    document = _map_document(store_key(), view)
    mapframe.publish(document)
    return document


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _empty_map_hint(key: StoreKey, view: MapView) -> str | None:
    """Why the map of this view colours nothing, or None; made once per view and data state, not per rerun."""
    if not view.statuses:
        return "Kein Konzeptstatus gewählt – die Karte zeigt nur die Grenzen. Status in der Seitenleiste wählen."
    data = map_data(view, key)
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
    with a German hint above it saying why it is empty. While presenting, hints are single
    caption lines and the screen-high frame makes room for them (it ran past a 720p screen).
    """
    key = store_key()
    empty = _empty_map_hint(key, view)
    no_partners = None if view.partner_types else "Keine Partnertypen gewählt – Partner sind ausgeblendet."
    if view.large:
        lines = [line for line in (empty, no_partners) if line]
        filters.presentation_room_for(len(lines))
        for line in lines:
            st.caption(f":material/info: {line}")
    else:
        if empty:
            st.info(empty)
        if no_partners:
            st.caption(no_partners)
    mapframe.show(_map_document(key, view), height, view.key())


def _lazy_expander(label: str, key: str) -> DeltaGenerator | None:
    """An expander whose content is made only while it is open (Streamlit reruns the page when it opens).

    Closed, it costs the visitor nothing: the table under the map made the browser fetch and start
    Streamlit's whole data grid (and eight download buttons theirs) before the map's frame, which
    delayed the map by a few tenths of a second (benchmarks/race.py).
    """
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def map_table(view: MapView) -> None:
    """„Tabelle statt Karte“ under the map: the areas it colours, for screen readers, keyboards and
    anyone who cannot tell the colours apart."""
    box = _lazy_expander("Tabelle statt Karte", "karte_tabelle")
    if box is None:
        return
    data = map_data(view)
    with box:
        if view.level == LEVEL_GEMEINDEN and data.gemeinden is not None:
            frame = data.gemeinden[data.gemeinden["status"].isin(view.statuses)]
            frame = frame.assign(
                status=frame["status"].map(status_label),
                year=frame["year"].astype("Int64"),
                report=frame["ags"].map(melden_href),
            )
            table(
                labelled(frame, ("name", "kind", "status", "title", "year", "report"), name="Gemeinde"),
                "map_table",
                empty="Keine Gemeinde im Filter.",
            )
        else:
            table(
                queries.kreis_display(data.kreise, view.statuses, melden_href),
                "map_table",
                links=["Quelle"],
                empty="Kein Kreis im Filter.",
            )


def map_exports(view: MapView) -> None:
    """Downloads of what the map shows: partner and Kreis tables, the map as offline HTML and as PNG.

    Files are only made when a button is pressed (callables), so the map page stays fast. No
    button reruns the page (`on_click="ignore"`): a rerun during the download replaced the
    deferred file, and the fourth or fifth click in a row delivered nothing (review L4).
    """
    box = _lazy_expander("Exportieren", "karte_export")
    if box is None:
        return
    data = map_data(view)
    stem = "bayern" if view.regbez == ALL_BAVARIA else view.regbez.lower()
    kreise = data.kreise[data.kreise["status"].isin(view.statuses)]
    with box:
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
