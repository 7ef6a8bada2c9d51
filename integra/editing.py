"""Editors keep concepts and KIZ current: every change is logged with who, when and the old
values, and can be undone as long as no later change touched the same record.

A change without a source URL is allowed; the map and tables then say "ohne Quelle".
Concept lists (CSV/XLSX with AGS or name) go through the same path as one batch.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import pandas as pd
from sqlalchemy import CursorResult, Engine, Insert, delete, insert, select, update
from sqlalchemy.orm import Session

from integra import locate, snapshots
from integra.columns import CONCEPT_HEADERS, match_headers
from integra.formatting import clip, web_links
from integra.models import Concept, Edit, Initiative, IntegrationCentre, Region, table_of, utc_now
from integra.problems import Problem, Refused
from integra.store import mark_changed, transaction
from integra.tabular import Table
from integra.textkeys import fold
from integra.vocab import CONCEPT_STATUSES, COUNCILS, INITIATIVE_ASKS, INITIATIVE_STATUSES, KIZ_STATUSES

TABLES = {
    "concepts": table_of(Concept),
    "integration_centres": table_of(IntegrationCentre),
    "initiatives": table_of(Initiative),
}


class EditRefused(Refused):
    """An editor's change or undo that the data rules refuse (German message); nothing was written."""


@dataclass(frozen=True)
class ConceptChange:
    """The new state of one region's concept as an editor enters it."""

    region_ags: str
    status: str
    title: str | None = None
    year: int | None = None
    source_url: str | None = None
    note: str | None = None
    confidence: str | None = None  # None: "laut Redaktion (<editor>)"; a visitor's report says so


@dataclass(frozen=True)
class KizChange:
    """A KIZ as an editor enters it: new (`kiz_id` None) or a change; `place` is a Gemeinde name for
    the marker (else the Kreis centre)."""

    kreis_ags: str
    status: str
    name: str
    place: str | None = None
    note: str | None = None
    source_url: str | None = None
    kiz_id: int | None = None


@dataclass(frozen=True)
class InitiativeChange:
    """A motion as an editor enters it: new (`initiative_id` None) or a change."""

    region_ags: str
    title: str
    asks: str
    status: str
    filed_on: dt.date | None = None
    document_url: str | None = None
    source_url: str | None = None
    note: str | None = None
    initiative_id: int | None = None


def _row(session: Session, table_name: str, record_id: int) -> dict[str, object] | None:
    table = TABLES[table_name]
    row = session.execute(select(table).where(table.c.id == record_id)).mappings().first()
    return dict(row) if row else None


def _inserted_id(session: Session, statement: Insert) -> int:
    """The new row's id (`execute` is typed as Result; for an INSERT it is a CursorResult)."""
    key = cast(CursorResult, session.execute(statement)).inserted_primary_key
    if key is None:
        raise LookupError("INSERT ohne neuen Schlüssel")
    return int(key[0])


def _stored_row(session: Session, table_name: str, record_id: int) -> dict[str, object]:
    """A row that must exist (its id was just read in the same transaction)."""
    row = _row(session, table_name, record_id)
    if row is None:
        raise LookupError(f"{table_name} {record_id} fehlt")
    return row


def _log(
    session: Session, batch: str, table_name: str, record_id: int, action: str, before, after, user: str, summary: str
) -> None:
    session.add(
        Edit(
            batch=batch,
            table_name=table_name,
            record_id=record_id,
            action=action,
            before=snapshots.to_json(before) if before else None,
            after=snapshots.to_json(after) if after else None,
            user_name=clip(user, 200),
            summary=summary,
        )
    )


def _check_source(source_url: str | None) -> None:
    """A source given in a form must be one or more http(s) links (separated by " ; ")."""
    if source_url and len(web_links(source_url)) != len(source_url.split(" ; ")):
        raise EditRefused(f"Quelle „{source_url}“ ist keine gültige http(s)-Adresse")


def _check_concept(change: ConceptChange) -> None:
    if change.status not in CONCEPT_STATUSES:
        raise EditRefused(f"Status „{change.status}“ unbekannt – erlaubt: {', '.join(CONCEPT_STATUSES)}")
    if change.year is not None and not 1950 <= change.year <= dt.date.today().year:
        raise EditRefused(f"Jahr {change.year} ist nicht plausibel")


