"""Visitors' reports (issue 13, store and rules): filed by anybody, applied only when an editor accepts."""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from integra import backup, cli, editing, importer, queries, reports
from integra.models import Concept, Edit, Partner, Report
from integra.reports import ConceptReport, NoteReport, PartnerReport, Reporter, ReportRefused
from integra.store import data_token, make_engine
from integra.vocab import PARTNER_TYPES
from tests.test_import import snapshot

SOURCE = "https://www.landkreis-hof.de/integration/konzept.pdf"
HOF = "09475"  # Landkreis Hof


def _status(engine, ags: str) -> str:
    return queries.kreise(engine).set_index("ags").loc[ags, "status"]


def test_a_report_changes_nothing_until_an_editor_accepts_it_and_undo_restores(engine):
    before = _status(engine, HOF)
    assert before != "vorhanden"
    report_id = reports.submit(
        engine,
        ConceptReport(HOF, "vorhanden", SOURCE, title="Integrationskonzept Landkreis Hof", year=2024),
        Reporter("Kreisverband Hof", show_name=True, email="fragen@example.org"),
    )
    assert _status(engine, HOF) == before and reports.pending_by_region(engine) == {HOF: 1}
    (row,) = reports.listed(engine, "pending")
    assert row["proposed"]["status"] == "vorhanden" and row["current"]["status"] == before
    assert "email" not in row and "fragen@example.org" not in reports.as_json(reports.listed(engine))
    batch = reports.accept(engine, report_id, "Erika")
    assert _status(engine, HOF) == "vorhanden" and reports.pending_by_region(engine) == {}
    with engine.connect() as conn:
        concept = conn.execute(select(Concept).where(Concept.region_ags == HOF)).one()
        stored = conn.execute(select(Report).where(Report.id == report_id)).one()
        logged = conn.execute(select(Edit).where(Edit.batch == batch)).one()
    assert concept.confidence == "gemeldet, geprüft von Erika" and concept.source_url == SOURCE
    assert "gemeldet von Kreisverband Hof" in concept.note and logged.user_name == "Erika"
    assert stored.status == "accepted" and stored.email is None and stored.batch == batch
    editing.undo_batch(engine, batch, "Erika")
    assert _status(engine, HOF) == before


def test_identical_open_reports_are_merged_and_a_decided_one_is_final(engine):
    first = reports.submit(engine, NoteReport(HOF, "Neue Integrationsbeauftragte seit 2025", SOURCE))
    again = reports.submit(engine, NoteReport(HOF, "Neue Integrationsbeauftragte seit 2025", SOURCE))
    assert first == again and reports.pending_by_region(engine) == {HOF: 1}
    reports.reject(engine, first, "Erika", "Quelle nennt den Landkreis Hof nicht")
    with pytest.raises(ReportRefused, match="schon entschieden"):
        reports.accept(engine, first, "Erika")
    (row,) = reports.listed(engine)
    assert row["status"] == "rejected" and row["reason"] == "Quelle nennt den Landkreis Hof nicht"
    with pytest.raises(ReportRefused, match="Begründung"):
        reports.reject(engine, reports.submit(engine, NoteReport(HOF, "x", SOURCE)), "Erika", "  ")


