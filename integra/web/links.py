"""Addresses of the app's own pages with something chosen: what popups and table rows link to.

Every address is relative to a page of the app (`melden?ags=09475`); the map's frame sits two levels
below the pages and prefixes "../../". A table column holding such addresses shows a fixed text
(`LINK_TEXT`) instead of the address, in the grid and in the phone's cards, and is left out of
downloads: a CSV cell "melden?ags=09475" means nothing outside the app.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from integra.labels import LABELS

STECKBRIEF = "steckbrief"  # ?steckbrief=<Kreis name>: the Lücken page with that Kreis's Steckbrief chosen
AREA = "ags"  # ?ags=<AGS>: the report form with the area chosen
PARTNER = "partner"  # ?partner=<id>: the report form with the partner chosen for a correction
ANTRAG = "antrag"  # ?antrag=<AGS>: the Lücken page with the draft motion's area chosen

# Table columns holding in-app addresses, and the text their links show.
LINK_TEXT = {"Steckbrief": "Steckbrief (PDF)", LABELS["report"]: "Etwas melden"}


def steckbrief_href(kreis_name: str) -> str:
    """The Lücken page with this Kreis's Steckbrief chosen.

    A bound selectbox keeps its option's label in the address, so the Kreis is named there by name.
    """
    return f"luecken?{urlencode({STECKBRIEF: kreis_name})}"


def melden_href(ags: str) -> str:
    """The report form with this Kreis or Gemeinde chosen (popups and table rows of areas)."""
    return f"melden?{urlencode({AREA: ags})}"


def melden_partner_href(partner_id: int) -> str:
    """The report form with this partner chosen for a correction (its popup and table row)."""
    return f"melden?{urlencode({PARTNER: partner_id})}"


def without_app_links(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as it is downloaded: without its in-app address columns."""
    return frame.drop(columns=[column for column in LINK_TEXT if column in frame.columns])


def antrag_href(ags: str) -> str:
    """The Lücken page with the draft motion for this Kreis or Gemeinde chosen (area popups)."""
    return f"luecken?{urlencode({ANTRAG: ags})}"
