"""Lücken & Forderungen: where concepts, KIZ and partners are missing, as lists to take along."""

import streamlit as st

from integra import charts, gaps, ui
from integra.vocab import PARTNER_TYPES

filters = ui.current_filters()
st.title("Lücken & Forderungen")
st.caption(f"{ui.area_caption(filters)} · „unbekannt“ heißt: in den durchsuchten Quellen nichts gefunden.")

figures = ui.kreis_figures(filters)
missing, demand, partnerless, models = st.tabs(
    ["Ohne bekanntes Konzept", "Konzept, aber kein KIZ (Forderung)", "Ohne Partner eines Typs", "Vorbild in der Nähe"]
)
with missing:
    table = gaps.display(gaps.without_concept(figures))
    st.write(f"**{len(table)}** Kreise und kreisfreie Städte ohne bekanntes beschlossenes Konzept.")
    st.dataframe(table, hide_index=True, key="missing_table")
    ui.downloads(table, "ohne_konzept", "missing")
with demand:
    table = gaps.display(gaps.demand_list(figures))
    st.write(f"**{len(table)}** Kreise mit Konzept und ohne KIZ: hier fordert der Antrag A3 ein KIZ.")
    st.dataframe(table, hide_index=True, key="demand_table")
    ui.downloads(table, "forderung_kiz", "demand")
with partnerless:
    partner_type = st.selectbox("Partnertyp", PARTNER_TYPES, key="gap_type")
    table = gaps.display(gaps.without_partner(figures, partner_type))
    st.write(f"**{len(table)}** Kreise ohne bekannten Partner vom Typ {partner_type}.")
    st.dataframe(table, hide_index=True, key="partnerless_table")
    ui.downloads(table, f"ohne_{partner_type.lower()}", "partnerless")
with models:
    table = ui.nearby_models(filters).drop(columns="ags")
    st.write("Für jeden Kreis ohne Konzept die drei nächsten Kreise mit Konzept (Luftlinie zwischen den Kreismitten).")
    st.dataframe(table, hide_index=True, key="models_table",
                 column_config={"Quelle": st.column_config.LinkColumn("Quelle")})  # fmt: skip
    ui.downloads(table, "vorbilder", "models")

st.subheader("Nach Regierungsbezirk")
table = gaps.regbez_figures(figures)
st.dataframe(table, hide_index=True, key="regbez_figures")
ui.downloads(table, "regierungsbezirke_kennzahlen", "regbez")

st.subheader("Alle Kreise")
table = gaps.display(figures)
st.dataframe(table, hide_index=True, key="figures_table")
ui.downloads(table, "kreise_kennzahlen", "figures")
ui.factsheet_button(dict(zip(figures["name"], figures["ags"], strict=True)), "luecken")

coverage, timeline, undated = ui.charts_data(filters)
left, right = st.columns(2)
with left:
    st.subheader("Abdeckung nach Regierungsbezirk")
    st.altair_chart(charts.coverage(coverage), width="stretch")
with right:
    st.subheader("Konzepte im Lauf der Jahre")
    st.altair_chart(charts.timeline(timeline), width="stretch")
    st.caption(
        f"Ohne bekanntes Jahr (nicht eingezeichnet): {undated['Kreise']} Kreise, {undated['Gemeinden']} Gemeinden."
    )
