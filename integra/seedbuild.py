"""Turn the researched source tables in `data/sources/` into seed files keyed by AGS.

The sources name places as people write them ("kreisfreie Stadt München", "Stadtbergen");
the seed files carry the resolved AGS keys, keep every source URL and confidence, and list
what could not be placed instead of guessing. Run `python -m integra build-seed` after the
sources change; a test keeps the committed seed in step with this builder.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from integra import geodata
from integra.config import SEED_DIR, SOURCES_DIR
from integra.importer import DATA_FIELDS, STALE_YEARS, read_rows
from integra.problems import Problem
from integra.tabular import read_table
from integra.textkeys import fold, words
from integra.vocab import PRECISIONS, partner_type_of

CONCEPT_FIELDS = [
    "region_ags",
    "region_name",
    "status",
    "title",
    "year",
    "source_url",
    "evidence",
    "confidence",
    "checked_on",
]
# The importer's partner fields without the personal ones: the seed holds no e-mail, phone or contact.
PARTNER_FIELDS = [f for f in DATA_FIELDS if f not in ("email", "phone", "contact", "external_id")]
# Sourced partner lists in the shape editors upload; they go in through the editors' importer.
PARTNER_LISTS = ("partner_caritas_diakonie.csv", "partner_awo_fluechtlingsrat_helferkreise.csv")
# A list row was read on one public page, mostly press or a Verband's site, and not confirmed with the
# organisation: "medium" in the research's scale; importer.STALE_YEARS makes older sources "low".
LIST_CONFIDENCE = "medium"
SOURCE_SEPARATOR = " ; "  # as in the research tables: several pages for one fact
STRUCTURE_FIELDS = ["kreis_ags", "type", "detail", "year", "source_url", "checked_on"]
REFERENCE_FIELDS = ["name", "kind", "place", "year", "source_url", "confidence"]


@dataclass(frozen=True)
class Skipped:
    """A source record that is not in the seed, and why (shown in data/seed/README.md)."""

    source: str
    name: str
    reason: str


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, fields: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _kreis_by_name() -> dict[str, str]:
    """Everyday Kreis names ("kreisfreie Stadt München") to AGS, via the unique `name_long`."""
    kreise = geodata.kreise()
    return {fold(name): ags for name, ags in zip(kreise["name_long"], kreise["ags"], strict=True)}


def _gemeinde(kreis_ags: str, name: str) -> dict[str, str] | None:
    """The gazetteer row of a Gemeinde named `name` inside one Kreis, or None if not unique."""
    gaz = geodata.gazetteer()
    rows = gaz[(gaz["kreis_ags"] == kreis_ags) & (gaz["name"].map(fold) == fold(name))]
    return rows.iloc[0].to_dict() if len(rows) == 1 else None


def build_concepts(skipped: list[Skipped]) -> list[dict[str, object]]:
    """All 96 Kreis rows of konzepte_kreise.csv plus the Gemeinde rows of konzepte_gemeinden.csv."""
    rows: list[dict[str, object]] = []
    for rec in _read(SOURCES_DIR / "konzepte_kreise.csv"):
        rows.append(
            {"region_ags": rec["ags"], "region_name": rec["name_long"], **{f: rec[f] for f in CONCEPT_FIELDS[2:]}}
        )
    for rec in _read(SOURCES_DIR / "konzepte_gemeinden.csv"):
        gem = _gemeinde(rec["kreis_ags"], rec["gemeinde_name"])
        if gem is None:
            skipped.append(Skipped("konzepte_gemeinden.csv", rec["gemeinde_name"], "Gemeinde im Kreis nicht eindeutig"))
            continue
        rows.append({"region_ags": gem["ags"], "region_name": gem["name"], **{f: rec[f] for f in CONCEPT_FIELDS[2:]}})
    return rows


def _starter_partners(skipped: list[Skipped]) -> list[dict[str, object]]:
    """Partner records of starter_records.csv placed at their seat's Gemeinde point."""
    kreis_ags = _kreis_by_name()
    rows: list[dict[str, object]] = []
    for rec in _read(SOURCES_DIR / "starter_records.csv"):
        if rec["kind"] != "partner":
            continue
        ags = kreis_ags.get(fold(rec["kreis"]))
        gem = _gemeinde(ags, rec["municipality"]) if ags and rec["municipality"] else None
        if gem is None:
            reason = (
                "kein Sitz (Gemeinde und Kreis) angegeben"
                if not ags or not rec["municipality"]
                else "Sitz-Gemeinde nicht im Kreis gefunden"
            )
            skipped.append(Skipped("starter_records.csv", rec["name"], reason))
            continue
        rows.append(
            {
                "name": rec["name"],
                "type": partner_type_of(rec["name"]),
                "kind_detail": rec["org_type"],
                "city": gem["name"],
                "gemeinde_ags": gem["ags"],
                "kreis_ags": ags,
                "lat": gem["lat"],
                "lon": gem["lon"],
                "precision": "Gemeinde",
                "source_url": rec["source_url"],
                "confidence": rec["confidence"],
            }
        )
    return rows


@cache
def _research_date() -> dt.date:
    """The day of the latest research round: the stale-source rule counts from it, not from the day
    `build-seed` runs, so rebuilding next year gives the same seed."""
    return max(dt.date.fromisoformat(rec["checked_on"]) for rec in _read(SOURCES_DIR / "konzepte_kreise.csv"))


