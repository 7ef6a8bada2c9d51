"""Tables as cards for phones: a wide grid showed one to three columns on 390 px, with no hint of more.

`widgets.table` puts the cards beside every grid of more than a few columns; CSS (widgets._PAGE_CSS) shows
the cards instead of the grid below 640 px. Every value is escaped here, and only http(s) links
(`formatting.http_url`) and the app's own addresses (`web.links`, nothing else) become anchors, so a
partner's name stays text on the phone as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from integra.formatting import PLACEHOLDER, esc, http_url, is_blank, link_host

CARD_LIMIT = 30  # a phone user scrolls through a handful; the search and the downloads give the rest
CSS_CLASS = "integra-cards"
# An address of the app's own pages as `web.links` builds it: a page name and an urlencoded query.
_APP_ADDRESS = re.compile(r"^[a-z]+\?[A-Za-z0-9%=+&._-]+$")


def _value_html(value: object, is_link: bool, app_text: str | None = None) -> str:
    if app_text is not None:
        address = str(value)
        return f'<a href="{esc(address)}" target="_blank">{esc(app_text)}</a>' if _APP_ADDRESS.match(address) else ""
    if is_link:
        url = http_url(value)
        return (
            f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(link_host(url))}</a>' if url else ""
        )
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")  # 1.234,5
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:  # not years: 2019
        return f"{value:,}".replace(",", ".")
    return esc(value)


def cards_html(
    frame: pd.DataFrame, links: Iterable[str] = (), limit: int = CARD_LIMIT, app_links: Mapping[str, str] = {}
) -> str:
    """The first `limit` rows as cards: the first column as the heading, then "Spalte: Wert" lines
    for the values present (a card of placeholders says nothing). `links` are columns of web links,
    `app_links` columns of in-app addresses with the text their link shows."""
    links = set(links)
    rest = list(frame.columns[1:])
    cards = []
    for row in frame.head(limit).itertuples(index=False):
        lines = []
        for column, value in zip(rest, row[1:], strict=True):
            if (
                is_blank(value)
                or value == PLACEHOLDER
                or not (shown := _value_html(value, column in links, app_links.get(column)))
            ):
                continue
            lines.append(f"<div><span>{esc(column)}:</span> {shown}</div>")
        cards.append(f'<div class="integra-card"><b>{esc(row[0])}</b>{"".join(lines)}</div>')
    more = ""
    if len(frame) > limit:
        more = (
            f"<p>Gezeigt: die ersten {limit} von {len(frame)} Zeilen. Suche oder Filter grenzen ein; "
            "CSV und Excel enthalten alle.</p>"
        )
    return f'<div class="{CSS_CLASS}">{"".join(cards)}{more}</div>'
