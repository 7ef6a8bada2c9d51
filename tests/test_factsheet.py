"""The Kreis-Steckbrief PDF opens and says what the store holds."""

from __future__ import annotations

import io
import subprocess
import sys

import pypdf
import pytest

from integra import factsheet
from integra.config import PROJECT_DIR


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and reader.pages[0].mediabox.height == pytest.approx(841.89, abs=1)  # A4
    return reader.pages[0].extract_text()


def test_steckbrief_of_a_city_with_concept_and_partners(engine):
    text = _text(factsheet.factsheet_pdf(engine, "09564"))
    assert "Kreisfreie Stadt Nürnberg" in text and "Status: vorhanden" in text
    assert "Leitlinien zur Integrationspolitik" in text and "KIZ förderfähig nach Antrag A3" in text
    assert "Diakonisches Werk Bayern (Landesverband)" in text and "AWO Bezirksverband Ober- und Mittelfranken" in text
    assert "GeoBasis-DE / BKG" in text and "25.11.2026" in text


def test_steckbrief_without_concept_names_nearby_models(engine):
    text = _text(factsheet.factsheet_pdf(engine, "09471"))
    assert "Landkreis Bamberg" in text and "Status: unbekannt" in text
    assert "Vorbilder in der Nähe" in text and "Kreisfreie Stadt Bamberg" in text


def test_command_line_writes_the_pdf(db_url, tmp_path):
    out = tmp_path / "hof.pdf"
    env = {"INTEGRA_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "integra", "steckbrief", "09464", "--out", str(out)], cwd=PROJECT_DIR,
                          env=env, capture_output=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Kreisfreie Stadt Hof" in _text(out.read_bytes())
    bad = subprocess.run([sys.executable, "-m", "integra", "steckbrief", "12345", "--out", str(out)], cwd=PROJECT_DIR,
                         env=env, capture_output=True, timeout=120)  # fmt: skip
    assert bad.returncode == 1
