"""Every German column label of tables, exports and the upload preview, and the one KIZ wording.

Queries return English-keyed frames; the display steps (`queries.*_display`, `gaps.display`,
`export`, the upload preview) pick their fields and name them here, so one field has one German
name wherever a user meets it (the code review found „Art“, „Art laut Quelle“ and „Art laut Liste“
for one field, and four derivations of the KIZ cell).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from integra.vocab import KIZ_ELIGIBLE, PARTNER_TYPES

LABELS = {
    "name": "Name",
    "type": "Partnertyp",
    "kind_detail": "Art laut Quelle",
    "street": "Straße",
    "plz": "PLZ",
    "city": "Ort",
    "gemeinde": "Gemeinde",
    "gemeinde_ags": "Gemeinde-AGS",
    "kreis": "Kreis",
    "kreis_ags": "Kreis-AGS",
    "regbez": "Regierungsbezirk",
    "lat": "Breite",
    "lon": "Länge",
    "precision": "Lage genau auf",
    "website": "Webseite",
    "email": "E-Mail",
    "phone": "Telefon",
    "contact": "Kontakt",
    "source_url": "Quelle",
    "source_note": "Quellenhinweis",
    "report": "Melden",
    "initiative": "Antrag",
    "source_year": "Stand der Quelle",
    "confidence": "Verlässlichkeit",
    "updated_at": "Stand",
    "external_id": "ID (extern)",
    "status": "Konzept",
    "title": "Titel",
    "kind": "Art",  # of a Gemeinde (Stadt, Markt, Gemeinde) or of a model reference
    "place": "Ort",
    "year": "Jahr",
    "hint": "Hinweis",
    "kiz": "KIZ",
    "partner": "Partner",
    "population": "Einwohner",
    "checked_on": "Konzept geprüft am",  # when the research was checked, not when a file was written
    "gemeinden_mit_konzept": "Gemeinden mit Konzept",
    "partner_je_100k": "Partner je 100.000 Einw.",
    "created_at": "Zeit",  # change logs
    "user_name": "wer",
    "changes": "Änderungen",
    "summary": "was",
    "undone_at": "rückgängig",
    **{t: t for t in PARTNER_TYPES},
}


def labelled(frame: pd.DataFrame, fields: Sequence[str], **names: str) -> pd.DataFrame:
    """`fields` of `frame` in that order under their German labels; `names` override one, e.g. the
    `name` of a Kreis table is „Kreis“. Missing fields come out as empty columns."""
    return frame.reindex(columns=list(fields)).rename(columns={**LABELS, **names}).reset_index(drop=True)


def kiz_label(status: object, eligible: object) -> str | None:
    """The KIZ cell of a Kreis: its KIZ record's status, else „KIZ förderfähig nach Antrag A3“ where
    the motion's rule applies (concept, no KIZ yet), else None."""
    if isinstance(status, str) and status:
        return status
    return KIZ_ELIGIBLE if eligible in (True,) else None  # numpy's True too; NaN and None are not
