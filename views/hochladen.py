"""Daten hochladen: partner lists from CSV/Excel, checked, previewed, applied all-or-nothing."""

import streamlit as st

from integra import ui, upload_ui

user = upload_ui.editor_page(
    "Daten hochladen",
    "Partnerlisten als CSV oder Excel. Vor dem Übernehmen zeigt die Vorschau genau, was sich ändert; "
    "jeder Import lässt sich rückgängig machen.",
)

ui.flash()
st.subheader("1. Datei wählen")
upload_ui.templates()
uploaded = st.file_uploader(
    "Partnerliste (CSV oder XLSX, höchstens 10 MB)", type=["csv", "xlsx"], key=upload_ui.uploader_key()
)
if uploaded is not None:
    upload_ui.check_upload(uploaded.name, uploaded.getvalue(), user)
upload_ui.history(user)