def _apply_concept(session: Session, batch: str, change: ConceptChange, user: str) -> None:
    _check_concept(change)
    region = session.get(Region, change.region_ags)
    if region is None or region.level == "regbez":
        raise EditRefused(f"Kein Kreis und keine Gemeinde mit AGS {change.region_ags}")
    existing = session.scalar(select(Concept).where(Concept.region_ags == change.region_ags))
    if (change.source_url or None) != (existing.source_url if existing else None):
        _check_source(change.source_url)  # a researched source kept as it is may be a document, not a link
    values = {
        "status": change.status,
        "title": change.title or None,
        "year": change.year,
        "source_url": change.source_url or None,
        "note": change.note or None,
        "confidence": change.confidence or f"laut Redaktion ({clip(user, 40)})",
        "checked_on": dt.date.today(),
        "updated_at": utc_now(),
    }
    summary = f"{region.name}: Konzept „{change.status}“"
    if existing is None:
        record_id = _inserted_id(session, insert(Concept).values(region_ags=change.region_ags, **values))
        _log(session, batch, "concepts", record_id, "insert", None, _row(session, "concepts", record_id), user, summary)
        return
    before = _stored_row(session, "concepts", existing.id)
    if before["source_url"] != values["source_url"]:
        values["evidence"] = None  # the quoted evidence belonged to the old source
    session.execute(update(Concept).where(Concept.id == existing.id).values(**values))
    _log(
        session,
        batch,
        "concepts",
        existing.id,
        "update",
        before,
        _row(session, "concepts", existing.id),
        user,
        f"{summary} (vorher „{before['status']}“)",
    )


def current_concept(engine: Engine, region_ags: str) -> ConceptChange | None:
    """The stored concept of a region as a form shows it, or None when there is none."""
    with Session(engine) as session:
        row = session.scalar(select(Concept).where(Concept.region_ags == region_ags))
    return None if row is None else ConceptChange(region_ags, row.status, row.title, row.year, row.source_url, row.note)


def set_concept(engine: Engine, change: ConceptChange, user: str) -> str:
    """Save one concept change; returns the batch id (for undo)."""
    return set_concepts(engine, [change], user)


def set_concepts(engine: Engine, changes: list[ConceptChange], user: str) -> str:
    """Save several concept changes in one transaction: all or nothing."""
    with transaction(engine) as session:
        return apply_concepts(session, changes, user)


def apply_concepts(session: Session, changes: list[ConceptChange], user: str) -> str:
    """Concept changes inside the caller's transaction (a report's acceptance is written in the same one);
    returns the batch id (for undo)."""
    batch = str(uuid.uuid4())
    for change in changes:
        _apply_concept(session, batch, change, user)
    mark_changed(session)
    return batch


def save_kiz(engine: Engine, change: KizChange, user: str) -> str:
    """Add a KIZ proposal or change one; returns the batch id (for undo)."""
    kreis_ags, status, name, place, kiz_id = change.kreis_ags, change.status, change.name, change.place, change.kiz_id
    if status not in KIZ_STATUSES:
        raise EditRefused(f"KIZ-Status „{status}“ unbekannt – erlaubt: {', '.join(KIZ_STATUSES)}")
    if not name.strip():
        raise EditRefused("Name des KIZ fehlt")
    if len(name.strip()) > 300:
        raise EditRefused(f"Name des KIZ hat {len(name.strip())} Zeichen – höchstens 300")
    _check_source(change.source_url)
    lat = lon = None
    if place:
        try:
            location = locate.by_name(place)
        except locate.LocationError as exc:
            raise EditRefused(str(exc)) from exc
        if location.kreis_ags != kreis_ags:
            raise EditRefused(f"„{place}“ liegt nicht im gewählten Kreis")
        lat, lon = location.lat, location.lon
    values = {
        "kreis_ags": kreis_ags,
        "status": status,
        "name": name.strip(),
        "lat": lat,
        "lon": lon,
        "note": change.note or None,
        "source_url": change.source_url or None,
        "updated_at": utc_now(),
    }
    batch = str(uuid.uuid4())
    with transaction(engine) as session:
        if session.get(Region, kreis_ags) is None:
            raise EditRefused(f"Kein Kreis mit AGS {kreis_ags}")
        _upsert(session, batch, "integration_centres", kiz_id, values, user, f"KIZ {name.strip()}: „{status}“")
    return batch


def _upsert(
    session: Session,
    batch: str,
    table_name: str,
    record_id: int | None,
    values: Mapping[str, object],
    user: str,
    summary: str,
) -> int:
    """Insert a record (`record_id` None) or change it, logged with its values before and after."""
    table = TABLES[table_name]
    if record_id is None:
        record_id = _inserted_id(session, insert(table).values(**values))
        _log(session, batch, table_name, record_id, "insert", None, _row(session, table_name, record_id), user, summary)
    else:
        before = _row(session, table_name, record_id)
        if before is None:
            raise EditRefused(f"Eintrag {record_id} gibt es nicht")
        session.execute(update(table).where(table.c.id == record_id).values(**values))
        after = _row(session, table_name, record_id)
        _log(
            session,
            batch,
            table_name,
            record_id,
            "update",
            before,
            after,
            user,
            f"{summary} (vorher „{before['status']}“)",
        )
    mark_changed(session)
    return record_id


