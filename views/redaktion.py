"""Redaktion: keep concepts and KIZ current, with a change log, undo and backups (editors only)."""

import streamlit as st

from integra.web import login, redaktion, widgets

user = login.editor_page(
    "Redaktion",
    "Konzepte, KIZ und Anträge pflegen. Jede Änderung wird mit Name, Zeit und altem Wert festgehalten und lässt sich "
    "rückgängig machen.",
)
widgets.flash()
# The chosen tab is kept across the rerun after a save (without state, Streamlit reopened "Konzept").
concept, kiz, initiatives, concept_list, queue, log, backups = st.tabs(
    ["Konzept", "KIZ", "Anträge", "Konzeptliste", "Meldungen", "Änderungen", "Sicherung"],
    key="redaktion_tab",
    on_change="rerun",
)
with concept:
    redaktion.concept_form(user)
with kiz:
    redaktion.kiz_form(user)
with initiatives:
    redaktion.initiative_form(user)
with concept_list:
    redaktion.concept_list(user)
with queue:
    redaktion.report_queue(user)
with log:
    redaktion.change_log(user)
with backups:
    redaktion.backups(user)
