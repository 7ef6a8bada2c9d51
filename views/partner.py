"""Partner: searchable, sortable table of the partners under the shared filters."""

import streamlit as st

from integra.web import data, filters, widgets

chosen = filters.current_filters()
st.title("Partner")
st.caption(
    f"{filters.area_caption(chosen)} · Typen: {', '.join(chosen.partner_types) or 'keine'} · "
    "Am Rechner: Spaltenkopf anklicken zum Sortieren."
)

search = st.text_input(
    "Suche (Name, Ort, Kreis)", key="suche", bind="query-params", placeholder="z. B. Caritas oder Nürnberg"
)
table = data.partner_table(chosen, search)
st.write(f"**{len(table)}** Partner")
widgets.table(
    table,
    "partner_table",
    links=["Webseite", "Quelle"],
    width="stretch",
    empty="Keine Partner für diese Auswahl – Partnertypen, Regierungsbezirk oder Suche ändern.",
)
widgets.downloads(table, "partner", "partner")
