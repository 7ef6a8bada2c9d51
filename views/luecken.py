"""Lücken & Forderungen: where concepts, KIZ and partners are missing, as lists to take along."""

import streamlit as st

from integra import charts, gaps
from integra.vocab import PARTNER_TYPES
from integra.web import antrag, data, filters, widgets

chosen = filters.current_filters()
st.title("Lücken & Forderungen")
st.caption(f"{filters.area_caption(chosen)} · „unbekannt“ heißt: in den durchsuchten Quellen nichts gefunden.")

with st.container(border=True):
    widgets.factsheet_chooser()
    antrag.motion_chooser()

figures = data.kreis_figures(chosen)
missing, demand, partnerless, models = st.tabs(
    [
        "Ohne beschlossenes Konzept",
        "Konzept, aber kein KIZ (Forderung)",
        "Ohne Partner eines Typs",
        "Vorbild in der Nähe",
    ]
)
with missing:
    table = gaps.display(gaps.without_concept(figures))
    widgets.table_section(
        table,
        f"**{len(table)}** Kreise und kreisfreie Städte ohne bekanntes beschlossenes Konzept.",
        "ohne_konzept",
        "missing",
    )
with demand:
    table = gaps.display(gaps.demand_list(figures))
    widgets.table_section(
        table,
        f"**{len(table)}** Kreise mit Konzept und ohne KIZ: hier fordert der Antrag A3 ein KIZ.",
        "forderung_kiz",
        "demand",
    )
with partnerless:
    partner_type = st.selectbox("Partnertyp", PARTNER_TYPES, key="gap_type")
    table = gaps.display(gaps.without_partner(figures, partner_type))
    widgets.table_section(
        table,
        f"**{len(table)}** Kreise ohne bekannten Partner vom Typ {partner_type}.",
        f"ohne_{partner_type.lower()}",
        "partnerless",
    )
with models:
    near = data.nearby_models(chosen)
    st.write(
        "Für jeden Kreis ohne Konzept die drei nächsten Kreise mit Konzept (Luftlinie zwischen den Kreismitten). "
        "„Steckbrief“ öffnet die Seite in einem neuen Tab, mit dem Kreis zum Herunterladen gewählt."
    )
    widgets.table(widgets.with_steckbrief_links(near), "models_table", links=["Quelle"])
    widgets.downloads(near.drop(columns="ags"), "vorbilder", "models")

st.subheader("Nach Regierungsbezirk")
widgets.table_section(data.regbez_table(), widgets.REGBEZ_NOTE, "regierungsbezirke_kennzahlen", "regbez")

st.subheader("Alle Kreise")
widgets.table_section(gaps.display(figures), "", "kreise_kennzahlen", "figures")

coverage, timeline, undated = data.charts_data(chosen)
left, right = st.columns(2)
with left:
    st.subheader("Abdeckung nach Regierungsbezirk")
    st.altair_chart(charts.coverage(coverage), width="stretch")
    st.caption(charts.coverage_text(coverage))
with right:
    st.subheader("Konzepte im Lauf der Jahre")
    st.altair_chart(charts.timeline(timeline), width="stretch")
    st.caption(charts.timeline_text(timeline, undated))

st.subheader("Anträge (Initiativen) nach Monat")
widgets.motions_chart(chosen)
