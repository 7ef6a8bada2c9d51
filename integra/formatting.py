"""Turning stored text into safe German display text and HTML.

Everything that reaches a map popup or tooltip passes through here: values are escaped
(a partner name like `<script>` shows as text) and only http(s) links become anchors.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pandas as pd

_CONFIDENCE_DE = {"high": "hoch", "medium": "mittel", "low": "niedrig"}
UNSOURCED = "ohne Quelle"


def is_blank(value: object) -> bool:
    """True for None, NaN/NA/NaT and empty or whitespace-only text (pandas gives all of these)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):  # the common non-text case, without pandas' slower generic check
        return value != value
    return bool(pd.isna(value))


def esc(value: object) -> str:
    """HTML-escaped text of any value; blanks become ''."""
    return "" if is_blank(value) else html.escape(str(value), quote=True)


def confidence_de(value: object) -> str:
    """'medium (year missing)' -> 'mittel (year missing)': the level in German, the note as researched."""
    if is_blank(value):
        return ""
    return re.sub(r"\b(high|medium|low)\b", lambda m: _CONFIDENCE_DE[m.group(1)], str(value))


def web_links(value: object) -> list[str]:
    """The http(s) URLs in a source field (several are separated by ' ; '); other schemes are dropped."""
    if is_blank(value):
        return []
    return [
        part.strip()
        for part in str(value).split(" ; ")
        if urlsplit(part.strip()).scheme in ("http", "https") and urlsplit(part.strip()).netloc
    ]


def first_link(value: object) -> str | None:
    """The first http(s) URL of a source field, for link columns in tables."""
    links = web_links(value)
    return links[0] if links else None


def source_html(value: object) -> str:
    """Source as escaped links named by their host, or the escaped note when it is no URL."""
    links = web_links(value)
    if links:
        return ", ".join(
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(urlsplit(url).netloc)}</a>'
            for url in links
        )
    return esc(value) if not is_blank(value) else UNSOURCED


def year_text(value: object) -> str:
    return "" if is_blank(value) else str(int(float(value)))
