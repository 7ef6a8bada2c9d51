"""Übersicht: key figures for the chosen area, one row per Regierungsbezirk, every Kreis, sources."""

import pandas as pd
import streamlit as st

from integra.vocab import KIZ_ELIGIBLE, KIZ_STATUSES, status_label
from integra.web import data, filters, mapview, widgets

chosen = filters.current_filters()
st.title("Integrationslandkarte Bayern")
st.write(
    "Wo gibt es kommunale Integrationskonzepte, wo sind Kommunale Integrationszentren (KIZ) vorgeschlagen, "
    f"und wo arbeiten Partner aus der Zivilgesellschaft? Angezeigt: **{filters.area_caption(chosen)}**."
)

figures = data.key_figures(chosen)
# The map first (a "Landkarte" that opened without one), the key figures beside it.
on_map, beside = st.columns([3, 2])
with on_map:
    filters.phone_switches(level=False)
    mapview.show_map(filters.overview_view(chosen), height=480)
    st.page_link(
        "views/karte.py",
        label="Zur großen Karte",
        icon=":material/map:",
        help="Mit Gemeinden, Präsentationsmodus und Export",
    )
# One figure per row: "20 von 2056" was cut off in a half-width box on a 1280-px projector.
cols = [beside.container() for _ in range(4)]
cols[0].metric(
    "Kreise mit Konzept",
    f"{figures.kreise_with_concept} von {figures.kreise_total}",
    help="Landkreise und kreisfreie Städte mit Status „vorhanden“ laut Quelle. "
    "„unbekannt“ heißt: nichts gefunden, nicht „kein Konzept“.",
)
cols[1].metric(
    "Gemeinden mit Konzept",
    f"{figures.gemeinden_with_concept} von {figures.gemeinden_total}",
    help="Gemeinden mit eigenem belegtem Konzept; kreisfreie Städte zählen mit ihrem Stadtkonzept.",
)
cols[2].metric(
    "KIZ förderfähig (A3)",
    figures.kiz_eligible,
    help=f"{KIZ_ELIGIBLE}: Konzept vorhanden und noch kein KIZ eingetragen (abgeleitet, nicht gespeichert).",
)
cols[3].metric("Partner (gewählte Typen)", sum(figures.partner_types.values()))
beside.caption(widgets.with_concept_line(chosen))
beside.caption(widgets.initiatives_line(chosen))
beside.page_link(
    "views/melden.py",
    label=f"Etwas melden – {widgets.waiting_line()}",
    icon=":material/campaign:",
    help="Sie kennen ein Konzept, einen Partner oder eine Änderung? Mit Quelle melden; die Redaktion prüft.",
)

left, right = st.columns(2)
with left:
    st.subheader("Konzeptstatus der Kreise")
    widgets.table(
        pd.DataFrame(
            {
                "Konzeptstatus": [status_label(s) for s in figures.concept_status],
                "Kreise": list(figures.concept_status.values()),
            }
        ),
        "status_table",
    )
    st.subheader("Kommunale Integrationszentren")
    widgets.table(
        pd.DataFrame(
            {"Status": [*KIZ_STATUSES, KIZ_ELIGIBLE], "Kreise": [*figures.kiz_status.values(), figures.kiz_eligible]}
        ),
        "kiz_table",
    )
with right:
    st.subheader("Partner nach Typ")
    widgets.table(
        pd.DataFrame({"Partnertyp": list(figures.partner_types), "Anzahl": list(figures.partner_types.values())}),
        "partner_type_table",
    )

st.subheader("Nach Regierungsbezirk")
widgets.table_section(data.regbez_table(), widgets.REGBEZ_NOTE, "regierungsbezirke_kennzahlen", "regbez")

st.subheader("Alle Kreise")
st.caption("Gefiltert nach Regierungsbezirk und Konzeptstatus. Am Rechner: Spaltenkopf anklicken zum Sortieren.")
widgets.table(
    data.kreis_table(chosen),
    "kreis_table",
    links=["Quelle"],
    empty="Kein Kreis passt zum gewählten Konzeptstatus – Status in der Seitenleiste ändern.",
    column_config={"Einwohner": st.column_config.NumberColumn("Einwohner", format="localized")},
)

with st.expander("Vorbild NRW: Kommunale Integrationszentren (Hintergrund zum Antrag)"):
    widgets.table(data.kiz_references(), "nrw_table", links=["Quelle"])

st.subheader("Datenquellen")
st.markdown(
    "- **Konzepte der Kreise und Gemeinden, Integrationsstrukturen:** eigene Recherche auf öffentlichen Seiten "
    "(Kreis- und Stadtseiten, Ratsinformationssysteme, Lokalpresse), je Eintrag mit Quelle, Beleg, "
    "Verlässlichkeit und Prüfdatum.\n"
    "- **Partner:** recherchierte Sitze der Verbände (Quelle je Eintrag); Lage auf Gemeindeebene, "
    "wenn nur der Ort bekannt ist.\n"
    "- **Grenzen, Einwohner, Postleitzahlen:** siehe Lizenzhinweis unten."
)
