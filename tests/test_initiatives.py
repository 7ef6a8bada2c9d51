"""Issue 14, part 2 (first steps): motions on their way (Initiativen) – entered by editors with change log and
undo, drawn as a map layer, counted on the Übersicht, and a decided concept motion offers its status change."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from integra import charts, editing, gaps, geodata, maps, queries, reports
from integra.editing import EditRefused, InitiativeChange
from integra.maps import MapView, build_map
from integra.web import widgets
from tests.apptest import app, click, layer_data, page

ERDING, ERDING_TOWN = "09177", "09177117"  # Landkreis Erding (unbekannt in the test seed) and its Große Kreisstadt
SOURCE = "https://www.landkreis-erding.de/ratsinfo/antrag-integrationskonzept"


def _motion(**fields) -> InitiativeChange:
    values = {
        "region_ags": ERDING,
        "title": "Antrag auf ein Integrationskonzept",
        "asks": "konzept",
        "status": "eingereicht",
        "filed_on": dt.date(2026, 10, 1),
        "source_url": SOURCE,
    }
    return InitiativeChange(**(values | fields))


def test_a_motion_is_stored_with_its_council_logged_and_undone(engine):
    batch = editing.save_initiative(engine, _motion(), "Erika")
    editing.save_initiative(engine, _motion(region_ags=ERDING_TOWN, asks="kiz"), "Erika")
    motions = queries.initiatives(engine).set_index("region_ags")
    assert motions.loc[ERDING, "body"] == "Kreistag" and motions.loc[ERDING_TOWN, "body"] == "Stadtrat"
    assert motions.loc[ERDING, "area"] == "Landkreis Erding" and motions.loc[ERDING, "regbez"] == "Oberbayern"
    changed = editing.save_initiative(
        engine, _motion(status="beschlossen", initiative_id=int(motions.loc[ERDING, "id"])), "Erika"
    )
    assert queries.initiatives(engine).set_index("region_ags").loc[ERDING, "status"] == "beschlossen"
    editing.undo_batch(engine, changed, "Erika")
    assert queries.initiatives(engine).set_index("region_ags").loc[ERDING, "status"] == "eingereicht"
    editing.undo_batch(engine, batch, "Erika")
    assert list(queries.initiatives(engine)["region_ags"]) == [ERDING_TOWN]


def test_the_same_new_motion_twice_is_refused(engine):
    editing.save_initiative(engine, _motion(), "Erika")
    with pytest.raises(EditRefused, match="gibt es schon"):
        editing.save_initiative(engine, _motion(title=" Antrag auf ein Integrationskonzept "), "Erika")
    assert len(queries.initiatives(engine)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "erledigt"}, "Status"),
        ({"asks": "geld"}, "unbekannt"),
        ({"title": "  "}, "Titel"),
        ({"filed_on": dt.date(1980, 1, 1)}, "Datum"),
        ({"source_url": "javascript:alert(1)"}, "Quelle"),
        ({"region_ags": "091"}, "Kein Kreis"),
    ],
)
def test_a_bad_motion_is_refused_in_german(engine, fields, message):
    with pytest.raises(EditRefused, match=message):
        editing.save_initiative(engine, _motion(**fields), "Erika")
    assert queries.initiatives(engine).empty


def _motion_layer(html: str) -> dict:
    """The data of the map's one layer of motions."""
    (layer,) = [
        d
        for d in layer_data(html)
        if isinstance(d.get("styles"), list) and d["styles"][0]["cls"] == "integra-initiative"
    ]
    return layer