def _list_partners(file_name: str, skipped: list[Skipped], notes: list[Skipped]) -> list[dict[str, object]]:
    """A partner list read, validated and located exactly as an editor's upload of the file would be."""
    table = read_table(file_name, (SOURCES_DIR / file_name).read_bytes())
    report = read_rows(table, confidence=LIST_CONFIDENCE, today=_research_date())
    names = dict(zip(table.row_numbers, (row[table.headers.index("Name")] for row in table.rows), strict=True))

    def listed(problem: Problem) -> Skipped:
        where = f"Zeile {problem.row}: {names[problem.row]}" if problem.row else "ganze Datei"
        return Skipped(file_name, where, f"{problem.column}: {problem.message}")

    skipped.extend(map(listed, report.errors))
    notes.extend(map(listed, report.warnings))
    return [dict(candidate.values) for candidate in report.candidates]


_LOCATION = ("street", "plz", "city", "lat", "lon", "precision")


def _merged(first: dict[str, object], later: dict[str, object]) -> dict[str, object]:
    """One partner found twice: the first record's values, gaps filled from the later, the more precise
    location (PRECISIONS order: an address beats a PLZ beats a Gemeinde), every source kept."""
    merged = {field: first.get(field) if first.get(field) not in (None, "") else later.get(field) for field in first}
    if PRECISIONS.index(str(later["precision"])) < PRECISIONS.index(str(first["precision"])):
        merged |= {field: later.get(field) for field in _LOCATION}
    sources = [s for record in (first, later) for s in str(record.get("source_url") or "").split(SOURCE_SEPARATOR)]
    merged["source_url"] = SOURCE_SEPARATOR.join(dict.fromkeys(s.strip() for s in sources if s.strip()))
    return merged


def build_partners(skipped: list[Skipped], notes: list[Skipped] | None = None) -> list[dict[str, object]]:
    """The starter partners and the sourced partner lists, one record per partner.

    A partner is the same as another when its normalised name and its Gemeinde agree (the importer's
    rule); such records are merged, keeping every source.
    """
    notes = [] if notes is None else notes
    by_key: dict[tuple[str, str], dict[str, object]] = {}
    found_in: dict[tuple[str, str], str] = {}
    records = [("starter_records.csv", record) for record in _starter_partners(skipped)]
    for file_name in PARTNER_LISTS:
        records += [(file_name, record) for record in _list_partners(file_name, skipped, notes)]
    for file_name, record in records:
        key = (words(str(record["name"])), str(record["gemeinde_ags"]))
        if key in by_key:
            notes.append(
                Skipped(file_name, str(record["name"]), f"derselbe Partner wie in {found_in[key]}: zusammengeführt")
            )
            by_key[key] = _merged(by_key[key], record)
        else:
            by_key[key] = {field: record.get(field) for field in PARTNER_FIELDS}
            found_in[key] = file_name
    return list(by_key.values())


def build_structures() -> list[dict[str, object]]:
    return [
        {f: rec[f if f != "kreis_ags" else "ags"] for f in STRUCTURE_FIELDS}
        for rec in _read(SOURCES_DIR / "integration_strukturen_kreise.csv")
    ]


def build_references() -> list[dict[str, object]]:
    """The NRW KIZ model references: background for the motion, not places in Bavaria."""
    return [
        {
            "name": rec["name"],
            "kind": rec["org_type"],
            "place": rec["municipality"] or rec["kreis"],
            "year": rec["year"],
            "source_url": rec["source_url"],
            "confidence": rec["confidence"],
        }
        for rec in _read(SOURCES_DIR / "starter_records.csv")
        if rec["kind"] == "kiz_model"
    ]


def build(out_dir: Path = SEED_DIR) -> list[Skipped]:
    """Write all seed files and the README listing skipped records; return the skipped ones."""
    out_dir.mkdir(parents=True, exist_ok=True)
    skipped: list[Skipped] = []
    notes: list[Skipped] = []
    _write(out_dir / "konzepte.csv", CONCEPT_FIELDS, build_concepts(skipped))
    _write(out_dir / "partner.csv", PARTNER_FIELDS, build_partners(skipped, notes))
    _write(out_dir / "strukturen.csv", STRUCTURE_FIELDS, build_structures())
    _write(out_dir / "nrw_vorbilder.csv", REFERENCE_FIELDS, build_references())
    lines = [
        "# Seed data (generated by `python -m integra build-seed` — do not edit by hand)",
        "",
        "Built from the researched tables in `data/sources/` (see `data/README_quellen.md`).",
        "Concept rows of `starter_records.csv` are superseded by `konzepte_kreise.csv` and",
        "`konzepte_gemeinden.csv`. Every row keeps its `source_url` and `confidence`.",
        "Partners known only by their seat town sit at that Gemeinde's point (precision `Gemeinde`).",
        f"The partner lists ({', '.join(PARTNER_LISTS)}) are read by the editors' importer: located by",
        "address, PLZ or Gemeinde with that precision, `confidence` medium, `low` where the source is older",
        f"than {STALE_YEARS} years (counted from {_research_date():%d.%m.%Y}, the research date). Records with",
        "the same normalised name in the same Gemeinde are merged, keeping every source.",
        "",
        "## Source records not in the seed",
        "",
        "| source | record | reason |",
        "|---|---|---|",
        *[f"| {s.source} | {s.name} | {s.reason} |" for s in skipped],
        "",
        "## Notes on records in the seed (placed, but worth a look)",
        "",
        "| source | record | note |",
        "|---|---|---|",
        *[f"| {s.source} | {s.name} | {s.reason} |" for s in notes],
        "",
    ]
    (out_dir / "README.md").write_text("\n".join(lines), encoding="utf-8")
    return skipped
