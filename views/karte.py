"""Karte: concept status by area, KIZ and partners on one map of the chosen Regierungsbezirk."""

import streamlit as st
from streamlit_folium import st_folium

from integra import ui
from integra.maps import MapView, build_map

filters = ui.current_filters()
level, basemap, presenting = ui.map_switches()
if presenting:
    ui.presentation_header(f"Integrationskonzepte – {ui.area_caption(filters)}")
else:
    st.title("Karte")
    st.caption(
        f"{ui.area_caption(filters)} · Flächen: {level} · Klick auf eine Fläche oder ein Symbol zeigt Quelle und "
        "Details."
    )

view = MapView(
    regbez=filters.regbez,
    level=level,
    statuses=filters.statuses,
    partner_types=filters.partner_types,
    basemap=basemap,
    large=presenting,
)
data = ui.map_data(filters, level)
fmap = build_map(view, data)
# returned_objects=[]: panning and zooming never rerun the script.
st_folium(fmap, key="karte", height=820 if presenting else 640, use_container_width=True, returned_objects=[])
if not presenting:
    ui.map_exports(view, data)
