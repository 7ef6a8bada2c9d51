"""Karte: concept status by area, KIZ and partners on one map of the chosen Regierungsbezirk."""

import streamlit as st

from integra.maps import MapView
from integra.web import data, filters, mapview

chosen = filters.current_filters()
level, basemap, presenting = filters.map_switches()
if presenting:
    filters.presentation_header(f"Integrationskonzepte – {filters.area_caption(chosen)}")
else:
    st.title("Karte")
    st.caption(
        f"{filters.area_caption(chosen)} · Flächen: {level} · Stand der Daten: {data.data_stand() or 'unbekannt'}"
        " · Klick auf eine Fläche oder ein Symbol zeigt Quelle und Details."
    )
    filters.phone_switches(level=True)

view = MapView(
    regbez=chosen.regbez,
    level=level,
    statuses=chosen.statuses,
    partner_types=chosen.partner_types,
    initiative_statuses=chosen.initiative_statuses,
    basemap=basemap,
    large=presenting,
)
mapview.show_map(view, height=640)  # while presenting, CSS sizes the frame to the screen
if not presenting:
    mapview.map_table(view)
    mapview.map_exports(view)
