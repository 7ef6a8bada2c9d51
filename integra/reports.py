"""Visitors' reports (Mitmachen): filed by anybody, decided by an editor, applied only when accepted.

The public form is the first write path without a password, so everything here treats the fields as
hostile: every field has a length limit, a source must be an http(s) link, text is stored as text
(never markup), identical open reports are merged, and the number of open reports is capped. Nothing
a visitor files changes a fact on the map; `accept` writes through `integra.editing` (change log, undo
per batch) in the same transaction that marks the report decided, and clears the e-mail address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from integra import editing
from integra.editing import ConceptChange
from integra.formatting import clip, http_url
from integra.models import Concept, Region, Report, utc_now
from integra.problems import Refused
from integra.store import mark_changed, transaction
from integra.vocab import REGIERUNGSBEZIRKE, REPORT_STATUS_LABELS

MAX_PENDING = 1000  # open reports in all; a flood stops here with a clear message
REPORTED_STATUSES = ("vorhanden", "in Erarbeitung", "keines")  # "unbekannt" is no finding to report
LIMITS = {"title": 300, "evidence": 1000, "text": 2000, "source_url": 500, "reporter": 120, "email": 200, "reason": 500}
LABELS = {
    "title": "Titel",
    "evidence": "Beleg",
    "text": "Text",
    "source_url": "Quelle",
    "reporter": "Name",
    "email": "E-Mail",
    "reason": "Begründung",
    "year": "Jahr",
    "status": "Status",
    "region_ags": "Gebiet",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReportRefused(Refused):
    """A report that cannot be filed or decided; the German message names the field."""


@dataclass(frozen=True)
class Reporter:
    """Who reports: optional name (shown after acceptance only with `show_name`), optional e-mail for
    the editors' questions (never shown, never exported, cleared at the decision)."""

    name: str = ""
    show_name: bool = False
    email: str = ""


@dataclass(frozen=True)
class ConceptReport:
    """A concept status of a Kreis, kreisfreie Stadt or Gemeinde, with the page that says so."""

    region_ags: str
    status: str
    source_url: str
    title: str = ""
    year: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class NoteReport:
    """Anything else about an area (a new Integrationsbeauftragte, a KIZ plan), with its source."""

    region_ags: str
    text: str
    source_url: str


def _text(field: str, value: str, required: bool = False) -> str:
    """A field as stored: trimmed, control characters refused, within its limit."""
    value = (value or "").strip()
    if required and not value:
        raise ReportRefused(f"{LABELS[field]}: bitte ausfüllen")
    if _CONTROL.search(value):
        raise ReportRefused(f"{LABELS[field]}: enthält Steuerzeichen")
    if len(value) > LIMITS[field]:
        raise ReportRefused(f"{LABELS[field]}: höchstens {LIMITS[field]} Zeichen (hier {len(value)})")
    return value


def _source(value: str) -> str:
    source = _text("source_url", value, required=True)
    if http_url(source) is None:
        raise ReportRefused("Quelle: bitte eine Internetadresse angeben, die mit http:// oder https:// beginnt")
    return source


def _proposed(report: ConceptReport | NoteReport) -> tuple[str, dict[str, Any]]:
    """The report's kind and its checked fields, as they are stored."""
    if isinstance(report, ConceptReport):
        if report.status not in REPORTED_STATUSES:
            raise ReportRefused(f"Status: bitte eines von {', '.join(REPORTED_STATUSES)} wählen")
        if report.year is not None and not 1950 <= report.year <= dt.date.today().year:
            raise ReportRefused(f"Jahr: {report.year} ist nicht plausibel")
        return "konzept", {
            "status": report.status,
            "title": _text("title", report.title),
            "year": report.year,
            "evidence": _text("evidence", report.evidence),
        }
    return "sonstiges", {"text": _text("text", report.text, required=True)}


def _concept_state(concept: Concept | None) -> dict[str, Any]:
    """A region's concept as a report compares it (no record: "unbekannt")."""
    if concept is None:
        return {"status": "unbekannt", "title": None, "year": None, "source_url": None}
    return {"status": concept.status, "title": concept.title, "year": concept.year, "source_url": concept.source_url}


def _current(session: Session, kind: str, region_ags: str) -> dict[str, Any] | None:
    """The stored record a report is about, as it stands now (to show the editor what changed since)."""
    if kind != "konzept":
        return None
    return _concept_state(session.scalar(select(Concept).where(Concept.region_ags == region_ags)))


def submit(engine: Engine, report: ConceptReport | NoteReport, reporter: Reporter = Reporter()) -> int:
    """File a report; returns its id (an identical open report's id when it merely repeats one)."""
    kind, proposed = _proposed(report)
    source = _source(report.source_url)
    name = _text("reporter", reporter.name)
    email = _text("email", reporter.email)
    if email and not _EMAIL.match(email):
        raise ReportRefused(f"E-Mail: „{clip(email, 60)}“ ist keine E-Mail-Adresse")
    fingerprint = hashlib.sha256(
        json.dumps([kind, report.region_ags, proposed, source], sort_keys=True).encode()
    ).hexdigest()
    with transaction(engine) as session:
        region = session.get(Region, report.region_ags)
        if region is None or region.level == "regbez":
            raise ReportRefused("Gebiet: bitte einen Kreis, eine kreisfreie Stadt oder eine Gemeinde wählen")
        same = session.scalar(select(Report.id).where(Report.fingerprint == fingerprint, Report.status == "pending"))
        if same is not None:
            return same
        if pending_total(session) >= MAX_PENDING:
            raise ReportRefused(
                f"Es warten schon {MAX_PENDING} Meldungen auf die Redaktion – bitte in ein paar Tagen noch einmal "
                "versuchen. Danke!"
            )
        row = Report(
            kind=kind,
            region_ags=report.region_ags,
            proposed=json.dumps(proposed, ensure_ascii=False),
            current=json.dumps(_current(session, kind, report.region_ags), ensure_ascii=False),
            source_url=source,
            reporter=name or None,
            show_reporter=bool(name and reporter.show_name),
            email=email or None,
            fingerprint=fingerprint,
            status="pending",
        )
        session.add(row)
        session.flush()
        mark_changed(session)  # the public count of reports waiting for review changes
        return row.id