@pytest.mark.parametrize(
    ("report", "reporter", "field"),
    [
        (ConceptReport(HOF, "vorhanden", "javascript:alert(1)"), Reporter(), "Quelle"),
        (ConceptReport(HOF, "vorhanden", ""), Reporter(), "Quelle"),
        (ConceptReport(HOF, "unbekannt", SOURCE), Reporter(), "Status"),
        (ConceptReport(HOF, "vorhanden", SOURCE, year=1800), Reporter(), "Jahr"),
        (ConceptReport(HOF, "vorhanden", SOURCE, title="T" * 301), Reporter(), "Titel"),
        (ConceptReport("09", "vorhanden", SOURCE), Reporter(), "Gebiet"),
        (ConceptReport("99999", "vorhanden", SOURCE), Reporter(), "Gebiet"),
        (NoteReport(HOF, "", SOURCE), Reporter(), "Text"),
        (NoteReport(HOF, "a\x00b", SOURCE), Reporter(), "Text"),
        (NoteReport(HOF, "ok", SOURCE), Reporter(email="keine-adresse"), "E-Mail"),
        (NoteReport(HOF, "ok", SOURCE), Reporter(name="N" * 121), "Name"),
    ],
)
def test_bad_fields_are_refused_in_german_naming_the_field_and_nothing_is_stored(engine, report, reporter, field):
    before = snapshot(engine)
    with pytest.raises(ReportRefused) as refused:
        reports.submit(engine, report, reporter)
    assert str(refused.value).startswith(f"{field}: ")
    assert snapshot(engine) == before


def _partner(engine, name: str) -> Partner:
    with engine.connect() as conn:
        return conn.execute(select(Partner).where(Partner.name == name)).one()


def _partner_count(engine) -> int:
    return len(queries.partners(engine))


DIAKONIE_HOF = "Diakonie Hochfranken gGmbH"  # seed: Klostertor 2, 95028 Hof, located by PLZ


def test_a_new_partner_is_located_offline_and_added_as_one_undoable_import_when_accepted(engine):
    count = _partner_count(engine)
    report_id = reports.submit(
        engine,
        PartnerReport(
            SOURCE, "Helferkreis Asyl Rehau", "Helferkreis", city="Rehau", website="www.helferkreis-rehau.de"
        ),
        Reporter("Kreisverband Hof", show_name=True),
    )
    (row,) = reports.listed(engine, "pending")
    assert row["kind"] == "partner" and row["region"] == "Rehau" and row["current"] is None
    assert reports.pending_by_region(engine) == {row["ags"]: 1} and _partner_count(engine) == count
    batch = reports.accept(engine, report_id, "Erika")
    added = _partner(engine, "Helferkreis Asyl Rehau")
    assert (added.gemeinde_ags, added.precision, added.website) == (
        row["ags"],
        "Gemeinde",
        "https://www.helferkreis-rehau.de",
    )
    assert added.source_url == SOURCE and added.confidence == "gemeldet von Kreisverband Hof, geprüft von Erika"
    (run,) = importer.history(engine)
    assert batch == f"import:{run.id}" and run.file_name == f"Meldung Nr. {report_id}" and run.inserted == 1
    importer.undo_import(engine, run.id, "Erika")
    assert _partner_count(engine) == count


def test_a_correction_changes_only_what_it_reports_and_keeps_the_exact_place(engine):
    stored = _partner(engine, DIAKONIE_HOF)
    report_id = reports.submit(
        engine,
        PartnerReport(
            SOURCE, "Diakonie Hochfranken", "Diakonie", stored.street, stored.plz, stored.city, partner_id=stored.id
        ),
    )
    (row,) = reports.listed(engine, "pending")
    assert row["current"]["name"] == DIAKONIE_HOF and row["proposed"]["name"] == "Diakonie Hochfranken"
    assert row["changed"] is False and row["partner_id"] == stored.id
    reports.accept(engine, report_id, "Erika")
    with engine.connect() as conn:
        now = conn.execute(select(Partner).where(Partner.id == stored.id)).one()
    assert now.name == "Diakonie Hochfranken" and now.source_url == SOURCE
    assert (now.lat, now.lon, now.precision, now.kind_detail) == (
        stored.lat,
        stored.lon,
        stored.precision,
        stored.kind_detail,
    )


def test_a_partner_that_is_gone_is_removed_when_accepted_and_comes_back_with_undo(engine):
    stored = _partner(engine, DIAKONIE_HOF)
    count = _partner_count(engine)
    report_id = reports.submit(engine, PartnerReport(SOURCE, partner_id=stored.id, gone=True))
    assert reports.pending_by_region(engine) == {stored.gemeinde_ags: 1}
    reports.accept(engine, report_id, "Erika")
    assert _partner_count(engine) == count - 1
    importer.undo_import(engine, importer.history(engine)[0].id, "Erika")
    assert _partner(engine, DIAKONIE_HOF).id == stored.id


