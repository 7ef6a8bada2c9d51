"""Melden: anybody can report a concept status or something else about an area; editors check it."""

import streamlit as st

from integra.web import melden, widgets

st.title("Etwas melden")
widgets.flash()
st.write(
    "Sie wissen, ob Ihr Kreis oder Ihre Gemeinde ein Integrationskonzept hat, Sie kennen einen Partner, der fehlt, "
    "oder es hat sich etwas geändert? Melden Sie es hier – mit der Seite, auf der es steht. Die Redaktion prüft "
    "jede Meldung, bevor sie auf der Karte erscheint."
)
melden.report_form()
