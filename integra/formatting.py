"""Turning stored text into safe German display text and HTML.

Everything that reaches a map popup or tooltip passes through here: values are escaped
(a partner name like `<script>` shows as text) and only http(s) links become anchors.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pandas as pd

from integra.textkeys import words

# What XML 1.0 cannot hold (so neither Word nor XLSX): control characters, lone surrogates, U+FFFE/U+FFFF,
# and DEL. Visitors' reports refuse such text; the draft motion strips it from stored text.
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\x7f")

_CONFIDENCE_DE = {"high": "hoch", "medium": "mittel", "low": "niedrig"}
UNSOURCED = "ohne Quelle"
PLACEHOLDER = "–"  # the one sign for "no value" in every table (Streamlit's grid would print "None")


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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


def md_text(value: object) -> str:
    """Text from a user's file or form, for Streamlit's markdown (messages, captions): shown as typed.

    Every markdown character is backslash-escaped; a zero-width space after each colon stops
    Streamlit's `:red[…]`/`:material/…:` directives and the auto-linking of `http://…`. Line
    breaks become spaces, so a value cannot start a heading or a table.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace(":", ":\u200b")
    return re.sub(r"\s+", " ", escaped)


# The researchers' English notes on sources, as the app shows them (the seed keeps the notes as written).
_NOTES_DE = {
    "unsourced (general knowledge)": "ohne Quelle (allgemein bekannt)",
    "seat = general knowledge": "Sitz allgemein bekannt",
    "seat inferred": "Sitz erschlossen",
    "year missing": "Jahr fehlt",
    "Drs.-Nr. not found": "Drucksachen-Nr. nicht gefunden",
}
_NOTES = re.compile("|".join(re.escape(note) for note in _NOTES_DE))


def note_de(value: object) -> str:
    """A source or reliability note in German where the research wrote it in English."""
    return "" if is_blank(value) else _NOTES.sub(lambda m: _NOTES_DE[m.group()], str(value))


def confidence_de(value: object) -> str:
    """'medium (year missing)' -> 'mittel (Jahr fehlt)': the level and the known notes in German."""
    if is_blank(value):
        return ""
    return re.sub(r"\b(high|medium|low)\b", lambda m: _CONFIDENCE_DE[m.group(1)], note_de(value))


def http_url(text: object) -> str | None:
    """`text` if it is exactly one well-formed http(s) URL with a host, else None; never raises.

    `urlsplit` raises on some hostile input (`https://[klick](www.x.de)` is read as an IPv6
    host), which once took the map down for every visitor. Whitespace, control and invisible
    formatting characters (a right-to-left override makes `ed.grebmab.www` read as
    `www.bamberg.de`) and a user name before the host (`https://www.bamberg.de@evil.example`)
    are refused, so the link text `link_host` shows is the host the browser opens.
    """
    if is_blank(text):
        return None
    url = str(text).strip()
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        if host:
            host.encode("idna")  # raises for labels no browser would resolve
    except (ValueError, UnicodeError):
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    return url


def link_host(url: str) -> str:
    """The host of a URL from `http_url` as the browser resolves it (`ⓔvil.com` shows as `evil.com`,
    `münchen.de` stays readable)."""
    return (urlsplit(url).hostname or "").encode("idna").decode("idna")


def web_links(value: object) -> list[str]:
    """The http(s) URLs in a source field (several are separated by ' ; '); anything else is dropped."""
    if is_blank(value):
        return []
    return [url for part in str(value).split(" ; ") if (url := http_url(part))]


def first_link(value: object) -> str | None:
    """The first http(s) URL of a source field, for link columns in tables."""
    links = web_links(value)
    return links[0] if links else None


def source_html(value: object) -> str:
    """Source as escaped links named by their host, or the escaped note when it is no URL."""
    links = web_links(value)
    if links:
        return ", ".join(
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(link_host(url))}</a>' for url in links
        )
    return esc(note_de(value)) if not is_blank(value) else UNSOURCED


def clip(value: object, limit: int) -> str:
    """At most `limit` characters of a text, cut with "…" (a 100 KB title must not fill a handout)."""
    text = "" if is_blank(value) else str(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def local_time(moment: dt.datetime) -> dt.datetime:
    """A stored UTC time (SQLite returns it without zone) as the clock in Bavaria shows it."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo("Europe/Berlin"))


def local_stamp(moment: dt.datetime) -> str:
    """'26.11.2026 17:24' in Bavarian time: one way to show a stored time everywhere."""
    return f"{local_time(moment):%d.%m.%Y %H:%M}"


def short_name(name: str) -> str:
    """'Landkreis Bamberg' -> 'Lkr. Bamberg', 'Kreisfreie Stadt Bamberg' -> 'Bamberg': for labels and lists."""
    return re.sub(r"^Kreisfreie Stadt ", "", re.sub(r"^Landkreis ", "Lkr. ", name))


def slug(text: str) -> str:
    """'Landkreis Neumarkt i.d.OPf.' -> 'landkreis_neumarkt_i_d_opf': for file names (ASCII, no spaces)."""
    return "_".join(words(text).split()) or "datei"


def counted(number: int, one: str, many: str) -> str:
    """'1 Kreis', '3 Kreise', '0 Kreise': a count with the German word in the right number."""
    return f"{number} {one if number == 1 else many}"


def year_text(value: object) -> str:
    return "" if is_blank(value) else str(int(float(str(value))))


def shown(frame: pd.DataFrame, links: Iterable[str] = ()) -> pd.DataFrame:
    """A table as the app shows it: every missing value is PLACEHOLDER, a missing link an empty cell.

    Whole-number columns with gaps (years, row numbers) become text ("2018", "–"): the grid would
    print them as "2018.0" and "None". Other numbers stay numbers, so they still sort as numbers.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not values.isna().any():
            continue
        present = values.dropna()
        if column in links:
            out[column] = values.astype(object).where(values.notna(), "")
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            if (present == present.round()).all():
                out[column] = values.map(lambda v: PLACEHOLDER if is_blank(v) else str(int(v)))
        else:
            out[column] = values.astype(object).where(values.notna(), PLACEHOLDER)
    return out
