"""Closed vocabularies of the store, the glossary of shown words, and the lenient mapping of free text.

Kept apart from the models because the seed builder, the map, the importer and the exports need
the same words and colours without touching the database.

Glossary (domain nouns stay German in code, everything else is English):
- Kreis: a Landkreis or a kreisfreie Stadt (96), key `ags` with 5 digits; Gemeinde: 8 digits.
- Regierungsbezirk (`regbez`): one of the seven; `ALL_BAVARIA` is the whole state.
- Konzept: a kommunales Integrationskonzept; its status is one of CONCEPT_STATUSES, shown through
  `status_label`/`concept_phrase` („kein Konzept“, never „keines“). „unbekannt“ means: nothing found.
- KIZ: Kommunales Integrationszentrum; a KIZ record has a KIZ_STATUSES status. „KIZ förderfähig nach
  Antrag A3“ (KIZ_ELIGIBLE) is derived, never stored: concept „vorhanden“ and no KIZ record.
- Partner: a civil-society organisation with a seat; `type` is one of PARTNER_TYPES („Partnertyp“),
  `kind_detail` the source's own word („Art laut Quelle“). `Region.kind` is Landkreis/Stadt/Markt….
"""

from __future__ import annotations

import re

from integra.textkeys import fold

CONCEPT_STATUSES = ("vorhanden", "in Erarbeitung", "keines", "unbekannt")
KIZ_STATUSES = ("vorgeschlagen", "geplant", "eingerichtet")
PARTNER_TYPES = ("Caritas", "Diakonie", "AWO", "Flüchtlingsrat", "Helferkreis", "Sonstige")
PRECISIONS = ("Adresse", "PLZ", "Gemeinde")
LEVELS = ("regbez", "kreis", "gemeinde")
# Visitors' reports (Mitmachen): what they are about, and where they stand in the editors' review.
REPORT_KINDS = ("konzept", "partner", "sonstiges", "initiative")
REPORT_STATUSES = ("pending", "accepted", "rejected")  # shown as REPORT_STATUS_LABELS
REPORT_STATUS_LABELS = {"pending": "in Prüfung", "accepted": "angenommen", "rejected": "abgelehnt"}
# The council that decides for an area, by its kind (Destatis); a gemeindefreies Gebiet has none.
COUNCILS = {
    "Landkreis": "Kreistag",
    "Kreisfreie Stadt": "Stadtrat",
    "Große Kreisstadt": "Stadtrat",
    "Stadt": "Stadtrat",
    "Markt": "Marktgemeinderat",
    "Gemeinde": "Gemeinderat",
}
# Initiativen: motions on their way in a council, what they ask for, and where they stand.
INITIATIVE_STATUSES = ("geplant", "eingereicht", "beschlossen", "abgelehnt", "vertagt", "zurückgezogen")
INITIATIVE_ASKS = {"konzept": "Integrationskonzept", "kiz": "Kommunales Integrationszentrum", "sonstiges": "Sonstiges"}

REGIERUNGSBEZIRKE = (
    "Oberbayern",
    "Niederbayern",
    "Oberpfalz",
    "Oberfranken",
    "Mittelfranken",
    "Unterfranken",
    "Schwaben",
)
ALL_BAVARIA = "Ganz Bayern"

# Glossary: one German term per idea, wherever the app shows it. The store keeps the short
# status words (they are in addresses such as `?status=keines` and in uploaded files).
_STATUS_LABELS = {"keines": "kein Konzept"}
_CONCEPT_PHRASES = {
    "vorhanden": "Konzept vorhanden",
    "in Erarbeitung": "Konzept in Erarbeitung",
    "keines": "kein Konzept",
    "unbekannt": "Konzept unbekannt",
}
PARTNER_TYPE_LABEL = "Partnertyp"  # not Typ, Art or Träger: "Art laut Quelle" is the source's own word
PARTNER_COUNT_NOTE = "Zahl im dunklen Kreis = so viele Partner in der Nähe (Klick: näher heran)"


