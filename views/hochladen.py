"""Daten hochladen: partner lists from CSV/Excel, checked, previewed, applied all-or-nothing."""

import streamlit as st

from integra import importer, ui, upload_ui
from integra.columns import guess_mapping

user = upload_ui.editor_page(
    "Daten hochladen",
    "Partnerlisten als CSV oder Excel. Vor dem Übernehmen zeigt die Vorschau genau, was sich ändert; "
    "jeder Import lässt sich rückgängig machen.",
)

st.subheader("1. Datei wählen")
upload_ui.templates()
uploaded = st.file_uploader("Partnerliste (CSV oder XLSX, höchstens 10 MB)", type=["csv", "xlsx"], key="upload")
table = upload_ui.read_upload(uploaded.name, uploaded.getvalue()) if uploaded is not None else None
if table is not None:
    st.write(f"{len(table.rows)} Zeilen, Spalten: {', '.join(table.headers)}")
    mapping = upload_ui.mapping_editor(table, guess_mapping(table.headers))
    consent = upload_ui.consent(table, mapping)
    mode, scope, only_valid = upload_ui.options()
    plan = importer.plan_import(ui.engine(), table, uploaded.getvalue(), mapping, mode, scope, consent, only_valid)
    upload_ui.show_plan(plan)
    upload_ui.apply_button(plan, user)
upload_ui.history(user)
