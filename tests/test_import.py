"""Partner imports end to end on a real SQLite file: plan, apply all-or-nothing, history, undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from integra import export, importer
from integra.importer import ImportRefused, apply_import, plan_import, undo_import
from integra.models import ImportRun, Partner
from integra.tabular import read_table

FILES = Path(__file__).parent / "files"
HEADER = "Name;Träger;Straße;PLZ;Ort;Webseite\n"


def snapshot(engine) -> list:
    """Every row of every table, to prove that a refused import changed nothing."""
    tables = sorted(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return [(t, sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)) for t in tables]


def plan(engine, body: str, header: str = HEADER, **options) -> importer.Plan:
    """Plan a UTF-8 CSV made of `header` (default: the usual columns) and `body`."""
    data = (header + body).encode("utf-8")
    return plan_import(engine, read_table("liste.csv", data), data, **options)


def partner(engine, name: str) -> Partner | None:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return session.scalar(select(Partner).where(Partner.name == name))


def test_cp1252_file_is_planned_located_and_applied(engine):
    data = (FILES / "partner_cp1252_semikolon.csv").read_bytes()
    result = plan_import(engine, read_table("partner_cp1252_semikolon.csv", data), data)
    assert result.errors == [] and len(result.inserts) == 3
    run_id = apply_import(engine, result, user="test")
    caritas = partner(engine, "Caritas-Zentrum Würzburg")
    assert (caritas.type, caritas.plz, caritas.gemeinde_ags, caritas.precision) == (
        "Caritas",
        "97070",
        "09663000",
        "PLZ",
    )
    assert caritas.website == "https://www.caritas-wuerzburg.de" and caritas.import_id == run_id
    diakonie = partner(engine, "Diakonie Schweinfurt")
    assert (diakonie.type, diakonie.precision, diakonie.kreis_ags) == ("Diakonie", "Gemeinde", "09662")
    assert partner(engine, "Ökumenischer Helferkreis Asyl Höchberg").type == "Helferkreis"
    again = plan_import(engine, read_table("partner_cp1252_semikolon.csv", data), data)
    assert (len(again.inserts), len(again.updates), len(again.unchanged)) == (0, 0, 3)
    with engine.connect() as conn:
        run = conn.execute(select(ImportRun)).one()
    assert run.sha256 == result.sha256 and run.inserted == 3 and run.user_name == "test"


def test_changes_are_listed_field_by_field(engine):
    apply_import(engine, plan(engine, "Helferkreis Asyl Hallstadt;Helferkreis;Am Markt 1;96103;Hallstadt;\n"), "a")
    changed = plan(engine, "Helferkreis Asyl Hallstadt;Helferkreis;Marktplatz 2;96103;Hallstadt;www.hk.de\n")
    (update,) = changed.updates
    assert update.changes["street"] == ("Am Markt 1", "Marktplatz 2")
    assert update.changes["website"] == (None, "https://www.hk.de")
    assert "name" not in update.changes and "lat" not in update.changes


def test_errors_name_row_and_column_and_block_the_whole_import(engine):
    before = snapshot(engine)
    body = (
        "Caritas Bamberg;Caritas;;96052;Bamberg;\n"
        ";AWO;;96047;Bamberg;\n"  # row 3: no name
        "Helferkreis Berlin;Helferkreis;;10115;Berlin;\n"  # row 4: PLZ outside Bavaria
        "Caritas Bamberg;Caritas;;96052;Bamberg;\n"  # row 5: duplicate of row 2
        "Irgendwo;Sonstige;;;Nirgendwohausen;\n"  # row 6: unknown place
    )
    result = plan(engine, body)
    found = {(p.row, p.column) for p in result.errors}
    assert found == {(3, "Name"), (4, "PLZ"), (5, "Name"), (6, "Ort")}
    assert any("wie Zeile 2" in p.message for p in result.errors)
    assert not result.can_apply
    with pytest.raises(ImportRefused, match="Fehler"):
        apply_import(engine, result, "test")
    assert snapshot(engine) == before
    skipping = plan(engine, body, only_valid=True)
    apply_import(engine, skipping, "test")
    assert partner(engine, "Caritas Bamberg") is not None
    with engine.connect() as conn:
        assert conn.execute(select(ImportRun.skipped)).scalar() == 4


def test_failure_inside_the_transaction_changes_nothing(engine):
    result = plan(engine, "Neu A;Caritas;;96052;Bamberg;\nNeu B;AWO;;96047;Bamberg;\n")
    result.candidates[1].values["type"] = "Unbekannt"  # violates the CHECK constraint on the second insert
    before = snapshot(engine)
    with pytest.raises(Exception, match=r"CHECK|constraint"):
        apply_import(engine, result, "test")
    assert snapshot(engine) == before


def test_text_is_stored_as_typed_html_and_formulas_included(engine):
    evil = '<script>alert("x")</script>'
    apply_import(
        engine, plan(engine, f"{evil};AWO;=SUMME(A1:A9);96047;Bamberg;\n@Helfer;Helferkreis;;96047;Bamberg;\n"), "t"
    )
    assert partner(engine, evil).street == "=SUMME(A1:A9)"
    assert partner(engine, "@Helfer") is not None


def test_formula_and_markup_names_are_stored_as_text_with_a_warning(engine):
    """UX review #15: such names were accepted silently; they stay text, and the editor is asked to check."""
    planned = plan(
        engine,
        "=HYPERLINK(1);AWO;;96047;Bamberg;\n<b>Helfer</b>;Helferkreis;;96047;Bamberg;\n"
        "Caritas Bamberg;Caritas;;96047;Bamberg;\n",
    )
    warned = {(w.row, w.column): w.message for w in planned.warnings}
    assert "Tabellenformel" in warned[(2, "Name")] and "HTML" in warned[(3, "Name")]
    assert (4, "Name") not in warned and not planned.errors
    apply_import(engine, planned, "t")
    assert partner(engine, "=HYPERLINK(1)") is not None and partner(engine, "<b>Helfer</b>") is not None


