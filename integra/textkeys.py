"""Comparison keys of free text: one place for how names, headers and places are matched.

Users type „Nürnberg“, „Nuernberg“ or „Nurnberg“, „Träger/Typ“ or „TRAEGER TYP“, „Weiden i.d.OPf.“
or „Weiden in der Oberpfalz“. Every comparison in the package goes through one of these keys, so
a spelling accepted in one place (column headers, partner names, places, search) is accepted in all.
"""

from __future__ import annotations

import re
import unicodedata

# Connectors dropped from place names, so "Weiden i.d.OPf." = "Weiden in der Oberpfalz".
_CONNECTORS = {"a", "am", "an", "d", "der", "den", "dem", "i", "im", "in", "b", "bei", "ob", "v", "vor"}
_SYNONYMS = {"oberpfalz": "opf", "sankt": "st"}


def fold(text: str) -> str:
    """Lower-case ASCII form for comparisons: umlauts spelled out, accents and ß folded."""
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def loose(text: str) -> str:
    """Search key that also matches umlauts typed without dots: "Nurnberg" finds "Nürnberg"."""
    return re.sub(r"([aou])e", r"\1", fold(text))


def words(text: str) -> str:
    """Folded words joined by one space: "Träger / Typ" -> "traeger typ" (headers, organisation names)."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def place_key(name: str) -> str:
    """Comparison key of a place name: folded, connectors and punctuation dropped."""
    tokens = [_SYNONYMS.get(token, token) for token in words(name).split()]
    return "".join(token for token in tokens if token not in _CONNECTORS)


def place_base_key(name: str) -> str:
    """The key of the name before its first connector or bracket: "Mühldorf a.Inn" -> "muehldorf"."""
    head = re.split(r"\s*\(|\s+(?:a|am|an|b|bei|i|im|in|ob|v|vor)(?:\.|\s)|\s+[a-z]\.", name, maxsplit=1)[0]
    return place_key(head)
