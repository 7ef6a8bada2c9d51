"""Redaktion: keep concepts and KIZ current, with a change log, undo and backups (editors only)."""

import streamlit as st

from integra import editor_ui, ui, upload_ui

user = upload_ui.editor_page(
    "Redaktion",
    "Konzepte und KIZ pflegen. Jede Änderung wird mit Name, Zeit und altem Wert festgehalten und lässt sich "
    "rückgängig machen.",
)
ui.flash()
# The chosen tab is kept across the rerun after a save (without state, Streamlit reopened "Konzept").
concept, kiz, concept_list, log, backups = st.tabs(
    ["Konzept", "KIZ", "Konzeptliste", "Änderungen", "Sicherung"], key="redaktion_tab", on_change="rerun"
)
with concept:
    editor_ui.concept_form(user)
with kiz:
    editor_ui.kiz_form(user)
with concept_list:
    editor_ui.concept_list(user)
with log:
    editor_ui.change_log(user)
with backups:
    editor_ui.backups(user)