def status_label(status: str) -> str:
    """A concept status as a table cell, legend row or filter option: "kein Konzept", never "keines"."""
    return _STATUS_LABELS.get(status, status)


# Structures noted per Kreis (integration_strukturen_kreise.csv): type -> what a reader calls it.
STRUCTURE_TYPES = {
    "integrationsbeirat": "Integrationsbeirat",
    "integrationsbeauftragte": "Integrationsbeauftragte",
    "integrationslotse": "Integrationslotsen",
    "bildungskoordination": "Bildungskoordination für Neuzugewanderte",
    "sonstiges": "Weitere Stelle",
}
_MUNICIPAL = " (Gemeindeebene)"  # the research marks bodies of a Gemeinde inside the Kreis so


def structure_line(kind: str, detail: str) -> str:
    """One structure as a line of a popup or the Steckbrief. A body of a Gemeinde inside the Kreis
    says so first, so nobody reads „Stadt Burghausen: Integrationsbeirat“ as the Kreis's own."""
    if detail.endswith(_MUNICIPAL):
        return f"Auf Gemeindeebene: {detail.removesuffix(_MUNICIPAL)}"
    return f"{STRUCTURE_TYPES.get(kind, kind.capitalize())}: {detail}"


def concept_phrase(status: str) -> str:
    """A status as a phrase of its own ("Landkreis Hof: Konzept unbekannt"), for tooltips and captions."""
    return _CONCEPT_PHRASES.get(status, status)


# The motion's derived category: concept `vorhanden` and no KIZ record yet.
KIZ_ELIGIBLE = "KIZ förderfähig nach Antrag A3"

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
CONCEPT_COLOURS = {
    "vorhanden": "#009E73",
    "in Erarbeitung": "#E69F00",
    "keines": "#D55E00",
    "unbekannt": "#BBBBBB",
}
# Statuses drawn with dark diagonal stripes over their colour (map, legend, PNG): "in Erarbeitung"
# and "unbekannt" were 1.17:1 apart in luminance, indistinguishable in greyscale or on a pale beamer.
CONCEPT_STRIPES = {"in Erarbeitung": "#7A4E00"}
PARTNER_STYLE = {  # colour and the letter drawn in the marker, so colour is never the only cue
    "Caritas": ("#D55E00", "C"),
    "Diakonie": ("#0072B2", "D"),
    "AWO": ("#CC79A7", "A"),
    "Flüchtlingsrat": ("#009E73", "F"),
    "Helferkreis": ("#E69F00", "H"),
    "Sonstige": ("#555555", "S"),
}
# Initiativen on the map: a "§" on a disc, its colour by the motion's state (Okabe–Ito, like the others).
INITIATIVE_COLOURS = {
    "geplant": "#BBBBBB",
    "eingereicht": "#56B4E9",
    "beschlossen": "#009E73",
    "abgelehnt": "#D55E00",
    "vertagt": "#F0E442",
    "zurückgezogen": "#777777",
}
KIZ_COLOURS = {
    "vorgeschlagen": "#56B4E9",
    "geplant": "#0072B2",
    "eingerichtet": "#000000",
    KIZ_ELIGIBLE: "#FFFFFF",
}

_TYPE_PATTERNS = (
    ("Caritas", r"caritas"),
    ("Diakonie", r"diakon"),
    ("AWO", r"\bawo\b|arbeiterwohlfahrt"),
    ("Flüchtlingsrat", r"fl(ue|u)chtlingsrat"),
    ("Helferkreis", r"helferkreis|helfer(innen)?kreis|unterst(ue|u)tzerkreis|asylhelfer"),
)


def partner_type_of(text: str) -> str:
    """One of PARTNER_TYPES for a free-text name or Träger; `Sonstige` when nothing fits."""
    folded = fold(text)
    for partner_type, pattern in _TYPE_PATTERNS:
        if re.search(pattern, folded):
            return partner_type
    return "Sonstige"
