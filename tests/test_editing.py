"""Editors change concepts and KIZ: logged with the old values, undoable, concept lists all-or-nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from integra import editing, queries
from integra.editing import ConceptChange, EditRefused, KizChange
from integra.models import Concept, Edit
from integra.tabular import read_table
from tests.test_import import snapshot


def _concept(engine, ags: str):
    with engine.connect() as conn:
        return conn.execute(select(Concept).where(Concept.region_ags == ags)).one_or_none()


def test_change_is_logged_with_old_value_and_undone_exactly(engine):
    before = snapshot(engine)
    batch = editing.set_concept(
        engine,
        ConceptChange("09471", "vorhanden", "Integrationskonzept LK Bamberg", 2025, None, "Kreistag 12.03.2025"),
        "Erika",
    )
    row = _concept(engine, "09471")
    assert (row.status, row.year, row.source_url, row.confidence) == ("vorhanden", 2025, None, "laut Redaktion (Erika)")
    kreis = queries.kreise(engine, "Oberfranken").set_index("ags").loc["09471"]
    assert kreis["foerderfaehig"]  # the A3 rule follows the edit at once
    with engine.connect() as conn:
        edit = conn.execute(select(Edit)).one()
    assert edit.user_name == "Erika" and '"status": "unbekannt"' in edit.before and "vorher „unbekannt“" in edit.summary
    editing.undo_batch(engine, batch, "Erika")
    after = snapshot(engine)
    assert [t for t in after if t[0] == "concepts"] == [t for t in before if t[0] == "concepts"]
    with pytest.raises(EditRefused, match="bereits"):
        editing.undo_batch(engine, batch, "Erika")
    log = editing.history(engine)
    assert list(log.columns) == editing.HISTORY_FIELDS and len(log) == 1
    assert (log.at[0, "batch"], log.at[0, "user_name"], log.at[0, "changes"]) == (batch, "Erika", 1)
    assert pd.notna(log.at[0, "undone_at"])


def test_new_gemeinde_concept_and_bad_values(engine):
    editing.set_concept(engine, ConceptChange("09471111", "in Erarbeitung"), "E")
    assert _concept(engine, "09471111").status == "in Erarbeitung"
    for change, message in [
        (ConceptChange("09471", "gut"), "Status"),
        (ConceptChange("09471", "vorhanden", year=1800), "Jahr"),
        (ConceptChange("09471", "vorhanden", source_url="javascript:x"), "http"),
        (ConceptChange("091", "vorhanden"), "AGS"),
    ]:
        with pytest.raises(EditRefused, match=message):
            editing.set_concept(engine, change, "E")


def test_kiz_proposal_and_undo_order(engine):
    first = editing.save_kiz(
        engine, KizChange("09564", "vorgeschlagen", "KIZ Nürnberg", place="Nürnberg", note="Antrag A3"), "E"
    )
    centres = queries.integration_centres(engine)
    assert centres["name"].tolist() == ["KIZ Nürnberg"] and centres["lat"].notna().all()
    kiz_id = int(centres["id"].iloc[0])
    second = editing.save_kiz(engine, KizChange("09564", "geplant", "KIZ Nürnberg", kiz_id=kiz_id), "E")
    assert queries.kreise(engine).set_index("ags").loc["09564", "kiz_status"] == "geplant"
    with pytest.raises(EditRefused, match="spätere Änderung"):
        editing.undo_batch(engine, first, "E")
    editing.undo_batch(engine, second, "E")
    editing.undo_batch(engine, first, "E")
    assert queries.integration_centres(engine).empty
    with pytest.raises(EditRefused, match="nicht im gewählten Kreis"):
        editing.save_kiz(engine, KizChange("09564", "vorgeschlagen", "KIZ", place="Bamberg"), "E")


def test_concept_list_by_ags_and_name_all_or_nothing(engine):
    body = (
        "AGS;Name;Status;Titel;Jahr;Quelle\n"
        "09471;;vorhanden;Konzept LK Bamberg;2024;https://www.landkreis-bamberg.de\n"
        ";Landkreis Forchheim;in Arbeit;;;\n"
        ";Stadt Coburg;nein;;;\n"
        ";Hallstadt;vorhanden;Hallstädter Leitbild;2023;\n"
    )
    table = read_table("konzepte.csv", body.encode())
    changes, errors = editing.read_concept_list(engine, table)
    assert errors == [] and [c.region_ags for c in changes] == ["09471", "09474", "09463", "09471140"]
    assert [c.status for c in changes] == ["vorhanden", "in Erarbeitung", "keines", "vorhanden"]
    editing.set_concepts(engine, changes, "E")
    assert _concept(engine, "09471140").title == "Hallstädter Leitbild"
    bad = read_table("k.csv", b"Name;Status;Jahr\nAtlantis;vorhanden;\nLandkreis Hof;gut;\nLandkreis Hof;keines;20x4\n")
    changes, errors = editing.read_concept_list(engine, bad)
    assert [(e.row, e.column) for e in errors] == [(2, "Name"), (3, "Status"), (4, "Jahr")] and changes == []


def test_concept_list_headers_are_matched_like_partner_headers(engine):
    """One header matcher (columns.match_headers): a header that contains a known word is found as well."""
    body = "Gemeindeschlüssel (AGS);Konzept-Status;Beschlossen im Jahr;Quelle (URL)\n09471;ja;2024;https://www.landkreis-bamberg.de\n"
    changes, errors = editing.read_concept_list(engine, read_table("liste.csv", body.encode()))
    assert errors == []
    assert changes == [ConceptChange("09471", "vorhanden", None, 2024, "https://www.landkreis-bamberg.de", None)]


def test_a_concept_without_source_is_shown_as_such(engine):
    editing.set_concept(engine, ConceptChange("09471", "vorhanden", "Konzept"), "E")
    table = queries.kreis_display(queries.kreise(engine, "Oberfranken"))
    row = table.set_index("Kreis").loc["Landkreis Bamberg"]
    assert row["Hinweis"] == "ohne Quelle" and pd.isna(row["Quelle"])
    assert pd.isna(table.set_index("Kreis").loc["Kreisfreie Stadt Hof", "Hinweis"])