def save_initiative(engine: Engine, change: InitiativeChange, user: str) -> str:
    """Add a motion on its way in a council or change one; returns the batch id (for undo)."""
    batch = str(uuid.uuid4())
    with transaction(engine) as session:
        apply_initiative(session, batch, change, user)
    return batch


def apply_initiative(session: Session, batch: str, change: InitiativeChange, user: str) -> int:
    """Write one motion inside the caller's transaction (the Redaktion form, an accepted visitor's report).

    The council comes from the area's kind (Kreistag, Stadtrat, Marktgemeinderat, Gemeinderat); a date may
    lie up to two years ahead (a motion planned for a session), not further, and not before 1990.
    """
    title = change.title.strip()
    if change.status not in INITIATIVE_STATUSES:
        raise EditRefused(f"Status „{change.status}“ unbekannt – erlaubt: {', '.join(INITIATIVE_STATUSES)}")
    if change.asks not in INITIATIVE_ASKS:
        raise EditRefused(f"„{change.asks}“ unbekannt – erlaubt: {', '.join(INITIATIVE_ASKS.values())}")
    if not title or len(title) > 300:
        raise EditRefused("Titel des Antrags fehlt" if not title else f"Titel hat {len(title)} Zeichen – höchstens 300")
    if change.filed_on and not dt.date(1990, 1, 1) <= change.filed_on <= dt.date.today() + dt.timedelta(days=730):
        raise EditRefused(f"Datum {change.filed_on:%d.%m.%Y} ist nicht plausibel")
    _check_source(change.document_url)
    _check_source(change.source_url)
    region = session.get(Region, change.region_ags)
    if region is None or region.level == "regbez" or region.kind not in COUNCILS:
        raise EditRefused(f"Kein Kreis und keine Gemeinde mit Gemeinderat, AGS {change.region_ags}")
    values = {
        "region_ags": change.region_ags,
        "body": COUNCILS[region.kind],
        "title": title,
        "asks": change.asks,
        "status": change.status,
        "filed_on": change.filed_on,
        "document_url": change.document_url or None,
        "source_url": change.source_url or None,
        "note": change.note or None,
        "updated_at": utc_now(),
    }
    if change.initiative_id is None:  # a second click on "speichern" must not enter the motion twice
        same = session.scalar(
            select(Initiative.id).where(
                Initiative.region_ags == change.region_ags,
                Initiative.title == title,
                Initiative.asks == change.asks,
                Initiative.status == change.status,
            )
        )
        if same is not None:
            raise EditRefused(f"Diesen Antrag gibt es schon (Nr. {same}) – zum Ändern oben auswählen.")
    summary = f"Antrag {region.name}: „{change.status}“"
    return _upsert(session, batch, "initiatives", change.initiative_id, values, user, summary)


def undo_batch(engine: Engine, batch: str, user: str) -> None:
    """Restore the records of one batch as they were; refused if a later change touched them."""
    with transaction(engine) as session:
        edits = session.scalars(select(Edit).where(Edit.batch == batch).order_by(Edit.id.desc())).all()
        if not edits:
            raise EditRefused("Diese Änderung gibt es nicht.")
        if edits[0].undone_at is not None:
            raise EditRefused("Diese Änderung wurde bereits rückgängig gemacht.")
        for edit in edits:
            later = session.scalar(
                select(Edit.id).where(
                    Edit.id > edit.id,
                    Edit.batch != batch,
                    Edit.table_name == edit.table_name,
                    Edit.record_id == edit.record_id,
                    Edit.undone_at.is_(None),
                )
            )
            if later is not None:
                raise EditRefused("Eine spätere Änderung betrifft denselben Eintrag – zuerst diese rückgängig machen.")
            table = TABLES[edit.table_name]
            if edit.action == "insert":
                session.execute(delete(table).where(table.c.id == edit.record_id))
            else:
                before = snapshots.from_json(table, edit.before)
                session.execute(update(table).where(table.c.id == edit.record_id).values(**before))
            edit.undone_at, edit.undone_by = utc_now(), clip(user, 200)
        mark_changed(session)


