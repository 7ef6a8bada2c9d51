"""Karte: concept status by area, KIZ and partners on one map of the chosen Regierungsbezirk."""

import streamlit as st

from integra import ui
from integra.maps import MapView

filters = ui.current_filters()
level, basemap, presenting = ui.map_switches()
if presenting:
    ui.presentation_header(f"Integrationskonzepte – {ui.area_caption(filters)}")
else:
    st.title("Karte")
    st.caption(
        f"{ui.area_caption(filters)} · Flächen: {level} · Stand der Daten: {ui.data_stand() or 'unbekannt'} · Klick "
        "auf eine Fläche oder ein Symbol zeigt Quelle und Details."
    )
    ui.phone_switches(level=True)

view = MapView(
    regbez=filters.regbez,
    level=level,
    statuses=filters.statuses,
    partner_types=filters.partner_types,
    basemap=basemap,
    large=presenting,
)
ui.show_map(view, height=640)  # while presenting, CSS sizes the frame to the screen
if not presenting:
    ui.map_table(view)
    ui.map_exports(view)
