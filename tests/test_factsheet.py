"""The Kreis-Steckbrief PDF opens and says what the store holds."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pypdf
import pytest

from integra import factsheet, queries
from integra.config import PROJECT_DIR
from tests.conftest import seed_rows


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and reader.pages[0].mediabox.height == pytest.approx(841.89, abs=1)  # A4
    return reader.pages[0].extract_text()


def test_steckbrief_of_a_city_with_concept_and_partners(engine):
    text = _text(factsheet.factsheet_pdf(engine, "09564"))
    assert "Kreisfreie Stadt Nürnberg" in text and "Status: Konzept vorhanden" in text
    assert "Leitlinien zur Integrationspolitik" in text and "KIZ förderfähig nach Antrag A3" in text
    assert "Diakonisches Werk Bayern (Landesverband)" in text and "AWO Bezirksverband Ober- und Mittelfranken" in text
    checked = dt.date.fromisoformat(max(r["checked_on"] for r in seed_rows("konzepte.csv")))  # footer: Datenstand
    assert "GeoBasis-DE / BKG" in text and f"{checked:%d.%m.%Y}" in text


def test_the_kreis_with_the_most_partners_still_fits_one_page(engine):
    """Issue 12: with the partner lists seeded a city has dozens of partners; some are listed, the rest counted."""
    counts = queries.partners(engine).groupby("kreis_ags").size()
    busiest, count = counts.idxmax(), int(counts.max())
    assert count > factsheet.MAX_PARTNERS
    text = _text(factsheet.factsheet_pdf(engine, busiest))  # _text asserts one A4 page
    assert f"Partner mit Sitz im Kreis ({count})" in text
    assert f"… und {count - factsheet.MAX_PARTNERS} weitere" in text


def test_steckbrief_without_concept_names_nearby_models(engine):
    text = _text(factsheet.factsheet_pdf(engine, "09471"))
    assert "Landkreis Bamberg" in text and "Status: Konzept unbekannt" in text
    assert "Vorbilder in der Nähe" in text and "Kreisfreie Stadt Bamberg" in text


def test_command_line_writes_the_pdf(db_url, tmp_path):
    out = tmp_path / "hof.pdf"
    env = {"INTEGRA_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "integra", "steckbrief", "09464", "--out", str(out)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Kreisfreie Stadt Hof" in _text(out.read_bytes())
    bad = subprocess.run(
        [sys.executable, "-m", "integra", "steckbrief", "12345", "--out", str(out)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert bad.returncode == 1


@pytest.mark.parametrize("length", [2_500, 100_000])
def test_long_texts_never_push_sections_into_the_footer_or_off_the_page(engine, length):
    """L5: a 2,500-character title pushed the partners into the footer; 100 KB put them off the page."""
    from integra import editing
    from integra.editing import ConceptChange

    editing.set_concept(
        engine,
        ConceptChange(
            "09471", "vorhanden", "Sehr langer Titel " * (length // 18), 2020, "https://www.example.org", None
        ),
        "Test",
    )
    reader = pypdf.PdfReader(io.BytesIO(factsheet.factsheet_pdf(engine, "09471")))
    assert len(reader.pages) == 1
    placed: list[tuple[float, str]] = []
    reader.pages[0].extract_text(visitor_text=lambda text, cm, tm, *_: text.strip() and placed.append((tm[5], text)))
    footer_top = next(y for y, text in placed if "Integrationslandkarte Bayern · Datenstand" in text)
    sections = [y for y, text in placed if text.startswith(("Kommunales Integrationszentrum", "Partner mit Sitz"))]
    assert len(sections) == 2 and all(y > footer_top + 2 for y in sections)  # PDF y grows upwards
    assert min(y for y, _ in placed) > 0
    text = reader.pages[0].extract_text()
    assert "Sehr langer Titel" in text and "…" in text and len(text) < 6_000


def test_sources_are_clickable_and_the_file_is_named_for_the_kreis(engine):
    """UX review #13: URLs were plain text and the file was named by its AGS number."""
    from integra.formatting import web_links

    kreis = queries.kreise(engine).set_index("ags").loc["09564"]
    page = pypdf.PdfReader(io.BytesIO(factsheet.factsheet_pdf(engine, "09564"))).pages[0]
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert uris and set(uris) <= set(web_links(kreis["source_url"]))
    assert factsheet.file_name("Landkreis Neumarkt i.d.OPf.") == "steckbrief_landkreis_neumarkt_i_d_opf.pdf"
    assert factsheet.file_name("Kreisfreie Stadt Fürth") == "steckbrief_kreisfreie_stadt_fuerth.pdf"
