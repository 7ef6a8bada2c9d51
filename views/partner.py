"""Partner: searchable, sortable table of the partners under the shared filters."""

import streamlit as st

from integra import ui

filters = ui.current_filters()
st.title("Partner")
st.caption(
    f"{ui.area_caption(filters)} · Typen: {', '.join(filters.partner_types) or 'keine'} · "
    "Spaltenkopf anklicken zum Sortieren."
)

search = st.text_input(
    "Suche (Name, Ort, Kreis)", key="suche", bind="query-params", placeholder="z. B. Caritas oder Nürnberg"
)
table = ui.partner_table(filters, search)
st.write(f"**{len(table)}** Partner")
ui.table(
    table,
    "partner_table",
    links=["Webseite", "Quelle"],
    width="stretch",
    empty="Keine Partner für diese Auswahl – Partnertypen, Regierungsbezirk oder Suche ändern.",
)
ui.downloads(table, "partner", "partner")
