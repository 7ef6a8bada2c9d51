"""Starter data: sourced, keyed by AGS, resolvable, never guessed, in step with its builder."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
from collections import Counter

import pytest
from sqlalchemy import func, select

from integra import importer, seedbuild
from integra.cli import init_database
from integra.config import SEED_DIR, SOURCES_DIR
from integra.models import Concept, Partner, Region
from integra.store import make_engine
from integra.tabular import read_table
from integra.textkeys import words
from integra.vocab import CONCEPT_STATUSES, PARTNER_TYPES, PRECISIONS, STRUCTURE_TYPES, structure_line


def _rows(name: str) -> list[dict[str, str]]:
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def regions(seeded_template):
    engine = make_engine(f"sqlite:///{seeded_template}")
    with engine.connect() as conn:
        rows = {r.ags: r for r in conn.execute(select(Region.ags, Region.level, Region.parent_ags, Region.name))}
    engine.dispose()
    return rows


def test_committed_seed_matches_builder(tmp_path):
    seedbuild.build(tmp_path)
    for name in ("konzepte.csv", "partner.csv", "strukturen.csv", "nrw_vorbilder.csv", "README.md"):
        assert filecmp.cmp(tmp_path / name, SEED_DIR / name, shallow=False), f"{name}: run python -m integra build-seed"


def test_every_concept_resolves_and_is_sourced(regions):
    rows = _rows("konzepte.csv")
    kreis_rows = [r for r in rows if len(r["region_ags"]) == 5]
    assert sorted(r["region_ags"] for r in kreis_rows) == sorted(a for a, r in regions.items() if r.level == "kreis")
    for row in rows:
        assert row["region_ags"] in regions, row
        assert row["status"] in CONCEPT_STATUSES
        assert row["checked_on"], row
        if row["status"] != "unbekannt":
            assert row["source_url"].startswith("http") and row["confidence"], row
        else:  # unknown is never dressed up as a finding
            assert not row["title"] and not row["year"], row


def test_every_partner_resolves_and_is_sourced(regions):
    rows = _rows("partner.csv")
    assert len(rows) >= 20
    for row in rows:
        gemeinde, kreis = regions[row["gemeinde_ags"]], regions[row["kreis_ags"]]
        assert (gemeinde.level, kreis.level) == ("gemeinde", "kreis")
        assert gemeinde.parent_ags == kreis.ags, row
        assert row["type"] in PARTNER_TYPES and row["precision"] in PRECISIONS
        assert row["source_url"] and row["confidence"], row


@pytest.mark.parametrize("file_name", seedbuild.PARTNER_LISTS)
def test_partner_lists_are_seeded_as_an_upload_would_place_them(file_name):
    """One code path: every row the editors' importer places is in the seed (merged ones too), every
    row it refuses is listed in data/seed/README.md with its reason; the figures come from the file."""
    table = read_table(file_name, (SOURCES_DIR / file_name).read_bytes())
    report = importer.read_rows(table, confidence=seedbuild.LIST_CONFIDENCE)
    seeded = {(words(r["name"]), r["gemeinde_ags"]) for r in _rows("partner.csv")}
    placed = {(words(str(c.values["name"])), str(c.values["gemeinde_ags"])) for c in report.candidates}
    assert placed and placed <= seeded
    assert len(report.candidates) + len(report.errors) == len(table.rows)
    readme = (SEED_DIR / "README.md").read_text(encoding="utf-8")
    for problem in report.errors:
        assert f"| {file_name} | Zeile {problem.row}: " in readme and problem.message in readme, problem


def test_old_sources_are_marked_low_and_say_their_year():
    """Partners of a list whose source is older than five years count as "low"; the year is kept."""
    starter = {words(r["name"]) for r in csv.DictReader((SOURCES_DIR / "starter_records.csv").open(encoding="utf-8"))}
    rows = [r for r in _rows("partner.csv") if words(r["name"]) not in starter]
    research = max(dt.date.fromisoformat(r["checked_on"]) for r in _rows("konzepte.csv"))
    old = [r for r in rows if r["source_year"] and research.year - int(r["source_year"]) > importer.STALE_YEARS]
    assert old and all(r["confidence"] == "low" for r in old)
    assert all(r["confidence"] == seedbuild.LIST_CONFIDENCE for r in rows if r not in old)


def test_structures_and_references_resolve(regions):
    assert all(regions[r["kreis_ags"]].level == "kreis" and r["source_url"] for r in _rows("strukturen.csv"))
    assert all(r["source_url"] and r["confidence"] for r in _rows("nrw_vorbilder.csv"))


def test_every_structure_reads_as_german_and_says_when_it_is_a_gemeindes():
    """A new research type (2nd round: bildungskoordination) needs a German name before it is shown."""
    rows = _rows("strukturen.csv")
    assert {r["type"] for r in rows} <= set(STRUCTURE_TYPES)
    municipal = [r for r in rows if r["detail"].endswith("(Gemeindeebene)")]
    for row in municipal:
        line = structure_line(row["type"], row["detail"])
        assert line.startswith("Auf Gemeindeebene: ") and "(Gemeindeebene)" not in line
    assert structure_line("bildungskoordination", "x") == "Bildungskoordination für Neuzugewanderte: x"


def test_unplaceable_records_are_listed_not_guessed():
    readme = (SEED_DIR / "README.md").read_text(encoding="utf-8")
    assert "Unser Veto Bayern" in readme  # only a founding place is known: no marker is invented
    assert "Unser Veto" not in (SEED_DIR / "partner.csv").read_text(encoding="utf-8")


def test_seeded_store_matches_seed_files(tmp_path):
    """The real data/seed/ loads completely (test databases use the frozen copy in tests/files/seed/)."""
    url = f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    init_database(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Concept)) == len(_rows("konzepte.csv"))
        assert conn.scalar(select(func.count()).select_from(Partner)) == len(_rows("partner.csv"))
        statuses = dict(
            conn.execute(
                select(Concept.status, func.count())
                .where(func.length(Concept.region_ags) == 5)
                .group_by(Concept.status)
            ).all()
        )
    engine.dispose()
    kreise = [row["status"] for row in _rows("konzepte.csv") if len(row["region_ags"]) == 5]
    assert statuses == Counter(kreise) and sum(statuses.values()) == 96