def pending_total(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Report).where(Report.status == "pending")) or 0


def pending_by_region(engine: Engine) -> dict[str, int]:
    """Open reports per area (AGS): the public count ("1 Meldung in Prüfung"), never their content."""
    with Session(engine) as session:
        rows = session.execute(
            select(Report.region_ags, func.count()).where(Report.status == "pending").group_by(Report.region_ags)
        )
        return {ags: count for ags, count in rows if ags}


def listed(engine: Engine, status: str | None = None) -> list[dict[str, Any]]:
    """Reports newest first, for the review queue and the CLI: never the e-mail address.

    `changed` says whether the record the report is about differs from what it was when filed.
    """
    with Session(engine) as session:
        query = select(Report, Region.name).outerjoin(Region, Region.ags == Report.region_ags)
        if status:
            query = query.where(Report.status == status)
        rows = session.execute(query.order_by(Report.id.desc())).all()
        # the concepts the open concept reports are about, in one query (not one per report)
        about = {r.region_ags for r, _ in rows if r.kind == "konzept" and r.status == "pending" and r.region_ags}
        concepts = {c.region_ags: c for c in session.scalars(select(Concept).where(Concept.region_ags.in_(about)))}
        listed_rows = []
        for report, region_name in rows:
            current = json.loads(report.current) if report.current else None
            listed_rows.append(
                {
                    "id": report.id,
                    "kind": report.kind,
                    "ags": report.region_ags,
                    "region": region_name,
                    "regbez": REGIERUNGSBEZIRKE[int(report.region_ags[2]) - 1] if report.region_ags else None,
                    "status": report.status,
                    "created_at": report.created_at.isoformat(),
                    "source_url": report.source_url,
                    "proposed": json.loads(report.proposed),
                    "current": current,
                    "changed": report.region_ags in about
                    and current != _concept_state(concepts.get(report.region_ags)),
                    "reporter": report.reporter if report.show_reporter else None,
                    "decided_by": report.decided_by,
                    "reason": report.reason,
                }
            )
        return listed_rows


def _open(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise ReportRefused(f"Meldung {report_id} gibt es nicht")
    if report.status != "pending":
        raise ReportRefused(f"Meldung {report_id} ist schon entschieden ({REPORT_STATUS_LABELS[report.status]})")
    return report


def _decided(report: Report, status: str, editor: str, reason: str | None = None) -> None:
    report.status, report.decided_at, report.decided_by = status, utc_now(), clip(editor, 200)
    report.reason = reason
    report.email = None  # only for questions while the report was open (DSGVO)


def accept(engine: Engine, report_id: int, editor: str) -> str | None:
    """Apply a report through the editors' path and mark it accepted, in one transaction.

    A concept report becomes the region's concept (checked again, logged, undoable as one batch) with
    confidence "gemeldet, geprüft von <editor>"; returns the batch id. A note is accepted as read: it
    changes no fact on the map (an editor enters what follows from it), so there is no batch.
    """
    if not editor.strip():
        raise ReportRefused("Name der Redaktion fehlt")
    with transaction(engine) as session:
        report = _open(session, report_id)
        batch = None
        if report.kind == "konzept":
            proposed = json.loads(report.proposed)
            note = proposed["evidence"] or None
            if report.show_reporter and report.reporter:
                note = f"{note} – gemeldet von {report.reporter}" if note else f"gemeldet von {report.reporter}"
            change = ConceptChange(
                report.region_ags or "",
                proposed["status"],
                proposed["title"] or None,
                proposed["year"],
                report.source_url,
                note,
                confidence=f"gemeldet, geprüft von {clip(editor, 40)}",
            )
            try:
                batch = editing.apply_concepts(session, [change], editor)
            except editing.EditRefused as exc:
                raise ReportRefused(str(exc)) from exc
        _decided(report, "accepted", editor)
        report.batch = batch
        mark_changed(session)
        return batch


def reject(engine: Engine, report_id: int, editor: str, reason: str) -> None:
    """Mark a report rejected; the reason is required and kept (the reporter may ask)."""
    if not editor.strip():
        raise ReportRefused("Name der Redaktion fehlt")
    reason = _text("reason", reason, required=True)
    with transaction(engine) as session:
        _decided(_open(session, report_id), "rejected", editor, reason)
        mark_changed(session)


def as_json(rows: list[dict[str, Any]]) -> str:
    """The rows of `listed` for scripts (`reports list --json`)."""
    return json.dumps(rows, ensure_ascii=False, indent=1)
