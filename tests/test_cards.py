"""Phone cards of a table: values escaped, only http(s) links, blanks left out, long tables cut with a note."""

from __future__ import annotations

import pandas as pd

from integra.formatting import PLACEHOLDER
from integra.web.cards import cards_html


def test_cards_escape_values_link_only_web_addresses_and_skip_blanks():
    frame = pd.DataFrame(
        {
            "Name": ["<img src=x onerror=alert(1)>", "Caritas"],
            "Ort": ["Hof", PLACEHOLDER],
            "Webseite": ["javascript:alert(1)", "https://www.caritas.de/x"],
        }
    )
    html = cards_html(frame, links=["Webseite"])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html and '<a href="https://www.caritas.de/x"' in html and ">www.caritas.de</a>" in html
    caritas = html.split('<div class="integra-card">')[2]
    assert "Ort" not in caritas  # a placeholder line says nothing


def test_long_tables_show_the_first_cards_and_say_so():
    html = cards_html(pd.DataFrame({"Name": [f"P{i}" for i in range(45)], "Ort": ["Hof"] * 45}), limit=30)
    assert html.count('class="integra-card"') == 30 and "die ersten 30 von 45 Zeilen" in html


def test_in_app_addresses_become_links_with_their_text_and_nothing_else_does():
    """Issue 13: „Etwas melden“ per row on the phone too; a value that is no address of the app stays out."""
    frame = pd.DataFrame({"Kreis": ["Hof", "Bamberg"], "Melden": ["melden?ags=09475", 'javascript:alert(1)//?"><b>x']})
    html = cards_html(frame, app_links={"Melden": "Etwas melden"})
    assert '<a href="melden?ags=09475" target="_blank">Etwas melden</a>' in html
    assert "javascript" not in html and "<b>x" not in html and html.count("Etwas melden") == 1
