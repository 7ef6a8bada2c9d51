"""The naive page the Karte is measured against: what a first Streamlit + folium prototype would do.

Served by `benchmarks.compare` with `streamlit run`: every run reads the boundaries and renders
them with `st_folium`, tooltip with the name, no basemap, no caching. `?ebene=Gemeinden` draws
the Gemeinden instead of the Kreise. Not part of the app.
"""

import folium
import geopandas as gpd
import streamlit as st
from folium.features import GeoJsonTooltip
from streamlit_folium import st_folium

from integra.config import GEO_DIR

FILES = {"Kreise": "kreise_bayern.geojson", "Gemeinden": "gemeinden_bayern.geojson"}

level = st.query_params.get("ebene", "Kreise")
areas = gpd.read_file(GEO_DIR / FILES.get(level, FILES["Kreise"]))[["ags", "name", "geometry"]]
fmap = folium.Map(location=[49.0, 11.4], zoom_start=7, tiles=None)
folium.GeoJson(areas, tooltip=GeoJsonTooltip(["name"])).add_to(fmap)
st_folium(fmap, height=640)
