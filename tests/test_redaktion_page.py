"""The Redaktion page under AppTest: editors set a concept and a KIZ, see the log, undo."""

from __future__ import annotations

from sqlalchemy import select

from integra import queries, reports
from integra.formatting import md_text
from integra.models import Concept, IntegrationCentre, Region
from integra.reports import ConceptReport, NoteReport, PartnerReport, Reporter
from tests.apptest import click


def test_concept_form_saves_logs_and_undoes(editor_page, engine):
    at = editor_page
    at.selectbox(key="concept_region").select("Landkreis Bamberg (09471)").run()  # the form loads its entry
    at.selectbox(key="concept_status").select("vorhanden")
    at.text_input(key="concept_title").input("Integrationskonzept des Landkreises Bamberg")
    at.number_input(key="concept_year").set_value(2025)
    click(at, "Konzept speichern")
    assert not at.exception, at.exception
    assert "ohne Quelle" in at.success[0].value
    with engine.connect() as conn:
        row = conn.execute(select(Concept).where(Concept.region_ags == "09471")).one()
    assert (row.status, row.year, row.confidence) == ("vorhanden", 2025, "laut Redaktion (Erika)")
    log = next(df.value for df in at.dataframe if "was" in df.value.columns)
    assert log.iloc[0]["wer"] == "Erika" and "vorher „unbekannt“" in log.iloc[0]["was"]
    click(at, "Rückgängig machen")
    with engine.connect() as conn:
        assert conn.execute(select(Concept.status).where(Concept.region_ags == "09471")).scalar() == "unbekannt"


def test_concept_form_loads_the_entry_and_never_wipes_it(editor_page, engine):
    """UX review #4: saving a status used to wipe the researched title, year and source."""
    with engine.connect() as conn:
        stored = next(
            c
            for c in conn.execute(select(Concept).where(Concept.status == "vorhanden")).all()
            if len(c.region_ags) == 5 and c.source_url and c.title
        )  # a researched Kreis entry
        name = conn.execute(select(Region.name).where(Region.ags == stored.region_ags)).scalar()
    at = editor_page
    at.selectbox(key="concept_region").select(f"{name} ({stored.region_ags})").run()
    assert at.text_input(key="concept_title").value == stored.title
    assert at.text_input(key="concept_source").value == stored.source_url
    assert at.selectbox(key="concept_status").value == "vorhanden"
    click(at, "Konzept speichern")  # "confirm" the entry as it is
    assert not at.error, [e.value for e in at.error]
    with engine.connect() as conn:
        after = conn.execute(select(Concept).where(Concept.region_ags == stored.region_ags)).one()
    assert (after.title, after.year, after.source_url) == (stored.title, stored.year, stored.source_url)
    at.text_input(key="concept_source").input("")
    click(at, "Konzept speichern")
    assert "bisherige Quelle würde entfernt" in at.warning[0].value
    with engine.connect() as conn:
        assert conn.execute(select(Concept.source_url).where(Concept.id == stored.id)).scalar() == stored.source_url


def test_kiz_form_adds_a_proposal(editor_page, engine):
    at = editor_page
    at.selectbox(key="kiz_kreis").select("Kreisfreie Stadt Nürnberg")
    at.text_input(key="kiz_name").input("KIZ Nürnberg")
    at.text_input(key="kiz_place").input("Nürnberg")
    click(at, "KIZ speichern")
    assert not at.exception and not at.error, [e.value for e in at.error]
    with engine.connect() as conn:
        kiz = conn.execute(select(IntegrationCentre)).one()
    assert (kiz.kreis_ags, kiz.status, kiz.name) == ("09564", "vorgeschlagen", "KIZ Nürnberg") and kiz.lat


def test_restore_refuses_a_foreign_file(editor_page):
    at = editor_page
    at.file_uploader(key="restore_upload").set_value(("fremd.json.gz", b"\x1f\x8bkaputt", "application/gzip")).run()
    click(at, "Sicherung einspielen")
    (error,) = at.error  # one German line: the file, why, and that nothing changed (widgets.attempt)
    assert error.value.startswith(md_text("fremd.json.gz:")) and error.value.endswith(md_text("Nichts geändert."))
    assert "keine Sicherung der Integrationslandkarte" in error.value


def test_the_queue_shows_a_report_beside_the_record_and_accepts_or_rejects_it(editor_page, engine):
    source = "https://www.landkreis-hof.de/integration"
    first = reports.submit(engine, ConceptReport("09475", "vorhanden", source, title="<b>Konzept</b> Hof"))
    second = reports.submit(
        engine, NoteReport("09475", "Integrationslotsin seit 2025", source), Reporter("Ortsverein", email="a@b.de")
    )
    at = editor_page.run()  # the reports came in meanwhile
    compared = next(df.value for df in at.dataframe if "gemeldet" in df.value.columns)
    assert list(compared["gemeldet"][:2]) == ["vorhanden", "<b>Konzept</b> Hof"]  # as text, in a grid
    # the editors see who reported and where to ask (the public and the CLI do not)
    assert any("Ortsverein (nicht öffentlich)" in t.value and "a@b.de" in t.value for t in at.text)
    click(at, "Ablehnen", key=f"reject_{second}")  # a reason first: a German line, nothing decided
    assert at.error[0].value.startswith(md_text("Begründung: bitte ausfüllen"))
    assert [r["status"] for r in reports.listed(engine)] == ["pending", "pending"]
    at.text_input(key=f"why_{second}").input("steht schon auf der Karte").run()
    click(at, "Ablehnen", key=f"reject_{second}")
    click(at, "Annehmen", key=f"accept_{first}")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert queries.kreise(engine).set_index("ags").loc["09475", "status"] == "vorhanden"
    assert [r["status"] for r in reports.listed(engine)] == ["rejected", "accepted"]
    assert any("Keine Meldung wartet" in c.value for c in at.caption)


def test_the_queue_shows_a_partner_correction_beside_the_partner_and_accepting_writes_it(editor_page, engine):
    partners = queries.partners(engine)
    stored = partners[partners["name"] == "Diakonie Hochfranken gGmbH"].iloc[0]
    source = "https://www.diakonie-hochfranken.de/"
    report_id = reports.submit(
        engine,
        PartnerReport(source, "Diakonie Hochfranken", "Diakonie", city="Hof", partner_id=int(stored["id"])),
    )
    at = editor_page.run()
    compared = next(df.value for df in at.dataframe if "gemeldet" in df.value.columns).set_index("")
    assert compared.loc["Name"].tolist() == ["Diakonie Hochfranken gGmbH", "Diakonie Hochfranken"]
    assert compared.loc["Quelle", "gemeldet"] == source
    assert any(md_text("Partner (Korrektur)") in m.value for m in at.markdown)
    click(at, "Annehmen", key=f"accept_{report_id}")
    assert not at.exception and not at.error, [e.value for e in at.error]
    partners = queries.partners(engine).set_index("id")
    assert partners.loc[stored["id"], "name"] == "Diakonie Hochfranken"
    assert any("Daten hochladen" in s.value for s in at.success)
