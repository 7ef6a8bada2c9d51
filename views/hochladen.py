"""Daten hochladen: partner lists from CSV/Excel, checked, previewed, applied all-or-nothing."""

import streamlit as st

from integra.web import login, upload, widgets

user = login.editor_page(
    "Daten hochladen",
    "Partnerlisten als CSV oder Excel. Vor dem Übernehmen zeigt die Vorschau genau, was sich ändert; "
    "jeder Import lässt sich rückgängig machen.",
)

widgets.flash()
st.subheader("1. Datei wählen")
upload.templates()
uploaded = st.file_uploader(
    "Partnerliste (CSV oder XLSX, höchstens 10 MB)", type=["csv", "xlsx"], key=upload.uploader_key()
)
if uploaded is not None:
    upload.check_upload(uploaded.name, uploaded.getvalue(), user)
upload.history(user)
