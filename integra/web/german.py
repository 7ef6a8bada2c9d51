"""Streamlit's own page shell in German: `lang="de"` and the English texts it brings along.

Streamlit serves `<html lang="en">` and writes its widgets' fixed texts in English (file uploader,
select placeholders, table toolbar, "Page not found"); it has no setting for either. The script
`deutsch.js` runs in a zero-height frame of every page (same origin, as `st.iframe` frames of
HTML are) and translates exactly the texts listed here, also as they appear later.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

from integra.maplayers import js_data

TEXTS = {
    "Drag and drop file here": "Datei hierher ziehen",
    "Drag and drop files here": "Dateien hierher ziehen",
    "Browse files": "Datei auswählen",
    "Upload": "Hochladen",
    "Choose an option": "Bitte wählen",
    "Choose options": "Bitte wählen",
    "Clear all": "Alle entfernen",
    "Clear value": "Auswahl löschen",
    "No results": "Keine Treffer",
    "Page not found": "Seite nicht gefunden",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "Diese Seite gibt es nicht – gezeigt wird die Übersicht."
    ),
    "Skip to main content": "Zum Inhalt springen",
    "Search": "Suchen",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild beenden",
    "Show/hide columns": "Spalten ein-/ausblenden",
    "Running...": "Läuft …",
    "Please wait...": "Bitte warten …",
    "Stop": "Anhalten",
    "Close": "Schließen",
    "Remove": "Entfernen",
    "Delete": "Löschen",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Help": "Hilfe",
    "Show data": "Daten zeigen",
    "Download as PNG": "Als PNG herunterladen",
    "Download as SVG": "Als SVG herunterladen",
    "Copy Vega-Lite spec": "Diagramm-Beschreibung kopieren",
    "Open": "Öffnen",
    "Selected values": "Gewählte Werte",
    "App pages": "Seiten der App",
    "Download failed": "Herunterladen fehlgeschlagen – bitte noch einmal klicken.",
    "Press Enter to submit form": "Enter drücken zum Absenden",
    "Press Enter to apply": "Enter drücken zum Übernehmen",
    "Press ⌘+Enter to submit form": "⌘+Enter drücken zum Absenden",
    "Press Ctrl+Enter to submit form": "Strg+Enter drücken zum Absenden",
    "DD.MM.YYYY": "TT.MM.JJJJ",
    "dd.mm.yyyy": "tt.mm.jjjj",
    "view more": "mehr zeigen",
    "view less": "weniger zeigen",
}


@cache
def _html() -> str:
    script = Path(__file__).with_name("deutsch.js").read_text(encoding="utf-8")
    return f'<script type="application/json" id="integra-texts">{js_data(TEXTS)}</script><script>{script}</script>'


def install_page() -> None:
    """Once per page run (app.py): the frame whose script makes the page German."""
    # st.iframe needs a height of at least 1 px; the keyed container takes the frame out of the layout.
    st.html("<style>.st-key-integra_german {position: absolute; width: 0; height: 0; overflow: hidden;}</style>")
    with st.container(key="integra_german"):
        st.iframe(_html(), height=1, tab_index=-1, alt="Hilfsrahmen ohne Inhalt (macht die Seite deutsch)")
