"""Übersicht: key figures for the chosen area, one row per Regierungsbezirk, sources."""

import streamlit as st

from integra import queries, ui
from integra.formatting import web_links
from integra.vocab import KIZ_ELIGIBLE, KIZ_STATUSES

filters = ui.current_filters()
st.title("Integrationslandkarte Bayern")
st.write(
    "Wo gibt es kommunale Integrationskonzepte, wo sind Kommunale Integrationszentren (KIZ) vorgeschlagen, "
    f"und wo arbeiten Partner aus der Zivilgesellschaft? Angezeigt: **{ui.area_caption(filters)}**."
)

figures = queries.key_figures(ui.engine(), filters.regbez, filters.partner_types)
cols = st.columns(4)
cols[0].metric(
    "Kreise/kreisfreie Städte mit Konzept",
    f"{figures.kreise_with_concept} von {figures.kreise_total}",
    help="Status „vorhanden“ laut Quelle. „unbekannt“ heißt: nichts gefunden, nicht „kein Konzept“.",
)
cols[1].metric(
    "Gemeinden mit Konzept",
    f"{figures.gemeinden_with_concept} von {figures.gemeinden_total}",
    help="Gemeinden mit eigenem belegtem Konzept; kreisfreie Städte zählen mit ihrem Stadtkonzept.",
)
cols[2].metric(
    KIZ_ELIGIBLE,
    figures.kiz_eligible,
    help="Konzept vorhanden und noch kein KIZ eingetragen (abgeleitet, nicht gespeichert).",
)
cols[3].metric("Partner (gewählte Typen)", sum(figures.partner_types.values()))

left, right = st.columns(2)
with left:
    st.subheader("Konzeptstatus der Kreise")
    st.dataframe(
        {"Status": list(figures.concept_status), "Kreise": list(figures.concept_status.values())},
        hide_index=True,
        key="status_table",
    )
    st.subheader("Kommunale Integrationszentren")
    st.dataframe(
        {"Status": [*KIZ_STATUSES, KIZ_ELIGIBLE], "Kreise": [*figures.kiz_status.values(), figures.kiz_eligible]},
        hide_index=True,
        key="kiz_table",
    )
with right:
    st.subheader("Partner nach Typ")
    st.dataframe(
        {"Typ": list(figures.partner_types), "Anzahl": list(figures.partner_types.values())},
        hide_index=True,
        key="partner_type_table",
    )

st.subheader("Nach Regierungsbezirk")
st.dataframe(ui.figures_by_regbez(filters.partner_types), hide_index=True, key="regbez_table")

with st.expander("Vorbild NRW: Kommunale Integrationszentren (Hintergrund zum Antrag)"):
    references = queries.kiz_references(ui.engine())
    references["Quelle"] = references["source_url"].map(lambda v: (web_links(v) or [None])[0])
    st.dataframe(
        references.rename(
            columns={
                "name": "Bezeichnung",
                "kind": "Art",
                "place": "Ort",
                "year": "Jahr",
                "confidence": "Verlässlichkeit",
            }
        ).drop(columns="source_url"),
        hide_index=True,
        column_config={"Quelle": st.column_config.LinkColumn("Quelle")},
        key="nrw_table",
    )

st.subheader("Datenquellen")
st.markdown(
    "- **Konzepte der Kreise und Gemeinden, Integrationsstrukturen:** eigene Recherche auf öffentlichen Seiten "
    "(Kreis- und Stadtseiten, Ratsinformationssysteme, Lokalpresse), je Eintrag mit Quelle, Beleg, "
    "Verlässlichkeit und Prüfdatum.\n"
    "- **Partner:** recherchierte Sitze der Verbände (Quelle je Eintrag); Lage auf Gemeindeebene, "
    "wenn nur der Ort bekannt ist.\n"
    "- **Grenzen, Einwohner, Postleitzahlen:** siehe Lizenzhinweis unten."
)