def test_the_map_draws_motions_as_a_layer_of_their_own_with_the_text_as_data(engine):
    editing.save_initiative(engine, _motion(title="<script>alert(1)</script> Konzept"), "Erika")
    view = MapView(regbez="Oberbayern")
    html = build_map(view, maps.map_data(engine, view)).get_root().render()
    layer = _motion_layer(html)
    ((lat, lon, style, title, popup),) = layer["rows"]
    centre = geodata.kreis_centres()[ERDING]  # a Kreis's motion sits at the Kreis's centre
    assert (round(lat, 4), round(lon, 4)) == (round(centre.y, 4), round(centre.x, 4))
    assert title.startswith("Antrag eingereicht: Landkreis Erding") and style == 1
    assert "&lt;script&gt;" in popup[0] and "<script>alert" not in popup[0] and "Kreistag Landkreis Erding" in popup[0]
    legend = next(d["html"] for d in layer_data(html) if d.get("cls") == "integra-legend")
    assert "Anträge (Initiativen)" in legend and "eingereicht (1)" in legend
    plain = build_map(MapView(regbez="Schwaben"), maps.map_data(engine, MapView(regbez="Schwaben")))
    assert "integra-initiative" not in plain.get_root().render()  # no motion there, no layer


def test_the_redaktion_enters_a_motion_and_a_decided_one_offers_the_concept_status(editor_page, engine):
    at = editor_page
    at.selectbox(key="initiative_area_neu0").select("Landkreis Erding (09177)")
    at.text_input(key="initiative_title_neu0").input("Antrag auf ein Integrationskonzept")
    at.selectbox(key="initiative_status_neu0").select("beschlossen")
    at.text_input(key="initiative_source_neu0").input(SOURCE)
    at = click(at, "Antrag speichern")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(queries.initiatives(engine)["status"]) == ["beschlossen"]
    assert at.text_input(key="initiative_title_neu1").value == ""  # the next motion starts empty
    at = click(at, "Konzeptstatus Landkreis Erding: „in Erarbeitung“ setzen")
    concept = editing.current_concept(engine, ERDING)
    assert concept.status == "in Erarbeitung" and concept.source_url == SOURCE
    assert not [b for b in at.button if b.label.startswith("Konzeptstatus Landkreis Erding")]  # offered once


def test_the_start_page_counts_the_motions_of_the_area(db_url, engine):
    start = page("views/uebersicht.py")
    assert any("Anträge (Initiativen): noch keiner eingetragen." in c.value for c in start.caption)
    editing.save_initiative(engine, _motion(), "Erika")
    editing.save_initiative(engine, _motion(region_ags=ERDING_TOWN, status="beschlossen"), "Erika")
    start.run()
    assert any("Anträge (Initiativen): 1 eingereicht, 1 beschlossen" in c.value for c in start.caption)


def test_the_luecken_tables_name_the_newest_motion_of_each_kreis(engine):
    editing.save_initiative(engine, _motion(filed_on=dt.date(2026, 3, 1)), "Erika")
    editing.save_initiative(engine, _motion(region_ags=ERDING_TOWN, filed_on=dt.date(2026, 10, 1)), "Erika")
    table = gaps.display(gaps.kreis_figures(engine)).set_index("Kreis")
    assert table.loc["Landkreis Erding", "Antrag"] == "eingereicht (01.10.2026), +1 weitere"
    assert table["Antrag"].isna().sum() == len(table) - 1


def test_motions_by_month_as_a_chart_and_in_words(db_url, engine):
    luecken = page("views/luecken.py")
    assert any(c.value == "Noch kein Antrag mit Datum eingetragen." for c in luecken.caption)
    editing.save_initiative(engine, _motion(filed_on=dt.date(2026, 3, 5)), "Erika")
    editing.save_initiative(engine, _motion(region_ags=ERDING_TOWN, status="beschlossen"), "Erika")
    editing.save_initiative(engine, _motion(region_ags="09161", filed_on=None), "Erika")
    frame = charts.motions_by_month(queries.initiatives(engine))
    assert frame.to_dict("records") == [
        {"Monat": pd.Timestamp("2026-03-01"), "Stand": "eingereicht", "Anträge": 1},
        {"Monat": pd.Timestamp("2026-10-01"), "Stand": "beschlossen", "Anträge": 1},
    ]
    luecken.run()
    assert not luecken.exception
    text = (
        "2 Anträge von 03.2026 bis 10.2026: 1 beschlossen, 1 eingereicht. Ohne Datum (nicht eingezeichnet): 1 Antrag."
    )
    assert any(c.value == text for c in luecken.caption), [c.value for c in luecken.caption]