def test_personal_columns_need_consent(engine):
    header = "Name;PLZ;Ort;Ansprechpartner;Handy\n"
    body = "Helferkreis Forchheim;91301;Forchheim;Maria Muster;0170 123\n"
    without = plan(engine, body, header)
    assert without.dropped_columns == ["Ansprechpartner", "Handy"]
    assert any(p.column == "Ansprechpartner" for p in without.warnings)
    apply_import(engine, without, "t")
    assert partner(engine, "Helferkreis Forchheim").contact is None
    consented = plan(engine, body, header, consent=True)
    apply_import(engine, consented, "t")
    assert partner(engine, "Helferkreis Forchheim").contact == "Ansprechpartner: Maria Muster; Handy: 0170 123"


def test_replace_mode_removes_partners_of_the_uploaded_types_and_undo_restores_all(engine):
    before = snapshot(engine)
    with engine.connect() as conn:
        awo_before = conn.scalar(select(func.count()).where(Partner.type == "AWO"))
        caritas_before = conn.scalar(select(func.count()).where(Partner.type == "Caritas"))
    assert awo_before > 1 and partner(engine, "AWO Landesverband Bayern e.V.") is not None
    assert partner(engine, "AWO Kreisverband Bamberg") is None
    result = plan(
        engine,
        "AWO Landesverband Bayern e.V.;AWO;Edelsbergstraße 10;80686;München;\n"
        "AWO Kreisverband Bamberg;AWO;;96047;Bamberg;\n",
        mode=importer.MODE_REPLACE,
    )
    assert len(result.removals) == awo_before - 1 and len(result.updates) == 1 and len(result.inserts) == 1
    assert {p["type"] for p in result.removals} == {"AWO"}
    run_id = apply_import(engine, result, "t")
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(Partner.type == "AWO")) == 2
        assert conn.scalar(select(func.count()).where(Partner.type == "Caritas")) == caritas_before  # untouched
    undo_import(engine, run_id, "t")
    after = snapshot(engine)
    assert [t for t in after if t[0] == "partners"] == [t for t in before if t[0] == "partners"]
    with pytest.raises(ImportRefused, match="bereits"):
        undo_import(engine, run_id, "t")


def test_replace_within_one_kreis(engine):
    result = plan(
        engine, "Caritas Bamberg neu;Caritas;;96047;Bamberg;\n", mode=importer.MODE_REPLACE, scope_kreis="09461"
    )
    with engine.connect() as conn:
        in_kreis = set(conn.scalars(select(Partner.name).where(Partner.kreis_ags == "09461")))
    # a list for one Kreis replaces that Kreis's partners of every type, and no partner elsewhere
    assert {p["name"] for p in result.removals} == in_kreis and len(in_kreis) > 1
    outside = plan(
        engine, "Caritas Forchheim;Caritas;;91301;Forchheim;\n", mode=importer.MODE_REPLACE, scope_kreis="09461"
    )
    assert [p.message for p in outside.errors] == ["liegt nicht im gewählten Kreis"]


def test_undo_is_refused_while_a_later_import_touched_the_same_partners(engine):
    first = apply_import(engine, plan(engine, "Helferkreis Eggolsheim;Helferkreis;;91330;Eggolsheim;\n"), "t")
    second = apply_import(
        engine, plan(engine, "Helferkreis Eggolsheim;Helferkreis;Hauptstr. 1;91330;Eggolsheim;\n"), "t"
    )
    with pytest.raises(ImportRefused, match=f"spätere Importe \\({second}\\)"):
        undo_import(engine, first, "t")
    undo_import(engine, second, "t")
    assert partner(engine, "Helferkreis Eggolsheim").street is None
    undo_import(engine, first, "t")
    assert partner(engine, "Helferkreis Eggolsheim") is None


