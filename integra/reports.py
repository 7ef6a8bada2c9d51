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
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, func, select, update
from sqlalchemy.orm import Session

from integra import editing, importer
from integra.columns import FIELDS
from integra.editing import ConceptChange
from integra.formatting import NOT_XML, clip, http_url
from integra.models import Concept, Partner, Region, Report, utc_now
from integra.problems import Refused
from integra.store import mark_changed, transaction
from integra.tabular import Table
from integra.textkeys import words
from integra.vocab import (
    INITIATIVE_ASKS,
    INITIATIVE_STATUSES,
    PARTNER_TYPES,
    REGIERUNGSBEZIRKE,
    REPORT_STATUS_LABELS,
)

MAX_PENDING = 1000  # open reports in all; a flood stops here with a clear message
REPORTED_STATUSES = ("vorhanden", "in Erarbeitung", "keines")  # "unbekannt" is no finding to report
LIMITS = {
    "title": 300,
    "evidence": 1000,
    "text": 2000,
    "source_url": 500,
    "reporter": 120,
    "email": 200,
    "reason": 500,
    "name": 300,
    "street": 200,
    "plz": 5,
    "city": 200,
    "website": 500,
    "document_url": 500,
}
# What a visitor can say about a partner: a new one, a correction, or that it is gone.
NEW, CORRECTION, GONE = "neu", "korrektur", "entfernt"
PARTNER_FIELDS = ("name", "type", "street", "plz", "city", "website")  # as the form asks, stored as typed
# What a correction changes besides these: where the partner is (only when its address changed).
_PLACE_FIELDS = ("gemeinde_ags", "kreis_ags", "lat", "lon", "precision")
LABELS = {
    **{field: FIELDS[field][0] for field in PARTNER_FIELDS},
    "type": "Typ",
    "title": "Titel",
    "evidence": "Beleg",
    "text": "Text",
    "source_url": "Quelle",
    "reporter": "Name",
    "email": "E-Mail",
    "document_url": "Dokument",
    "asks": "Antrag auf",
    "filed_on": "Datum",
    "reason": "Begründung",
    "year": "Jahr",
    "status": "Status",
    "region_ags": "Gebiet",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


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


@dataclass(frozen=True)
class PartnerReport:
    """A new partner, a correction of one (`partner_id`), or that one is gone (`gone`), with a source.

    The place is found by the offline locator of uploads (PLZ and/or Ort), so the area is known.
    """

    source_url: str
    name: str = ""
    type: str = ""
    street: str = ""
    plz: str = ""
    city: str = ""
    website: str = ""
    partner_id: int | None = None
    gone: bool = False

    @property
    def action(self) -> str:
        return NEW if self.partner_id is None else GONE if self.gone else CORRECTION


@dataclass(frozen=True)
class InitiativeReport:
    """A motion on its way in a council of the area (Initiativen), with where it can be read."""

    region_ags: str
    title: str
    asks: str
    status: str
    source_url: str
    filed_on: dt.date | None = None
    document_url: str = ""


Filed = ConceptReport | NoteReport | PartnerReport | InitiativeReport


def _text(field: str, value: str, required: bool = False) -> str:
    """A field as stored: trimmed, control characters refused, within its limit."""
    value = (value or "").strip()
    if required and not value:
        raise ReportRefused(f"{LABELS[field]}: bitte ausfüllen")
    if NOT_XML.search(value):
        raise ReportRefused(f"{LABELS[field]}: enthält Steuerzeichen")
    if len(value) > LIMITS[field]:
        raise ReportRefused(f"{LABELS[field]}: höchstens {LIMITS[field]} Zeichen (hier {len(value)})")
    return value


def _source(value: str) -> str:
    source = _text("source_url", value, required=True)
    if http_url(source) is None:
        raise ReportRefused("Quelle: bitte eine Internetadresse angeben, die mit http:// oder https:// beginnt")
    return source


def _partner_values(fields: dict[str, str], source: str, confidence: str) -> dict[str, Any]:
    """A reported partner read and located exactly like a row of an uploaded list (same checks, same
    offline locator); a problem an upload would only warn about refuses the report, naming the field."""
    names = (*PARTNER_FIELDS, "source_url")
    table = Table("Meldung", [LABELS[f] for f in names], [[*(fields[f] for f in PARTNER_FIELDS), source]], [1])
    found = importer.read_rows(table, {f: LABELS[f] for f in names}, confidence=confidence)
    problem = next(iter(found.errors), None) or next(
        (w for w in found.warnings if w.column in (LABELS["name"], LABELS["website"])), None
    )
    if problem is not None:  # an upload's warning ends in what the upload does instead ("– nicht übernommen")
        message = problem.message if problem in found.errors else problem.message.split(" – ")[0]
        raise ReportRefused(f"{problem.column}: {message.removeprefix(problem.column + ' ')}")
    values = found.candidates[0].values
    return {f: values.get(f) for f in (*PARTNER_FIELDS, *_PLACE_FIELDS, "source_url", "confidence")}


def _partner_fields(report: PartnerReport) -> dict[str, str]:
    fields = {f: _text(f, getattr(report, f), required=f == "name") for f in PARTNER_FIELDS if f != "type"}
    if report.type not in PARTNER_TYPES:
        raise ReportRefused(f"Typ: bitte einen von {', '.join(PARTNER_TYPES)} wählen")
    if not (fields["plz"] or fields["city"]):
        raise ReportRefused("Ort: bitte PLZ oder Ort angeben, damit der Partner auf die Karte kann")
    return fields | {"type": report.type}


def _proposed(report: Filed) -> tuple[str, dict[str, Any]]:
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
    if isinstance(report, PartnerReport):
        return "partner", {"action": report.action} | ({} if report.gone else _partner_fields(report))
    if isinstance(report, InitiativeReport):
        if report.status not in INITIATIVE_STATUSES:
            raise ReportRefused(f"Stand: bitte einen von {', '.join(INITIATIVE_STATUSES)} wählen")
        if report.asks not in INITIATIVE_ASKS:
            raise ReportRefused(f"Antrag auf: bitte eines von {', '.join(INITIATIVE_ASKS.values())} wählen")
        document = _text("document_url", report.document_url)
        if document and http_url(document) is None:
            raise ReportRefused("Dokument: bitte eine Internetadresse, die mit http:// oder https:// beginnt")
        return "initiative", {
            "title": _text("title", report.title, required=True),
            "asks": report.asks,
            "status": report.status,
            "filed_on": report.filed_on.isoformat() if report.filed_on else None,
            "document_url": document,
        }
    return "sonstiges", {"text": _text("text", report.text, required=True)}


def _concept_state(concept: Concept | None) -> dict[str, Any]:
    """A region's concept as a report compares it (no record: "unbekannt")."""
    if concept is None:
        return {"status": "unbekannt", "title": None, "year": None, "source_url": None}
    return {"status": concept.status, "title": concept.title, "year": concept.year, "source_url": concept.source_url}


def _partner_state(partner: Partner | None) -> dict[str, Any] | None:
    """A partner as a report compares it (None: it is gone)."""
    if partner is None:
        return None
    return {f: getattr(partner, f) for f in (*PARTNER_FIELDS, "source_url")}


def _same_name(session: Session, name: str, gemeinde_ags: str) -> bool:
    """Whether a partner of this name (as imports match names) is stored in the Gemeinde."""
    return any(words(str(p["name"])) == words(name) for p in importer.existing_partners(session, gemeinde_ags))


def _about(session: Session, report: Filed, proposed: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The area a report is about and the stored record as it stands now (to show what changed since)."""
    if isinstance(report, PartnerReport):
        partner = session.get(Partner, report.partner_id) if report.partner_id is not None else None
        if report.partner_id is not None and partner is None:
            raise ReportRefused("Partner: diesen Eintrag gibt es nicht (mehr) – bitte als neuen Partner melden")
        if report.gone and partner is not None:
            return partner.gemeinde_ags, _partner_state(partner)
        place = _partner_values(proposed, report.source_url, "gemeldet")
        if partner is None and _same_name(session, proposed["name"], str(place["gemeinde_ags"])):
            raise ReportRefused(
                f"Name: „{clip(proposed['name'], 60)}“ gibt es dort schon – bitte „Angaben korrigieren“ wählen"
            )
        return str(place["gemeinde_ags"]), _partner_state(partner)
    region = session.get(Region, report.region_ags)
    if region is None or region.level == "regbez":
        raise ReportRefused("Gebiet: bitte einen Kreis, eine kreisfreie Stadt oder eine Gemeinde wählen")
    if isinstance(report, ConceptReport):
        return report.region_ags, _concept_state(
            session.scalar(select(Concept).where(Concept.region_ags == report.region_ags))
        )
    return report.region_ags, None


def submit(engine: Engine, report: Filed, reporter: Reporter = Reporter()) -> int:
    """File a report; returns its id (an identical open report's id when it merely repeats one)."""
    kind, proposed = _proposed(report)
    source = _source(report.source_url)
    name = _text("reporter", reporter.name)
    email = _text("email", reporter.email)
    if email and not _EMAIL.match(email):
        raise ReportRefused(f"E-Mail: „{clip(email, 60)}“ ist keine E-Mail-Adresse")
    partner_id = report.partner_id if isinstance(report, PartnerReport) else None
    with transaction(engine) as session:
        region_ags, current = _about(session, report, proposed)
        fingerprint = hashlib.sha256(
            json.dumps([kind, region_ags, partner_id, proposed, source], sort_keys=True).encode()
        ).hexdigest()
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
            region_ags=region_ags,
            partner_id=partner_id,
            proposed=json.dumps(proposed, ensure_ascii=False),
            current=json.dumps(current, ensure_ascii=False),
            source_url=source,
            reporter=name or None,
            show_reporter=bool(name and reporter.show_name),
            email=email or None,
            fingerprint=fingerprint,
            status="pending",
        )
        session.add(row)
        session.flush()
        mark_changed(session, facts=False)  # the public count of reports waiting for review changes
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


def listed(engine: Engine, status: str | None = None, contact: bool = False) -> list[dict[str, Any]]:
    """Reports newest first, for the review queue and the CLI: never the e-mail address, and the
    reporter's name only where it may be shown; `contact` (the logged-in queue only) adds both, for
    the editors' questions.

    `changed` says whether the record the report is about differs from what it was when filed.
    """
    with Session(engine) as session:
        query = select(Report, Region.name).outerjoin(Region, Region.ags == Report.region_ags)
        if status:
            query = query.where(Report.status == status)
        rows = session.execute(query.order_by(Report.id.desc())).all()
        # the records the open reports are about, in one query per table (not one per report)
        pending = [r for r, _ in rows if r.status == "pending"]
        about = {r.region_ags for r in pending if r.kind == "konzept" and r.region_ags}
        concepts = {c.region_ags: c for c in session.scalars(select(Concept).where(Concept.region_ags.in_(about)))}
        partner_ids = {r.partner_id for r in pending if r.partner_id is not None}
        partners = {p.id: p for p in session.scalars(select(Partner).where(Partner.id.in_(partner_ids)))}

        def changed(report: Report, current: dict[str, Any] | None) -> bool:
            if report.status != "pending":
                return False
            if report.kind == "konzept":
                return current != _concept_state(concepts.get(report.region_ags or ""))
            return report.partner_id is not None and current != _partner_state(partners.get(report.partner_id))

        listed_rows = []
        for report, region_name in rows:
            current = json.loads(report.current) if report.current else None
            listed_rows.append(
                {
                    "id": report.id,
                    "kind": report.kind,
                    "ags": report.region_ags,
                    "partner_id": report.partner_id,
                    "region": region_name,
                    "regbez": REGIERUNGSBEZIRKE[int(report.region_ags[2]) - 1] if report.region_ags else None,
                    "status": report.status,
                    "created_at": report.created_at.isoformat(),
                    "source_url": report.source_url,
                    "proposed": json.loads(report.proposed),
                    "current": current,
                    "changed": changed(report, current),
                    "reporter": report.reporter if report.show_reporter or contact else None,
                    **({"email": report.email, "show_reporter": report.show_reporter} if contact else {}),
                    "decided_by": report.decided_by,
                    "reason": report.reason,
                }
            )
        return listed_rows


def _claim(session: Session, report_id: int, status: str) -> Report:
    """Take an open report for one decision: the first statement of the decision's transaction sets its
    status only where it is still "pending", so a second editor deciding at the same moment waits for the
    first (SQLite's write lock, PostgreSQL's row lock) and then finds it decided, instead of writing a second
    import or batch. If the decision fails later, the rollback leaves the report open."""
    claimed = cast(
        CursorResult,
        session.execute(update(Report).where(Report.id == report_id, Report.status == "pending").values(status=status)),
    )
    report = session.get(Report, report_id)
    if report is None:
        raise ReportRefused(f"Meldung {report_id} gibt es nicht")
    if claimed.rowcount != 1:
        raise ReportRefused(f"Meldung {report_id} ist schon entschieden ({REPORT_STATUS_LABELS[report.status]})")
    return report


def _decided(report: Report, status: str, editor: str, reason: str | None = None) -> None:
    report.status, report.decided_at, report.decided_by = status, utc_now(), clip(editor, 200)
    report.reason = reason
    report.email = None  # only for questions while the report was open (DSGVO)


def _credited(report: Report, text: str | None) -> str | None:
    """`text` with "gemeldet von …" where the reporter allowed the name to be shown."""
    if not (report.show_reporter and report.reporter):
        return text
    return f"{text} – gemeldet von {report.reporter}" if text else f"gemeldet von {report.reporter}"


def _accept_concept(session: Session, report: Report, editor: str, confidence: str) -> str:
    proposed = json.loads(report.proposed)
    change = ConceptChange(
        report.region_ags or "",
        proposed["status"],
        proposed["title"] or None,
        proposed["year"],
        report.source_url,
        _credited(report, proposed["evidence"] or None),
        confidence=confidence,
    )
    try:
        return editing.apply_concepts(session, [change], editor)
    except editing.EditRefused as exc:
        raise ReportRefused(str(exc)) from exc


def _accept_partner(session: Session, report: Report, editor: str, confidence: str) -> str:
    """Write a partner report as a one-row import ("Meldung Nr. N" in the upload history, undone there).

    Its fields are read and located again now (the rules may be stricter than at filing). A correction
    keeps what the form does not ask (contact, kind detail) and moves the partner only when its address
    changed: a stored exact position is not traded for the centre of its PLZ.
    """
    proposed = json.loads(report.proposed)
    action = proposed["action"]
    importer.lock_partners(session)
    stored: dict[str, Any] | None = None
    if report.partner_id is not None:
        stored = importer.stored_partner(session, report.partner_id)
        if stored is None:
            raise ReportRefused(f"Meldung {report.id}: den Partner gibt es nicht mehr – bitte ablehnen")
    plan = importer.Plan(
        f"Meldung Nr. {report.id}", report.fingerprint, importer.MODE_REPORT, f"Meldung Nr. {report.id}", {}
    )
    if action == GONE and stored is not None:
        plan.removals = [stored]
    else:
        values = _partner_values(proposed, report.source_url, confidence)
        kept: frozenset[str] = frozenset()
        if stored is not None and all((stored[f] or "") == proposed[f] for f in ("street", "plz", "city")):
            kept = frozenset(_PLACE_FIELDS)
        key = ("name", words(str((stored or values)["name"])), str((stored or values)["gemeinde_ags"]))
        plan.candidates = [importer.Candidate(report.id, values, key, kept)]
        importer.compare(plan, [stored] if stored is not None else importer.existing_partners(session, key[2]))
        if stored is None and not plan.inserts:  # stored since it was reported: never overwrite it as "neu"
            raise ReportRefused(f"Meldung {report.id}: den Partner gibt es inzwischen schon – bitte ablehnen")
    if not plan.changes_anything:
        raise ReportRefused(f"Meldung {report.id}: so ist der Partner schon gespeichert – bitte ablehnen")
    return f"import:{importer.record(session, plan, editor)}"


def _accept_initiative(session: Session, report: Report, editor: str) -> str:
    """A reported motion becomes a motion record (checked again, logged, undoable as one batch)."""
    proposed = json.loads(report.proposed)
    change = editing.InitiativeChange(
        report.region_ags or "",
        proposed["title"],
        proposed["asks"],
        proposed["status"],
        dt.date.fromisoformat(proposed["filed_on"]) if proposed["filed_on"] else None,
        proposed["document_url"] or None,
        report.source_url,
        _credited(report, None),
    )
    batch = str(uuid.uuid4())
    try:
        editing.apply_initiative(session, batch, change, editor)
    except editing.EditRefused as exc:
        raise ReportRefused(str(exc)) from exc
    return batch


def accept(engine: Engine, report_id: int, editor: str) -> str | None:
    """Apply a report through the editors' path and mark it accepted, in one transaction.

    A concept report becomes the region's concept and a motion report a motion record (checked again,
    logged, undoable as one batch); a partner report a one-row import (undone in the upload history);
    concepts and partners with confidence "gemeldet, geprüft von <editor>". Returns the batch
    ("import:<id>" for partners). A note is accepted as read:
    it changes no fact on the map (an editor enters what follows from it), so there is no batch.
    """
    if not editor.strip():
        raise ReportRefused("Name der Redaktion fehlt")
    with transaction(engine) as session:
        report = _claim(session, report_id, "accepted")
        batch = None
        # Confidence holds 60 characters: the names are clipped, never the "geprüft von" (review).
        if report.kind == "konzept":  # the name, if it may be shown, goes into the concept's note
            batch = _accept_concept(session, report, editor, f"gemeldet, geprüft von {clip(editor, 38)}")
        elif report.kind == "initiative":
            batch = _accept_initiative(session, report, editor)
        elif report.kind == "partner":  # a partner has no note: the name goes into its confidence
            reporter = f"gemeldet von {clip(report.reporter, 16)}" if report.show_reporter and report.reporter else ""
            confidence = f"{reporter or 'gemeldet'}, geprüft von {clip(editor, 60 - 14 - len(reporter or 'gemeldet'))}"
            batch = _accept_partner(session, report, editor, confidence)
        _decided(report, "accepted", editor)
        report.batch = batch
        mark_changed(session, facts=batch is not None)  # editing/importer marked a changed fact already
        return batch


def reject(engine: Engine, report_id: int, editor: str, reason: str) -> None:
    """Mark a report rejected; the reason is required and kept (the reporter may ask)."""
    if not editor.strip():
        raise ReportRefused("Name der Redaktion fehlt")
    reason = _text("reason", reason, required=True)
    with transaction(engine) as session:
        _decided(_claim(session, report_id, "rejected"), "rejected", editor, reason)
        mark_changed(session, facts=False)


def as_json(rows: list[dict[str, Any]]) -> str:
    """The rows of `listed` for scripts (`reports list --json`)."""
    return json.dumps(rows, ensure_ascii=False, indent=1)
