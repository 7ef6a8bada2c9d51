"""Partner-list imports: validate row by row, compare with the store, apply all-or-nothing, undo.

One code path serves the upload page and `python -m integra import-partners`:
`plan_import` reads and checks a file and shows what would change (read-only);
`apply_import` writes it in one transaction, re-comparing under the write lock so two
imports at the same time can never interleave; `undo_import` restores the state before an
import as long as no later import touched the same partners.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from integra import geodata, locate, snapshots
from integra.columns import FIELDS, REQUIRED, guess_mapping, personal_columns
from integra.export import FORMULA_START
from integra.formatting import clip, http_url
from integra.labels import LABELS
from integra.models import ImportChange, ImportRun, Partner, table_of, utc_now
from integra.problems import Problem, Refused
from integra.store import data_token, mark_changed, transaction
from integra.tabular import Table
from integra.textkeys import fold, words
from integra.vocab import partner_type_of

MODE_MERGE = "merge"
MODE_REPLACE = "replace"
MODE_REPORT = "report"  # one partner report accepted on the Redaktion page (integra.reports)
MODE_LABELS = {MODE_MERGE: "Zusammenführen", MODE_REPLACE: "Liste ersetzen", MODE_REPORT: "Meldung (geprüft)"}

# Partner fields an import sets and compares (id, updated_at and import_id are bookkeeping).
DATA_FIELDS = (
    "name",
    "type",
    "kind_detail",
    "street",
    "plz",
    "city",
    "gemeinde_ags",
    "kreis_ags",
    "lat",
    "lon",
    "precision",
    "website",
    "email",
    "phone",
    "contact",
    "source_url",
    "source_year",
    "confidence",
    "external_id",
)
# Key of the PostgreSQL advisory lock all app processes take before an import writes (any constant).
IMPORT_LOCK_ID = 4711
# Fields that come from a column only when the column is mapped; otherwise stored values stay.
_OPTIONAL_COLUMNS = ("street", "plz", "website", "email", "phone", "source_url", "external_id")
# Confidence of a row as uploaded; a source older than STALE_YEARS makes it "low" (offices move,
# Helferkreise dissolve), whoever uploads it.
UPLOAD_CONFIDENCE = "laut hochgeladener Liste"
STALE_YEARS = 5
_MARKUP = re.compile("[<>]")  # looks like an HTML tag; no partner's name needs angle brackets
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


class ImportRefused(Refused):
    """The import cannot be applied or undone; the message is German and says why."""


@dataclass
class Candidate:
    """A valid row, ready to store."""

    row: int
    values: dict[str, object]
    key: tuple[str, ...]
    # Fields the file did not give (default source and confidence): set on new partners only,
    # so re-uploading a list under another file name does not "change" every partner.
    defaults: frozenset[str] = frozenset()


@dataclass
class Update:
    partner_id: int
    candidate: Candidate
    changes: dict[str, tuple[object, object]]
    before: dict[str, Any]  # the stored row, for the change log


@dataclass
class Plan:
    """Everything the preview shows and `apply_import` needs."""

    file_name: str
    sha256: str
    mode: str
    scope: str
    mapping: dict[str, str | None]
    candidates: list[Candidate] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    only_valid: bool = False
    scope_kreis: str | None = None
    inserts: list[Candidate] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: list[Candidate] = field(default_factory=list)
    removals: list[dict[str, Any]] = field(default_factory=list)
    base_version: str = ""

    @property
    def can_apply(self) -> bool:
        """Something to change, and no errors (unless the user chose to skip those rows).

        A file whose rows are all stored already is no import: a second click on "Übernehmen"
        recorded an empty one in the history (UX review #15).
        """
        return self.changes_anything and (not self.errors or self.only_valid)

    @property
    def changes_anything(self) -> bool:
        return bool(self.inserts or self.updates or self.removals)

    def summary(self, applied: bool) -> dict[str, Any]:
        return {
            "inserted": len(self.inserts),
            "updated": len(self.updates),
            "unchanged": len(self.unchanged),
            "removed": len(self.removals),
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "applied": applied,
        }


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(" ", "").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _website(text: str) -> str | None:
    """http(s) URL for a cell like `www.caritas.de`; None for other schemes (javascript: etc.) and malformed ones."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE) and not re.match(r"^https?://", text, re.IGNORECASE):
        return None
    return http_url(text if re.match(r"^https?://", text, re.IGNORECASE) else f"https://{text}")


PARTNERS = table_of(Partner)
# Column widths of the partner table: a longer cell is an error of its row, not a database failure.
_TEXT_LIMITS = {c.key: length for c in PARTNERS.columns if (length := getattr(c.type, "length", None))}


_DEFAULTED = frozenset({"source_url", "confidence"})


class _RowReader:
    """Turns the cells of one row into partner values, collecting problems with the user's headers."""

    def __init__(
        self, table: Table, mapping: dict[str, str | None], consent: bool, today: dt.date, confidence: str
    ) -> None:
        self.table, self.mapping, self.consent = table, mapping, consent
        self.today, self.confidence = today, confidence
        self.index = {f: table.headers.index(h) for f, h in mapping.items() if h in table.headers}
        self.personal = [table.headers.index(h) for h in personal_columns(table.headers, mapping)]
        self.default_source = f"Liste {table.file_name}, hochgeladen am {today:%d.%m.%Y}"

    def header(self, field_name: str) -> str:
        return self.mapping.get(field_name) or FIELDS.get(field_name, (field_name,))[0]

    def cell(self, cells: list[str], field_name: str) -> str:
        i = self.index.get(field_name)
        return cells[i].strip() if i is not None else ""

    def read(self, number: int, cells: list[str], errors: list[Problem], warnings: list[Problem]) -> dict | None:
        def error(field_name: str, message: str) -> None:
            errors.append(Problem(number, self.header(field_name), message))

        def warn(field_name: str, message: str) -> None:
            warnings.append(Problem(number, self.header(field_name), message))

        name = self.cell(cells, "name")
        if not name:
            error("name", "Name fehlt")
            return None
        if name.startswith(FORMULA_START):
            warn(
                "name",
                "beginnt mit „=“, „+“, „-“ oder „@“ wie eine Tabellenformel – wird nur als Text gespeichert "
                "und in Exporten entschärft; bitte prüfen",
            )
        if _MARKUP.search(name):
            warn("name", "enthält spitze Klammern wie HTML-Code – wird nur als Text gezeigt; bitte prüfen")
        type_text = self.cell(cells, "type")
        ptype = partner_type_of(type_text or name)
        if type_text and ptype == "Sonstige" and fold(type_text) not in ("sonstige", "sonstiges"):
            warn("type", f"Typ „{type_text}“ unbekannt – als „Sonstige“ übernommen")
        if ptype == "Sonstige" and (named := partner_type_of(name)) != "Sonstige":
            # "Caritas Nürnberg – Migrationsberatung" listed as Sonstige: the Verband's office is its presence
            warn("type", f"Name nennt {named} – als „{named}“ übernommen (Typ laut Liste: „{type_text or 'leer'}“)")
            ptype = named
        values: dict[str, object] = {
            "name": name,
            "type": ptype,
            # the list's own word only where it says more than the type ("Wohlfahrtsverband", not "AWO")
            "kind_detail": type_text if fold(type_text) not in (fold(ptype), "", "sonstige", "sonstiges") else None,
            "confidence": self.confidence,
        }
        for field_name in _OPTIONAL_COLUMNS:
            if field_name in self.index:
                values[field_name] = self.cell(cells, field_name) or None
        if not values.get("source_url"):
            values["source_url"] = self.default_source
        if values.get("website"):
            website = _website(str(values["website"]))
            if website is None:
                warn("website", "Webseite ist keine gültige http(s)-Adresse – nicht übernommen")
            values["website"] = website
        if "source_year" in self.index:
            year = values["source_year"] = self.source_year(cells, warn)
            if year and self.today.year - year > STALE_YEARS:
                values["confidence"] = "low"
        if values.get("email") and not _EMAIL.match(str(values["email"])):
            warn("email", f"E-Mail „{values['email']}“ ungültig – nicht übernommen")
            values["email"] = None
        if self.personal and self.consent:
            parts = [f"{self.table.headers[i]}: {cells[i]}" for i in self.personal if cells[i].strip()]
            values["contact"] = "; ".join(parts) or None
        elif "contact" not in values:
            values["contact"] = None
        too_long = [(f, limit) for f, limit in _TEXT_LIMITS.items() if len(str(values.get(f) or "")) > limit]
        for field_name, limit in too_long:  # PostgreSQL would refuse the whole import; SQLite would store it
            error(field_name, f"höchstens {limit} Zeichen erlaubt (hier {len(str(values[field_name]))})")
        return None if too_long else values

    def source_year(self, cells: list[str], warn: Callable[[str, str], None]) -> int | None:
        """The latest year the cell names ("2018", "03.05.2018", "2004/2019"), if it is a plausible one."""
        text = self.cell(cells, "source_year")
        years = [int(y) for y in re.findall(r"(?<!\d)(1\d{3}|2\d{3})(?!\d)", text)]
        plausible = [y for y in years if 1900 <= y <= self.today.year]
        if text and not plausible:
            warn(
                "source_year",
                f"„{text}“ ist keine Jahreszahl bis {self.today.year} – nicht übernommen",
            )
        return max(plausible, default=None)

    def defaulted(self, cells: list[str]) -> frozenset[str]:
        """The fields this upload fills in itself because the row names no source (see Candidate.defaults)."""
        return frozenset() if self.cell(cells, "source_url") else _DEFAULTED

    def coordinates(self, cells: list[str]) -> tuple[float | None, float | None, str, str]:
        """(lat, lon) as numbers (None if not numeric) and as typed, for messages."""
        lat_text, lon_text = self.cell(cells, "lat"), self.cell(cells, "lon")
        return _number(lat_text), _number(lon_text), lat_text, lon_text


@dataclass
class RowReport:
    """What reading a file's rows found: the valid rows, the problems, and how columns were used."""

    candidates: list[Candidate]
    errors: list[Problem]
    warnings: list[Problem]
    dropped_columns: list[str]  # personal data, not stored without consent
    mapping: dict[str, str | None]


def read_rows(
    table: Table,
    mapping: dict[str, str | None] | None = None,
    consent: bool = False,
    confidence: str = UPLOAD_CONFIDENCE,
    today: dt.date | None = None,
) -> RowReport:
    """Validate and locate every row. `confidence` is what a row with a recent (or no) source gets;
    the seed build passes the research's own, editors' uploads keep UPLOAD_CONFIDENCE."""
    mapping = mapping or guess_mapping(table.headers)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for required in REQUIRED:
        if not mapping.get(required):
            label = FIELDS[required][0]
            message = f"{table.file_name}: Spalte „{label}“ fehlt (gefunden: {', '.join(table.headers)})"
            return RowReport([], [Problem(None, label, message)], [], [], mapping)
    reader = _RowReader(table, mapping, consent, today or dt.date.today(), confidence)
    dropped = [] if consent else personal_columns(table.headers, mapping)
    rows: list[tuple[int, dict, list[str]]] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        values = reader.read(number, cells, errors, warnings)
        if values is not None:
            rows.append((number, values, cells))
    # Coordinates are located in one spatial join, everything else row by row.
    coords = [(i, *reader.coordinates(cells)) for i, (_, _, cells) in enumerate(rows)]
    with_points = [(i, lat, lon) for i, lat, lon, *_ in coords if lat is not None and lon is not None]
    ags_at = dict(
        zip(
            [i for i, *_ in with_points],
            locate.gemeinden_at([p[1] for p in with_points], [p[2] for p in with_points]),
            strict=True,
        )
    )
    candidates: list[Candidate] = []
    seen: dict[tuple[str, ...], int] = {}
    use_external = bool(mapping.get("external_id"))
    for i, (number, values, cells) in enumerate(rows):
        lat, lon, lat_text, lon_text = coords[i][1:]
        try:
            place = _locate(reader, cells, lat, lon, lat_text, lon_text, ags_at.get(i))
        except locate.LocationError as exc:
            errors.append(Problem(number, reader.header(exc.column), str(exc)))
            continue
        if place.warning:
            column = "lat" if place.precision == "Adresse" else "plz"
            warnings.append(Problem(number, reader.header(column), place.warning))
        values.update(
            gemeinde_ags=place.gemeinde_ags,
            kreis_ags=place.kreis_ags,
            lat=place.lat,
            lon=place.lon,
            precision=place.precision,
            city=reader.cell(cells, "city") or place.city,
        )
        key = (
            ("id", str(values["external_id"]))
            if use_external and values.get("external_id")
            else ("name", words(str(values["name"])), place.gemeinde_ags)
        )
        if key in seen:
            errors.append(Problem(number, reader.header("name"), f"doppelt in der Datei (wie Zeile {seen[key]})"))
            continue
        seen[key] = number
        candidates.append(Candidate(number, values, key, reader.defaulted(cells)))
    return RowReport(candidates, errors, warnings, dropped, mapping)


def _locate(reader: _RowReader, cells, lat, lon, lat_text, lon_text, ags) -> locate.Location:
    if lat_text or lon_text:
        if lat is None or lon is None:
            column = "lat" if lat is None else "lon"
            raise locate.LocationError(column, f"Koordinate „{lat_text if lat is None else lon_text}“ ist keine Zahl")
        if ags[0] is None and locate.gemeinden_at([lon], [lat])[0][0] is not None:
            raise locate.LocationError("lat", "Breite und Länge vertauscht? Der Punkt liegt so nicht in Bayern")
        return locate.by_point(lat, lon, ags)
    plz, city = reader.cell(cells, "plz"), reader.cell(cells, "city")
    if plz:
        return locate.by_plz(plz, city)
    if city:
        return locate.by_name(city)
    raise locate.LocationError("city", "kein Ort: weder Koordinaten noch PLZ noch Ort angegeben")


def existing_partners(session: Session, gemeinde_ags: str | None = None) -> list[dict[str, Any]]:
    """All partners (or those of one Gemeinde) as plain dicts (Core rows: ten times faster than ORM
    objects for 50,000 rows)."""
    query = (
        select(PARTNERS) if gemeinde_ags is None else select(PARTNERS).where(PARTNERS.c.gemeinde_ags == gemeinde_ags)
    )
    return [dict(row) for row in session.execute(query).mappings()]


def stored_partner(session: Session, partner_id: int) -> dict[str, Any] | None:
    """One partner as `existing_partners` gives it, or None."""
    row = session.execute(select(PARTNERS).where(PARTNERS.c.id == partner_id)).mappings().first()
    return dict(row) if row else None


def _same(old: object, new: object) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        return old is not None and new is not None and abs(float(str(old)) - float(str(new))) < 1e-6
    return (old or None) == (new or None)


def compare(plan: Plan, existing: list[dict[str, Any]]) -> None:
    """Sort candidates into inserts, updates (field by field), unchanged; find removals in replace mode."""
    by_id: dict[tuple, dict[str, Any]] = {("id", str(p["external_id"])): p for p in existing if p["external_id"]}
    by_name: dict[tuple, dict[str, Any]] = {("name", words(str(p["name"])), p["gemeinde_ags"]): p for p in existing}
    matched: set[int] = set()
    plan.inserts, plan.updates, plan.unchanged, plan.removals = [], [], [], []
    for cand in plan.candidates:
        old = by_id.get(cand.key) if cand.key[0] == "id" else by_name.get(cand.key)
        if old is None and cand.key[0] == "id":  # a list with ids can still match an earlier one without
            old = by_name.get(("name", words(str(cand.values["name"])), cand.values["gemeinde_ags"]))
        if old is None:
            plan.inserts.append(cand)
            continue
        matched.add(int(old["id"]))
        changes = {f: (old[f], v) for f, v in cand.values.items() if f not in cand.defaults and not _same(old[f], v)}
        (plan.updates.append(Update(int(old["id"]), cand, changes, old)) if changes else plan.unchanged.append(cand))
    if plan.mode == MODE_REPLACE:
        types = {c.values["type"] for c in plan.candidates}
        plan.removals = [
            p
            for p in existing
            if int(p["id"]) not in matched
            and (p["kreis_ags"] == plan.scope_kreis if plan.scope_kreis else p["type"] in types)
        ]


def plan_import(
    engine: Engine,
    table: Table,
    data: bytes,
    mapping: dict[str, str | None] | None = None,
    mode: str = MODE_MERGE,
    scope_kreis: str | None = None,
    consent: bool = False,
    only_valid: bool = False,
) -> Plan:
    """Read, validate, locate and compare a table with the store; changes nothing."""
    report = read_rows(table, mapping, consent)
    if scope_kreis:
        city = report.mapping.get("city") or "Ort"
        report.errors += [
            Problem(c.row, city, "liegt nicht im gewählten Kreis")
            for c in report.candidates
            if c.values["kreis_ags"] != scope_kreis
        ]
        report.candidates = [c for c in report.candidates if c.values["kreis_ags"] == scope_kreis]
    plan = Plan(
        file_name=table.file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        mode=mode,
        scope=f"Kreis {scope_kreis}" if scope_kreis else "Typen der Datei",
        mapping=report.mapping,
        candidates=report.candidates,
        errors=report.errors,
        warnings=report.warnings,
        dropped_columns=report.dropped_columns,
        only_valid=only_valid,
        scope_kreis=scope_kreis,
    )
    plan.warnings += [
        Problem(None, column, "sieht nach persönlichen Daten aus – wird ohne Einwilligung nicht gespeichert")
        for column in report.dropped_columns
    ]
    plan.errors.sort(key=lambda p: p.row or 0)
    with engine.connect() as conn:
        session = Session(bind=conn)
        compare(plan, existing_partners(session))
        plan.base_version = data_token(session)
    return plan


def _row_for_store(values: dict[str, object], import_id: int, now: dt.datetime) -> dict[str, object]:
    """A full partner row (every data field, unset ones None) so all rows of a batch insert alike."""
    return {**dict.fromkeys(DATA_FIELDS), **values, "import_id": import_id, "updated_at": now}


def lock_partners(session: Session) -> None:
    """Serialise writers before reading what to change, so two imports never interleave.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: a write statement that changes no row
    still takes the database's write lock (WAL: readers go on; a second writer waits busy_timeout).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(IMPORT_LOCK_ID)))
    else:
        session.execute(update(ImportRun).where(ImportRun.id < 0).values(file_name=ImportRun.file_name))


def _sync_id_sequence(session: Session) -> None:
    """PostgreSQL hands out ids from a sequence: move it past the ids assigned by the import."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.setval(func.pg_get_serial_sequence("partners", "id"), func.max(Partner.id))))


def apply_import(engine: Engine, plan: Plan, user: str, check_version: bool = True) -> int:
    """Write the plan in one transaction and return the import id; on any error nothing changes."""
    if not plan.can_apply:
        raise ImportRefused(
            "Die Datei enthält Fehler – nichts übernommen. Fehler beheben oder „nur gültige Zeilen übernehmen“ wählen."
            if plan.errors
            else "Nichts zu übernehmen."
        )
    with transaction(engine) as session:
        lock_partners(session)
        if check_version and data_token(session) != plan.base_version:
            raise ImportRefused("Die Partnerdaten wurden seit der Vorschau geändert – bitte Vorschau neu erstellen.")
        compare(plan, existing_partners(session))
        if not plan.changes_anything:
            raise ImportRefused("Nichts zu übernehmen: alle Zeilen sind schon so gespeichert.")
        return record(session, plan, user)


def record(session: Session, plan: Plan, user: str) -> int:
    """Write a compared plan's inserts, updates and removals as one import run (change log, undo)
    inside the caller's transaction, which holds `lock_partners` since it compared; returns the run's id.

    Uploads call it through `apply_import`; an accepted partner report (`integra.reports`) calls it
    with a one-row plan, so its change is in the same history and undone the same way.
    """
    now = utc_now()
    run = ImportRun(
        file_name=clip(plan.file_name, 300),
        sha256=plan.sha256,
        created_at=now,
        user_name=clip(user, 200),
        mode=plan.mode,
        scope=plan.scope,
        skipped=len({p.row for p in plan.errors if p.row}),
    )
    session.add(run)
    session.flush()
    changes = []
    if plan.inserts:
        rows = [_row_for_store(c.values, run.id, now) for c in plan.inserts]
        # Ids are assigned here, under the write lock, so one executemany inserts all rows:
        # RETURNING in parameter order would make SQLite insert row by row (50,000 round trips).
        first = (session.scalar(select(func.max(Partner.id))) or 0) + 1
        rows = [{**row, "id": first + i} for i, row in enumerate(rows)]
        session.execute(insert(PARTNERS), rows)
        _sync_id_sequence(session)
        changes += [
            {
                "import_id": run.id,
                "partner_id": row["id"],
                "action": "insert",
                "before": None,
                "after": snapshots.to_json(row),
            }
            for row in rows
        ]
    for upd in plan.updates:
        new_values = {**{f: new for f, (_, new) in upd.changes.items()}, "import_id": run.id, "updated_at": now}
        session.execute(update(Partner).where(Partner.id == upd.partner_id).values(**new_values))
        changes.append(
            {
                "import_id": run.id,
                "partner_id": upd.partner_id,
                "action": "update",
                "before": snapshots.to_json(upd.before),
                "after": snapshots.to_json({**upd.before, **new_values}),
            }
        )
    if plan.removals:
        gone = [int(p["id"]) for p in plan.removals]
        session.execute(delete(Partner).where(Partner.id.in_(gone)))
        changes += [
            {
                "import_id": run.id,
                "partner_id": int(p["id"]),
                "action": "delete",
                "before": snapshots.to_json(p),
                "after": None,
            }
            for p in plan.removals
        ]
    if changes:
        session.execute(insert(table_of(ImportChange)), changes)
    mark_changed(session)
    run.inserted, run.updated = len(plan.inserts), len(plan.updates)
    run.unchanged, run.removed = len(plan.unchanged), len(plan.removals)
    return run.id


def undo_import(engine: Engine, import_id: int, user: str) -> None:
    """Restore exactly the partners as they were before import `import_id`."""
    with transaction(engine) as session:
        lock_partners(session)
        run = session.get(ImportRun, import_id)
        if run is None:
            raise ImportRefused(f"Import {import_id} gibt es nicht.")
        if run.undone_at is not None:
            raise ImportRefused(
                f"Import {import_id} wurde bereits am {run.undone_at:%d.%m.%Y %H:%M} rückgängig gemacht."
            )
        run.undone_at = utc_now()
        run.undone_by = clip(user, 200)
        changes = session.scalars(
            select(ImportChange).where(ImportChange.import_id == import_id).order_by(ImportChange.id.desc())
        ).all()
        ids = {c.partner_id for c in changes}
        later = session.scalars(
            select(ImportChange.import_id)
            .join(ImportRun, ImportRun.id == ImportChange.import_id)
            .where(ImportChange.import_id > import_id, ImportRun.undone_at.is_(None), ImportChange.partner_id.in_(ids))
            .distinct()
        ).all()
        if later:
            raise ImportRefused(
                f"Import {import_id} kann nicht rückgängig gemacht werden: spätere Importe "
                f"({', '.join(map(str, sorted(later)))}) haben dieselben Partner geändert. "
                "Zuerst diese rückgängig machen."
            )
        for change in changes:
            if change.action == "insert":
                session.execute(delete(Partner).where(Partner.id == change.partner_id))
            elif change.action == "update":
                before = snapshots.from_json(PARTNERS, change.before)
                session.execute(update(Partner).where(Partner.id == change.partner_id).values(**before))
            else:
                session.execute(insert(Partner).values(**snapshots.from_json(PARTNERS, change.before)))
        mark_changed(session)


def history(engine: Engine) -> list[ImportRun]:
    with Session(engine) as session:
        return list(session.scalars(select(ImportRun).order_by(ImportRun.id.desc())))


def preview_frame(candidates: list[Candidate]) -> pd.DataFrame:
    """Candidates as a partner table (with Gemeinde and Kreis names) for the preview table and map."""
    frame = pd.DataFrame(
        [{f: c.values.get(f) for f in DATA_FIELDS} | {"Zeile": c.row} for c in candidates],
        columns=[*DATA_FIELDS, "Zeile"],
    )
    gemeinden = geodata.gemeinden().set_index("ags")["name"]
    kreise = geodata.kreise().set_index("ags")["name_long"]
    return frame.assign(gemeinde=frame["gemeinde_ags"].map(gemeinden), kreis=frame["kreis_ags"].map(kreise))


def changes_frame(plan: Plan) -> pd.DataFrame:
    """One row per changed field: what the preview lists under „geändert“."""
    rows = [
        {
            "Zeile": u.candidate.row,
            "Name": u.candidate.values["name"],
            "Feld": LABELS[f],
            "bisher": "" if old is None else str(old),
            "neu": "" if new is None else str(new),
        }
        for u in plan.updates
        for f, (old, new) in u.changes.items()
    ]
    return pd.DataFrame(rows, columns=["Zeile", "Name", "Feld", "bisher", "neu"])


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Zeile": p.row, "Spalte": p.column, "Problem": p.message} for p in problems],
        columns=["Zeile", "Spalte", "Problem"],
    ).astype({"Zeile": "Int64"})
