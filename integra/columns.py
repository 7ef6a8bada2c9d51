"""Which column of an uploaded table holds which field, guessed from its header: one matcher for all lists.

People write `Organisation`, `Einrichtung` or `Name`; `Str.` or `Adresse`; `Kreisschlüssel` or `AGS`.
For partner lists the guess is only a proposal: the upload page lets the user correct it before
anything is validated. Columns that look like personal data of volunteers are recognised here so
they can be dropped (DSGVO). Concept lists (Redaktion, `import-concepts`) use the same matcher.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from integra.textkeys import words

# field -> (German label, header patterns on the folded header, whole-word unless noted)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("Name", ("name", "organisation", "organization", "einrichtung", "bezeichnung", "verein", "traegername")),
    "type": ("Träger/Typ", ("traeger", "verband", "typ", "type", "art", "kategorie", "category")),
    "street": ("Straße", ("strasse", "str", "street", "adresse", "anschrift", "address", "hausnummer")),
    "plz": ("PLZ", ("plz", "postleitzahl", "zip", "postal code", "postcode")),
    "city": ("Ort", ("ort", "stadt", "gemeinde", "city", "town", "wohnort", "sitz")),
    "lat": ("Breite (Lat)", ("lat", "latitude", "breite", "breitengrad", "y")),
    "lon": ("Länge (Lon)", ("lon", "lng", "long", "longitude", "laenge", "laengengrad", "x")),
    "website": ("Webseite", ("webseite", "website", "homepage", "internet", "url", "web")),
    "email": ("E-Mail", ("e mail", "email", "mail")),
    "phone": ("Telefon", ("telefon", "tel", "phone", "telefonnummer", "fon")),
    "source_url": ("Quelle", ("quelle", "source", "beleg")),
    "source_year": (
        "Stand der Quelle",
        ("stand der quelle", "quellenstand", "jahr der quelle", "stand", "source year"),
    ),
    "external_id": ("ID (extern)", ("id", "nr", "nummer", "kennung", "external id", "schluessel")),
}
REQUIRED = ("name",)

# The columns of a concept list: field -> header patterns, as for partner lists.
CONCEPT_HEADERS: dict[str, tuple[str, ...]] = {
    "ags": ("ags", "schluessel", "kreisschluessel", "gemeindeschluessel"),
    "name": ("name", "kreis", "gemeinde", "region"),
    "status": ("status", "konzept", "stand"),
    "title": ("titel", "title", "bezeichnung"),
    "year": ("jahr", "year", "beschlossen"),
    "source_url": ("quelle", "source", "url", "link"),
    "note": ("notiz", "bemerkung", "hinweis", "note"),
}

# Headers that point at a private person; these columns are not stored without consent.
PERSONAL = (
    "ansprechpartner",
    "ansprechperson",
    "kontaktperson",
    "vorname",
    "nachname",
    "familienname",
    "mobil",
    "handy",
    "privat",
    "geburt",
    "person",
    "koordinator",
)


def _words(header: str) -> str:
    """ " traeger typ ": padded, so a pattern matches whole words only."""
    return f" {words(header)} "


def is_personal(header: str) -> bool:
    """Header names a private person or private number (e.g. `Ansprechpartner`, `Mobil`)."""
    return any(p in _words(header) for p in PERSONAL)


def match_headers(
    headers: Sequence[str], patterns: Mapping[str, Sequence[str]], skip: Callable[[str], bool] = lambda _: False
) -> dict[str, str | None]:
    """Field -> header for every field of `patterns`; each header is used at most once, `skip`ped ones never.

    Exact header matches win over headers that only contain a pattern word, so „Kreis“ goes to
    the name even when „Kreisschlüssel“ stands before it.
    """
    mapping: dict[str, str | None] = dict.fromkeys(patterns)
    taken: set[str] = set()
    for exact in (True, False):
        for field, field_patterns in patterns.items():
            if mapping[field] is not None:
                continue
            for header in headers:
                if header in taken or skip(header):
                    continue
                padded = _words(header)
                if padded.strip() in field_patterns if exact else any(f" {p} " in padded for p in field_patterns):
                    mapping[field] = header
                    taken.add(header)
                    break
    return mapping


def guess_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """Field -> header for every partner field; personal columns are never proposed."""
    return match_headers(headers, {field: patterns for field, (_, patterns) in FIELDS.items()}, skip=is_personal)


def personal_columns(headers: list[str], mapping: dict[str, str | None]) -> list[str]:
    """Columns not mapped to a field that look like personal data: dropped unless consent is given."""
    used = {h for h in mapping.values() if h}
    return [h for h in headers if h not in used and is_personal(h)]
