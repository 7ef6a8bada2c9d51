"""Fill an empty store with the regions of Bavaria and the sourced starter data.

Seeding happens once, in one transaction: a database that already holds regions is left
alone, so re-running `python -m integra init` never overwrites what editors changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from integra import geodata
from integra.config import SEED_DIR
from integra.models import Concept, IntegrationStructure, KizReference, Partner, Region
from integra.store import mark_changed, transaction
from integra.vocab import REGIERUNGSBEZIRKE


def _text(value: str) -> str | None:
    return value.strip() or None


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value.strip() else None


def _seed_rows(seed_dir: Path, name: str) -> list[dict[str, str]]:
    with (seed_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _population(value: float) -> int | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def region_rows() -> list[Region]:
    """7 Regierungsbezirke, 96 Kreise and 2,230 Gemeinde polygons as Region rows."""
    pop_date = dt.date.fromisoformat(geodata.POPULATION_DATE)
    rows = [
        Region(
            ags=rec.code,
            name=rec.name,
            kind="Regierungsbezirk",
            level="regbez",
            parent_ags=None,
            is_gemeinde=False,
            population=int(rec.population),
            population_date=pop_date,
        )
        for rec in geodata.regierungsbezirke().itertuples()
    ]
    assert [r.name for r in rows] == list(REGIERUNGSBEZIRKE), "Regierungsbezirke out of order"
    rows += [
        Region(
            ags=rec.ags,
            name=rec.name_long,
            kind=rec.kind,
            level="kreis",
            parent_ags=rec.regbez_code,
            is_gemeinde=False,
            population=int(rec.population),
            population_date=pop_date,
        )
        for rec in geodata.kreise().itertuples()
    ]
    rows += [
        Region(
            ags=rec.ags,
            name=rec.name,
            kind=rec.kind,
            level="gemeinde",
            parent_ags=rec.kreis_ags,
            is_gemeinde=bool(rec.is_gemeinde),
            population=_population(rec.population),
            population_date=pop_date if _population(rec.population) is not None else None,
        )
        for rec in geodata.gemeinden().itertuples()
    ]
    return rows


def load_seed(session: Session, seed_dir: Path = SEED_DIR) -> None:
    """Insert regions and every seed file; the caller's transaction makes it all-or-nothing."""
    session.add_all(region_rows())
    session.flush()  # regions first: every fact below refers to them by foreign key
    for rec in _seed_rows(seed_dir, "konzepte.csv"):
        session.add(
            Concept(
                region_ags=rec["region_ags"],
                status=rec["status"],
                title=_text(rec["title"]),
                year=_int(rec["year"]),
                source_url=_text(rec["source_url"]),
                evidence=_text(rec["evidence"]),
                confidence=_text(rec["confidence"]),
                checked_on=_date(rec["checked_on"]),
            )
        )
    for rec in _seed_rows(seed_dir, "partner.csv"):
        session.add(
            Partner(
                name=rec["name"],
                type=rec["type"],
                kind_detail=_text(rec["kind_detail"]),
                street=_text(rec.get("street", "")),
                plz=_text(rec.get("plz", "")),
                city=_text(rec["city"]),
                gemeinde_ags=rec["gemeinde_ags"],
                kreis_ags=rec["kreis_ags"],
                lat=float(rec["lat"]),
                lon=float(rec["lon"]),
                precision=rec["precision"],
                website=_text(rec.get("website", "")),
                source_url=_text(rec["source_url"]),
                source_year=_int(rec.get("source_year", "")),
                confidence=_text(rec["confidence"]),
            )
        )
    for rec in _seed_rows(seed_dir, "strukturen.csv"):
        session.add(
            IntegrationStructure(
                kreis_ags=rec["kreis_ags"],
                type=rec["type"],
                detail=_text(rec["detail"]),
                year=_int(rec["year"]),
                source_url=_text(rec["source_url"]),
                checked_on=_date(rec["checked_on"]),
            )
        )
    for rec in _seed_rows(seed_dir, "nrw_vorbilder.csv"):
        session.add(KizReference(**{k: _text(v) for k, v in rec.items()}))


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Region)) == 0


def seed_if_empty(engine: Engine, seed_dir: Path = SEED_DIR) -> bool:
    """Seed an empty store (from `seed_dir`: tests may pass a frozen copy); return whether anything was loaded."""
    with transaction(engine) as session:
        if not is_empty(session):
            return False
        load_seed(session, seed_dir)
        mark_changed(session)
        return True