HISTORY_FIELDS = ["batch", "created_at", "user_name", "changes", "summary", "undone_at"]


def history(engine: Engine) -> pd.DataFrame:
    """One row per batch, newest first: batch, created_at, user_name, changes (count), summary (the
    first three), undone_at. English keys like every query; the page names them (labels.LABELS)."""
    with engine.connect() as conn:
        frame = pd.read_sql(
            select(Edit.batch, Edit.created_at, Edit.user_name, Edit.summary, Edit.undone_at).order_by(Edit.id.desc()),
            conn,
        )
    if frame.empty:
        return frame.assign(changes=pd.Series(dtype="int64"))[HISTORY_FIELDS]
    grouped = frame.groupby("batch", sort=False).agg(
        created_at=("created_at", "first"),
        user_name=("user_name", "first"),
        changes=("summary", "count"),
        summary=("summary", lambda s: "; ".join(list(s)[:3]) + (" …" if len(s) > 3 else "")),
        undone_at=("undone_at", "first"),
    )
    return grouped.reset_index()[HISTORY_FIELDS]


# --- concept lists -------------------------------------------------------------------------

_STATUS_WORDS = {fold(s): s for s in CONCEPT_STATUSES} | {
    "in arbeit": "in Erarbeitung",
    "erarbeitung": "in Erarbeitung",
    "nein": "keines",
    "kein": "keines",
    "ja": "vorhanden",
}


def _region_by_name(session: Session, name: str) -> str | None:
    """A Kreis by its long name ("Landkreis Bamberg", also "Stadt Bamberg"), else a Gemeinde by name."""
    key = fold(re.sub(r"^(kreisfreie\s+)?stadt\s+", "Kreisfreie Stadt ", name.strip(), flags=re.IGNORECASE))
    for ags, region_name in session.execute(select(Region.ags, Region.name).where(Region.level == "kreis")):
        if fold(region_name) == key:
            return ags
    try:
        return locate.by_name(name).gemeinde_ags
    except locate.LocationError:
        return None


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None else ""


def read_concept_list(engine: Engine, table: Table) -> tuple[list[ConceptChange], list[Problem]]:
    """Validate a concept list row by row; errors name the row and column as in the file."""
    changes, errors = [], []
    found = match_headers(table.headers, CONCEPT_HEADERS)
    cols = {field: table.headers.index(header) if header else None for field, header in found.items()}
    ags_col, name_col, status_col = cols["ags"], cols["name"], cols["status"]
    if status_col is None or (ags_col is None and name_col is None):
        return [], [
            Problem(
                None,
                "Status" if status_col is None else "AGS/Name",
                f"{table.file_name}: Spalten „AGS“ oder „Name“ und „Status“ werden gebraucht",
            )
        ]
    with Session(engine) as session:
        for number, cells in zip(table.row_numbers, table.rows, strict=True):
            ags = (
                _cell(cells, ags_col).zfill(5)
                if _cell(cells, ags_col).isdigit() and len(_cell(cells, ags_col)) in (4, 7)
                else _cell(cells, ags_col)
            )
            if not ags:
                ags = _region_by_name(session, _cell(cells, name_col)) or ""
                if not ags:
                    errors.append(
                        Problem(
                            number,
                            table.headers[name_col] if name_col is not None else "Name",
                            f"„{_cell(cells, name_col)}“ weder als Kreis noch als Gemeinde gefunden",
                        )
                    )
                    continue
            status = _STATUS_WORDS.get(fold(_cell(cells, status_col)))
            if status is None:
                errors.append(
                    Problem(number, table.headers[status_col], f"Status „{_cell(cells, status_col)}“ unbekannt")
                )
                continue
            year_text = _cell(cells, cols["year"])
            if year_text and not re.fullmatch(r"\d{4}", year_text):
                year_header = table.headers[cols["year"]] if cols["year"] is not None else "Jahr"
                errors.append(Problem(number, year_header, f"Jahr „{year_text}“ ist keine Jahreszahl"))
                continue
            change = ConceptChange(
                ags,
                status,
                _cell(cells, cols["title"]) or None,
                int(year_text) if year_text else None,
                _cell(cells, cols["source_url"]) or None,
                _cell(cells, cols["note"]) or None,
            )
            try:
                _check_concept(change)
                region = session.get(Region, ags)
                if region is None or region.level == "regbez":
                    raise EditRefused(f"AGS {ags} ist weder Kreis noch Gemeinde")
            except EditRefused as exc:
                errors.append(Problem(number, table.headers[ags_col] if ags_col is not None else "Name", str(exc)))
                continue
            changes.append(change)
    return changes, errors
