"""Turn the researched source tables in `data/sources/` into seed files keyed by AGS.

The sources name places as people write them ("kreisfreie Stadt München", "Stadtbergen");
the seed files carry the resolved AGS keys, keep every source URL and confidence, and list
what could not be placed instead of guessing. Run `python -m integra build-seed` after the
sources change; a test keeps the committed seed in step with this builder.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from integra import geodata
from integra.config import SEED_DIR, SOURCES_DIR
from integra.textkeys import fold
from integra.vocab import partner_type_of

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
PARTNER_FIELDS = [
    "name",
    "type",
    "kind_detail",
    "city",
    "gemeinde_ags",
    "kreis_ags",
    "lat",
    "lon",
    "precision",
    "source_url",
    "confidence",
]
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


def build_partners(skipped: list[Skipped]) -> list[dict[str, object]]:
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
    _write(out_dir / "konzepte.csv", CONCEPT_FIELDS, build_concepts(skipped))
    _write(out_dir / "partner.csv", PARTNER_FIELDS, build_partners(skipped))
    _write(out_dir / "strukturen.csv", STRUCTURE_FIELDS, build_structures())
    _write(out_dir / "nrw_vorbilder.csv", REFERENCE_FIELDS, build_references())
    lines = [
        "# Seed data (generated by `python -m integra build-seed` — do not edit by hand)",
        "",
        "Built from the researched tables in `data/sources/` (see `data/README_quellen.md`).",
        "Concept rows of `starter_records.csv` are superseded by `konzepte_kreise.csv` and",
        "`konzepte_gemeinden.csv`. Every row keeps its `source_url` and `confidence`.",
        "Partners known only by their seat town sit at that Gemeinde's point (precision `Gemeinde`).",
        "",
        "## Source records not in the seed",
        "",
        "| source | record | reason |",
        "|---|---|---|",
        *[f"| {s.source} | {s.name} | {s.reason} |" for s in skipped],
        "",
    ]
    (out_dir / "README.md").write_text("\n".join(lines), encoding="utf-8")
    return skipped