def test_a_partner_report_on_a_partner_changed_or_gone_since_says_so_and_accepting_rechecks(engine):
    stored = _partner(engine, DIAKONIE_HOF)
    correction = reports.submit(
        engine, PartnerReport(SOURCE, "Diakonie Hochfranken", "Diakonie", city="Hof", partner_id=stored.id)
    )
    gone = reports.submit(engine, PartnerReport(SOURCE, partner_id=stored.id, gone=True))
    reports.accept(engine, gone, "Erika")
    (row,) = reports.listed(engine, "pending")
    assert row["id"] == correction and row["changed"] is True
    with pytest.raises(ReportRefused, match="gibt es nicht mehr"):
        reports.accept(engine, correction, "Erika")
    with pytest.raises(ReportRefused, match=r"^Partner: "):
        reports.submit(engine, PartnerReport(SOURCE, "x", "Caritas", city="Hof", partner_id=stored.id))


@pytest.mark.parametrize(
    ("report", "field"),
    [
        (PartnerReport(SOURCE, "", "Caritas", city="Hof"), "Name"),
        (PartnerReport(SOURCE, "Caritas <b>Hof</b>", "Caritas", city="Hof"), "Name"),
        (PartnerReport(SOURCE, "=HYPERLINK(1)", "Caritas", city="Hof"), "Name"),
        (PartnerReport(SOURCE, "Caritas Hof", "Verein", city="Hof"), "Typ"),
        (PartnerReport(SOURCE, "Caritas Hof", "Caritas"), "Ort"),
        (PartnerReport(SOURCE, "Caritas Hof", "Caritas", city="Atlantis"), "Ort"),
        (PartnerReport(SOURCE, "Caritas Hof", "Caritas", plz="123456", city="Hof"), "PLZ"),
        (PartnerReport(SOURCE, "Caritas Hof", "Caritas", plz="10115", city="Berlin"), "PLZ"),
        (PartnerReport(SOURCE, "Caritas Hof", "Caritas", city="Hof", website="javascript:alert(1)"), "Webseite"),
        (PartnerReport("ftp://x", "Caritas Hof", "Caritas", city="Hof"), "Quelle"),
        (PartnerReport(SOURCE, partner_id=999_999, gone=True), "Partner"),
    ],
)
def test_bad_partner_fields_are_refused_in_german_naming_the_field(engine, report, field):
    before = snapshot(engine)
    with pytest.raises(ReportRefused) as refused:
        reports.submit(engine, report)
    assert str(refused.value).startswith(f"{field}: "), str(refused.value)
    assert snapshot(engine) == before


def test_markup_is_stored_as_text(engine):
    evil = "<script>alert(1)</script>{{ 7*7 }}"
    report_id = reports.submit(engine, ConceptReport(HOF, "in Erarbeitung", SOURCE, title=evil, evidence=evil))
    (row,) = reports.listed(engine)
    assert row["proposed"]["title"] == evil  # as typed: escaping is the job of every place that shows it
    reports.accept(engine, report_id, "Erika")
    assert editing.current_concept(engine, HOF).title == evil


def test_the_number_of_open_reports_is_capped(engine, monkeypatch):
    monkeypatch.setattr(reports, "MAX_PENDING", 2)
    for n in range(2):
        reports.submit(engine, NoteReport(HOF, f"Meldung {n}", SOURCE))
    with pytest.raises(ReportRefused, match="warten schon 2 Meldungen"):
        reports.submit(engine, NoteReport(HOF, "eine zu viel", SOURCE))


def test_a_report_on_a_record_changed_since_says_so(engine):
    reports.submit(engine, ConceptReport(HOF, "vorhanden", SOURCE))
    editing.set_concept(engine, editing.ConceptChange(HOF, "in Erarbeitung"), "Erika")
    (row,) = reports.listed(engine, "pending")
    assert row["changed"] is True


