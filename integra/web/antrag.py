"""The Antragsentwurf on the Lücken page: choose a Kreis or Gemeinde, take the draft motion as Word or Markdown.

`?antrag=<AGS>` chooses the area (the map's popups link here). The draft is made only when a button is
pressed, so choosing an area costs nothing; the file is named after the chosen area.
"""

from __future__ import annotations

import streamlit as st

from integra import motion
from integra.formatting import slug
from integra.web import data
from integra.web.filters import url_note
from integra.web.links import ANTRAG

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def motion_chooser() -> None:
    """Area chooser and the two downloads, beside the Steckbrief."""
    regions = data.regions()
    by_ags = {ags: label for label, ags in regions.items()}
    wanted = st.query_params.get(ANTRAG)
    url_note({ANTRAG: list(by_ags)})
    labels = list(regions)
    left, word, markdown = st.columns([2, 1, 1], vertical_alignment="bottom")
    label = left.selectbox(
        "Antragsentwurf (Konzept oder KIZ, mit Quellen) für",
        labels,
        index=labels.index(by_ags[wanted]) if wanted in by_ags else None,
        key="antrag_area",
        placeholder="Kreis oder Gemeinde wählen (Name eintippen)",
        help="Welcher Antrag passt, folgt aus den Daten: ohne Konzept → Konzept erarbeiten; mit Konzept und ohne "
        "KIZ → Kommunales Integrationszentrum. Was die App nicht weiß, steht in [eckigen Klammern].",
    )
    ags = regions[label] if label else ""
    stem = f"antrag_{slug(label.split(' (')[0])}" if label else "antrag"
    word.download_button(
        "Word",
        (lambda: motion.to_docx(motion.draft(data.engine(), ags))) if ags else b"",
        f"{stem}.docx",
        DOCX,
        key="antrag_docx",
        icon=":material/description:",
        on_click="ignore",
        disabled=not ags,
    )
    markdown.download_button(
        "Markdown",
        (lambda: motion.to_markdown(motion.draft(data.engine(), ags))) if ags else "",
        f"{stem}.md",
        "text/markdown",
        key="antrag_md",
        icon=":material/content_copy:",
        on_click="ignore",
        disabled=not ags,
    )