def test_the_address_filters_motions_by_their_state_like_the_other_filters(db_url, engine):
    """`?initiative=beschlossen` (the sidebar's „Anträge (Stand)“): the map layer and the counts follow."""
    editing.save_initiative(engine, _motion(), "Erika")
    editing.save_initiative(engine, _motion(region_ags=ERDING_TOWN, status="beschlossen"), "Erika")
    start = app(initiative="beschlossen").run()
    assert not start.exception and start.multiselect(key="initiative").value == ["beschlossen"]
    assert any(c.value == "Anträge (Initiativen): 1 beschlossen" for c in start.caption)
    view = MapView(regbez="Oberbayern", initiative_statuses=("beschlossen",))
    html = build_map(view, maps.map_data(engine, view)).get_root().render()
    layer = _motion_layer(html)
    assert [row[3].split(":")[0] for row in layer["rows"]] == ["Antrag beschlossen"]
    odd = app(initiative="<i>x</i>").run()
    assert not odd.exception and any("Anträge (Stand) „" in i.value for i in odd.info)


def test_a_visitor_reports_a_motion_and_accepting_it_enters_it_through_the_change_log(engine):
    report = reports.InitiativeReport(
        ERDING, "Antrag der Fraktion auf ein Integrationskonzept", "konzept", "eingereicht", SOURCE, dt.date(2026, 9, 1)
    )
    report_id = reports.submit(engine, report, reports.Reporter("Ortsverein Erding", show_name=True))
    assert queries.initiatives(engine).empty  # nothing before review
    (row,) = reports.listed(engine, "pending")
    assert row["kind"] == "initiative" and row["proposed"]["filed_on"] == "2026-09-01"
    batch = reports.accept(engine, report_id, "Erika")
    (motion,) = queries.initiatives(engine).to_dict("records")
    assert (motion["body"], motion["status"], motion["source_url"]) == ("Kreistag", "eingereicht", SOURCE)
    assert motion["note"] == "gemeldet von Ortsverein Erding"
    editing.undo_batch(engine, batch, "Erika")
    assert queries.initiatives(engine).empty


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"title": ""}, "Titel"),
        ({"status": "erledigt"}, "Stand"),
        ({"asks": "geld"}, "Antrag auf"),
        ({"document_url": "javascript:alert(1)"}, "Dokument"),
    ],
)
def test_a_bad_motion_report_is_refused_naming_the_field(engine, fields, label):
    values = {"region_ags": ERDING, "title": "Antrag", "asks": "konzept", "status": "geplant", "source_url": SOURCE}
    with pytest.raises(reports.ReportRefused, match=f"^{label}: "):
        reports.submit(engine, reports.InitiativeReport(**(values | fields)))


def test_the_report_form_files_a_motion(db_url, engine):
    at = page("views/melden.py", ags=ERDING)
    at.segmented_control(key="melden_kind").set_value("Antrag").run()
    at.text_input(key="melden_motion_title").input("Antrag auf ein Integrationskonzept")
    at.text_input(key="melden_source").input(SOURCE)
    at = click(at, "Meldung senden")
    assert not at.error and at.success, [e.value for e in at.error]
    (row,) = reports.listed(engine, "pending")
    assert (row["kind"], row["ags"], row["proposed"]["status"]) == ("initiative", ERDING, "eingereicht")


def test_no_motion_state_chosen_says_so_instead_of_no_motion(db_url, engine):
    """An empty „Anträge (Stand)“ filter read „noch keiner eingetragen“ – wrong when motions exist."""
    editing.save_initiative(engine, _motion(), "Erika")
    for path in ("views/uebersicht.py", "views/luecken.py"):
        at = page(path)
        at.multiselect(key="initiative").set_value([]).run()
        assert not at.exception and any(c.value == widgets.NO_MOTION_STATE for c in at.caption), path