def test_backups_carry_reports_but_no_address_of_a_decided_one(engine, monkeypatch):
    monkeypatch.setenv("INTEGRA_BACKUP_KEY", "x" * 32)
    decided = reports.submit(engine, NoteReport(HOF, "entschieden", SOURCE), Reporter(email="a@example.org"))
    reports.reject(engine, decided, "Erika", "doppelt")
    reports.submit(engine, NoteReport(HOF, "pending", SOURCE), Reporter(email="b@example.org"))
    payload = json.loads(backup.unsealed(backup.dump(engine))[1])
    emails = {row["email"] for row in payload["tables"]["reports"]}
    assert emails == {None, "b@example.org"}  # an open report keeps it for the editors' questions


def test_the_command_line_lists_accepts_and_rejects(engine, db_url, monkeypatch, capsys):
    """`reports list --json` carries no e-mail; exit 0 done, 1 refused (German line), 2 usage."""
    monkeypatch.setenv("INTEGRA_DATABASE_URL", db_url)
    first = reports.submit(engine, ConceptReport(HOF, "vorhanden", SOURCE), Reporter(email="x@example.org"))
    second = reports.submit(engine, NoteReport(HOF, "Integrationslotsin seit 2025", SOURCE))
    assert cli.main(["reports", "list", "--status", "pending", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [second, first] and "x@example.org" not in json.dumps(rows)
    assert {"id", "kind", "ags", "status", "created_at", "source_url", "proposed"} <= set(rows[0])
    assert cli.main(["reports", "accept", str(first), "--by", "Erika"]) == 0
    assert _status(engine, HOF) == "vorhanden"
    assert cli.main(["reports", "reject", str(second), "--by", "Erika", "--why", "steht schon drin"]) == 0
    capsys.readouterr()
    assert cli.main(["reports", "accept", str(first), "--by", "Erika"]) == 1
    assert capsys.readouterr().err == f"Meldung {first} ist schon entschieden (angenommen)\n"
    with pytest.raises(SystemExit) as usage:
        cli.main(["reports", "reject", str(second), "--by", "Erika"])  # no --why
    assert usage.value.code == 2


# Any text a visitor can type, control characters and markup included (no lone surrogates: not UTF-8).
_TYPED = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=_TYPED,
    evidence=_TYPED,
    source=st.one_of(_TYPED, _TYPED.map(lambda text: "https://example.org/" + text)),
    name=_TYPED,
    email=_TYPED,
    year=st.one_of(st.none(), st.integers(-10, 3000)),
)
def test_any_form_content_is_refused_in_german_or_stored_exactly_as_typed(
    engine, title, evidence, source, name, email, year
):
    """Issue 13: never an exception other than a German refusal naming a field; what is stored is the text
    as typed (trimmed), never rewritten into markup, and no address appears in what the queue lists."""
    report = ConceptReport(HOF, "in Erarbeitung", source, title=title, year=year, evidence=evidence)
    try:
        report_id = reports.submit(engine, report, Reporter(name, True, email))
    except ReportRefused as exc:
        assert str(exc).split(":")[0] in reports.LABELS.values() or "Meldungen" in str(exc), str(exc)
        return
    row = next(r for r in reports.listed(engine) if r["id"] == report_id)
    assert row["proposed"]["title"] == title.strip() and row["proposed"]["evidence"] == evidence.strip()
    assert row["source_url"] == source.strip() and "email" not in row


def test_a_waiting_or_rejected_report_is_no_change_of_the_data(engine):
    """Walkthrough: an unreviewed report moved „letzte Änderung im Datenbestand“; the caches still refresh."""
    changed, token = queries.data_age(engine).last_change, data_token(engine)
    report_id = reports.submit(engine, NoteReport(HOF, "Integrationslotsin seit 2025", SOURCE))
    reports.reject(engine, report_id, "Erika", "doppelt")
    assert queries.data_age(engine).last_change == changed and data_token(engine) != token


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=_TYPED,
    street=_TYPED,
    city=st.one_of(st.sampled_from(["Rehau", "Hof", "Neustadt", "München"]), _TYPED),
    plz=st.one_of(st.just(""), st.sampled_from(["95111", "80331", "10115"]), _TYPED),
    website=st.one_of(_TYPED, _TYPED.map(lambda text: "www.example.org/" + text)),
    partner_type=st.sampled_from([*PARTNER_TYPES, "Verein", ""]),
)
def test_any_partner_report_is_refused_in_german_or_stored_exactly_as_typed(
    engine, name, street, city, plz, website, partner_type
):
    """Issue 13: a partner report goes through the upload's reader and locator; whatever is typed, the answer is
    a German refusal naming a field, or the fields stored as typed (trimmed)."""
    report = PartnerReport(SOURCE, name, partner_type, street, plz, city, website)
    try:
        report_id = reports.submit(engine, report)
    except ReportRefused as exc:
        assert str(exc).split(":")[0] in reports.LABELS.values() or "Meldungen" in str(exc), str(exc)
        event(f"refused: {str(exc).split(':')[0]}")
        return
    event("stored")
    row = next(r for r in reports.listed(engine) if r["id"] == report_id)
    typed = {"name": name, "street": street, "plz": plz, "city": city, "website": website}
    assert {f: row["proposed"][f] for f in typed} == {f: v.strip() for f, v in typed.items()}
    assert row["proposed"]["type"] == partner_type and row["ags"]


