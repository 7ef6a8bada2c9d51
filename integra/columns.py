"""Which column of an uploaded table holds which partner field, guessed from its header.

People write `Organisation`, `Einrichtung` or `Name`; `Str.` or `Adresse`. The guess is only a
proposal: the upload page lets the user correct it before anything is validated. Columns that
look like personal data of volunteers are recognised here so they can be dropped (DSGVO).
"""

from __future__ import annotations

import re

from integra.vocab import fold

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
    "external_id": ("ID (extern)", ("id", "nr", "nummer", "kennung", "external id", "schluessel")),
}
REQUIRED = ("name",)

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
    return " " + re.sub(r"[^a-z0-9]+", " ", fold(header)).strip() + " "


def is_personal(header: str) -> bool:
    """Header names a private person or private number (e.g. `Ansprechpartner`, `Mobil`)."""
    return any(p in _words(header) for p in PERSONAL)


def guess_mapping(headers: list[str]) -> dict[str, str | None]:
    """Field -> header for every known field; each header is used at most once, personal ones never."""
    mapping: dict[str, str | None] = dict.fromkeys(FIELDS)
    taken: set[str] = set()
    for exact in (True, False):  # exact header matches first, then headers that contain the word
        for field, (_, patterns) in FIELDS.items():
            if mapping[field] is not None:
                continue
            for header in headers:
                if header in taken or is_personal(header):
                    continue
                words = _words(header)
                hit = words.strip() in patterns if exact else any(f" {p} " in words for p in patterns)
                if hit:
                    mapping[field] = header
                    taken.add(header)
                    break
    return mapping


def personal_columns(headers: list[str], mapping: dict[str, str | None]) -> list[str]:
    """Columns not mapped to a field that look like personal data: dropped unless consent is given."""
    used = {h for h in mapping.values() if h}
    return [h for h in headers if h not in used and is_personal(h)]