def test_a_stale_preview_is_not_applied(engine):
    preview = plan(engine, "Helferkreis Buttenheim;Helferkreis;;96155;Buttenheim;\n")
    apply_import(engine, plan(engine, "Helferkreis Strullendorf;Helferkreis;;96129;Strullendorf;\n"), "other")
    with pytest.raises(ImportRefused, match="seit der Vorschau geändert"):
        apply_import(engine, preview, "t")
    assert partner(engine, "Helferkreis Buttenheim") is None


def test_missing_name_column_is_a_clear_error(engine):
    result = plan(engine, "Bamberg;96047\n", header="Ort;PLZ\n")
    assert not result.can_apply and "Spalte „Name“ fehlt" in result.errors[0].message


def test_coordinates_are_checked(engine):
    body = "A;Bamberg;49,89;10,89\nB;Bamberg;10,89;49,89\nC;Berlin;52.52;13.40\nD;Bamberg;nord;10.9\n"
    result = plan(engine, body, header="Name;Ort;Lat;Lon\n")
    assert [c.values["precision"] for c in result.candidates] == ["Adresse"]
    assert [(p.row, p.column, p.message.split(" ")[0]) for p in result.errors] == [
        (3, "Lat", "Breite"),
        (4, "Lat", "Koordinaten"),
        (5, "Lat", "Koordinate"),
    ]


def test_cells_longer_than_their_column_are_errors_of_their_row(engine):
    """PostgreSQL refuses text longer than a column (SQLite stores it): the plan names row and column first."""
    plan_ = plan(engine, f"{'N' * 301};Caritas;;96047;Bamberg;\nCaritas Kurz;Caritas;;96047;Bamberg;\n")
    (problem,) = plan_.errors
    assert (problem.row, problem.column) == (2, "Name") and "höchstens 300 Zeichen" in problem.message
    assert [c.values["name"] for c in plan_.inserts] == ["Caritas Kurz"]


def test_the_year_of_the_source_is_kept_and_an_old_source_counts_as_low(engine):
    """„Stand der Quelle“ (the research lists' column): older than STALE_YEARS makes the row "low"."""
    today = dt.date(2026, 11, 26)
    body = (
        "Name;Träger;PLZ;Ort;Quelle;Stand der Quelle\n"
        "Helferkreis Asyl Bamberg;Helferkreis;96047;Bamberg;https://a.example/1;2015\n"
        "AWO Bamberg;AWO;96047;Bamberg;https://a.example/2;03.05.2021\n"
        "Caritas Bamberg;Caritas;96047;Bamberg;https://a.example/3;bald\n"
    ).encode()
    report = importer.read_rows(read_table("liste.csv", body), today=today)
    years = [c.values["source_year"] for c in report.candidates]
    confidence = [c.values["confidence"] for c in report.candidates]
    assert years == [2015, 2021, None]
    assert confidence == ["low", importer.UPLOAD_CONFIDENCE, importer.UPLOAD_CONFIDENCE]
    assert [(w.row, w.column) for w in report.warnings] == [(4, "Stand der Quelle")]
    plan = plan_import(engine, read_table("liste.csv", body), body)
    apply_import(engine, plan, "E")
    with engine.connect() as conn:
        stored = dict(
            conn.execute(select(Partner.name, Partner.source_year).where(Partner.import_id.is_not(None))).all()
        )
    assert stored["Helferkreis Asyl Bamberg"] == 2015 and stored["Caritas Bamberg"] is None


def test_the_template_fills_every_field_an_editor_can_give():
    """The downloadable template's columns are all recognised, „Stand der Quelle“ included."""
    report = importer.read_rows(read_table("vorlage.csv", export.template_csv()))
    assert not report.errors and None not in [report.mapping[f] for f in ("source_url", "source_year", "lat", "lon")]
    assert report.candidates[0].values["source_year"] == 2026


def test_a_verband_office_listed_as_sonstige_counts_for_its_verband_and_types_are_not_repeated():
    """Walkthrough: „Caritas Nürnberg – Migrationsberatung“ typed Sonstige left Nürnberg „ohne Caritas“."""
    body = (
        "Name;Träger;PLZ;Ort\n"
        "Caritas Nürnberg – Migrationsberatung;Sonstige;90402;Nürnberg\n"
        "AWO Kreisverband Nürnberg;AWO;90402;Nürnberg\n"
        "Bürgerverein Nürnberg;Wohlfahrtsverband;90402;Nürnberg\n"
    ).encode()
    report = importer.read_rows(read_table("liste.csv", body))
    values = [(c.values["type"], c.values["kind_detail"]) for c in report.candidates]
    assert values == [("Caritas", None), ("AWO", None), ("Sonstige", "Wohlfahrtsverband")]
    assert [(w.row, w.column) for w in report.warnings if "Name nennt Caritas" in w.message] == [(2, "Träger")]