def test_two_editors_accepting_at_once_write_one_import(db_url):
    """Review: the second of two simultaneous accepts wrote a second import of the same partner."""
    engines = [make_engine(db_url) for _ in range(2)]
    report_id = reports.submit(engines[0], PartnerReport(SOURCE, "Helferkreis Asyl Rehau", "Helferkreis", city="Rehau"))
    start, results = threading.Barrier(2), []

    def accept(engine) -> None:
        start.wait()
        try:
            results.append(reports.accept(engine, report_id, "Erika"))
        except ReportRefused as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=accept, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = f"Meldung {report_id} ist schon entschieden (angenommen)"
    assert sorted(r == refused for r in results) == [False, True] and any(str(r).startswith("import:") for r in results)
    assert len(importer.history(engines[0])) == 1
    for engine in engines:
        engine.dispose()


def test_a_new_partner_that_exists_is_refused_at_filing_and_at_accepting(engine):
    """Review: a „neu“ report on a stored name overwrote that partner's website and source."""
    with pytest.raises(ReportRefused, match=r"^Name: .*gibt es dort schon"):
        reports.submit(engine, PartnerReport(SOURCE, DIAKONIE_HOF.upper(), "Diakonie", plz="95028", city="Hof"))
    report_id = reports.submit(engine, PartnerReport(SOURCE, "Helferkreis Asyl Rehau", "Helferkreis", city="Rehau"))
    stored = reports.submit(
        engine, PartnerReport(SOURCE + "#b", "Helferkreis Asyl Rehau ", "Helferkreis", city="Rehau")
    )
    assert stored != report_id  # another source: a report of its own
    reports.accept(engine, report_id, "Erika")
    with pytest.raises(ReportRefused, match="gibt es inzwischen schon"):
        reports.accept(engine, stored, "Erika")


def test_long_names_never_cut_the_editor_from_a_partners_confidence(engine):
    report_id = reports.submit(
        engine,
        PartnerReport(SOURCE, "Helferkreis Asyl Rehau", "Helferkreis", city="Rehau"),
        Reporter("Kreisverband Bündnis 90/Die Grünen Hof-Land und Umgebung", show_name=True),
    )
    reports.accept(engine, report_id, "Erika Mustermann-Beispielfrau")
    confidence = _partner(engine, "Helferkreis Asyl Rehau").confidence
    assert len(confidence) <= 60 and ", geprüft von Erika" in confidence, confidence
