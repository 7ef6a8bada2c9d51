"""The public Melden page under AppTest: field messages, honeypot, limit per session, nothing on the map."""

from __future__ import annotations

from sqlalchemy import func, select

from integra import queries
from integra.formatting import md_text
from integra.models import Report
from integra.web.links import without_app_links
from tests.apptest import click, page

HOF = "09475"
SOURCE = "https://www.landkreis-hof.de/integration"


def _melden(**query: str):
    at = page("views/melden.py", **query)
    assert not at.exception, at.exception
    return at


def _fill(
    at, source: str = SOURCE, text: str = "Neue Integrationsbeauftragte seit 2025", homepage: str = "", name: str = ""
):
    at.segmented_control(key="melden_kind").set_value("Etwas anderes").run()
    at.selectbox(key="melden_area").select_index(0)
    if name:
        at.text_input(key="melden_name").input(name)
    at.text_area(key="melden_text").input(text)
    at.text_input(key="melden_source").input(source)
    at.text_input(key="melden_homepage").input(homepage)  # the hidden honeypot
    return click(at, "Meldung senden")


def _stored(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Report)) or 0


def test_a_link_preselects_the_area_and_a_concept_report_waits_for_review(db_url, engine):
    before = queries.kreise(engine).set_index("ags").loc[HOF, "status"]
    at = _melden(ags=HOF)
    assert at.selectbox(key="melden_area").value.startswith("Landkreis Hof")
    at.selectbox(key="melden_status").select("vorhanden")
    at.text_input(key="melden_title").input("Integrationskonzept <b>Hof</b>")
    at.text_input(key="melden_source").input(SOURCE)
    at = click(at, "Meldung senden")
    assert not at.error, [e.value for e in at.error]
    assert "wartet jetzt auf die Redaktion" in at.success[0].value
    assert _stored(engine) == 1
    assert queries.kreise(engine).set_index("ags").loc[HOF, "status"] == before  # nothing on the map yet


def test_every_bad_field_gets_a_german_message_naming_it(db_url, engine):
    at = _fill(_melden(), source="")
    assert at.error[0].value == md_text("Quelle: bitte ausfüllen")
    at = _fill(_melden(), source="javascript:alert(1)")
    assert at.error[0].value.startswith(md_text("Quelle:"))
    at = _fill(_melden(), text="   ")
    assert at.error[0].value == md_text("Text: bitte ausfüllen")
    assert _stored(engine) == 0


def test_the_honeypot_is_thanked_and_nothing_is_stored(db_url, engine):
    at = _fill(_melden(), homepage="http://spam.example")
    assert at.success and _stored(engine) == 0


def test_a_session_sends_at_most_five_reports_in_ten_minutes(db_url, engine):
    at = _melden()
    for n in range(5):
        at = _fill(at, text=f"Meldung {n}")
        assert at.success, n
    at = _fill(at, text="Meldung 5")
    assert "schon 5 Meldungen" in at.error[0].value and _stored(engine) == 5


def test_the_start_page_counts_reports_waiting_for_review(db_url, engine):
    """Public visibility: how many reports wait, never what they say (their number follows the data token)."""
    start = page("views/uebersicht.py")

    def links() -> list[str]:
        return [link.proto.label for link in start.get("page_link")]

    assert "Etwas melden – 0 Meldungen in Prüfung" in links()
    _fill(_melden())
    start.run()
    assert "Etwas melden – 1 Meldung in Prüfung" in links()


def test_an_odd_area_in_the_address_gets_a_german_note_and_the_form(db_url):
    """Walkthrough: `?ags=xyz` broke the page (the note had no name for the parameter)."""
    at = _melden(ags="xyz")
    assert not at.error and any("Gebiet „xyz“" in i.value for i in at.info)
    assert at.selectbox(key="melden_area").value is None


def _partner_row(engine, name: str) -> dict:
    partners = queries.partners(engine)
    return partners[partners["name"] == name].iloc[0].to_dict()


def _report(engine) -> Report:
    with engine.connect() as conn:
        return conn.execute(select(Report)).one()


def test_a_partner_link_opens_the_correction_filled_with_what_is_stored(db_url, engine):
    """`?partner=<id>` (the partner popup's link): kind Partner, „Angaben korrigieren“, fields as stored."""
    stored = _partner_row(engine, "Diakonie Hochfranken gGmbH")
    at = _melden(partner=str(stored["id"]))
    assert at.segmented_control(key="melden_kind").value == "Partner"
    assert at.radio(key="melden_action").value == "Angaben korrigieren"
    name = at.text_input(key=f"melden_name_{stored['id']}")
    assert name.value == stored["name"] and at.text_input(key=f"melden_plz_{stored['id']}").value == stored["plz"]
    name.input("Diakonie Hochfranken")
    at.text_input(key="melden_source").input(SOURCE)
    at = click(at, "Meldung senden")
    assert not at.error, [e.value for e in at.error]
    report = _report(engine)
    assert (report.kind, report.partner_id, report.region_ags) == ("partner", stored["id"], stored["gemeinde_ags"])


def test_a_new_partner_needs_a_place_and_a_gone_one_needs_the_partner(db_url, engine):
    at = _melden()
    at.segmented_control(key="melden_kind").set_value("Partner").run()
    at.text_input(key="melden_name_neu").input("Helferkreis Rehau")
    at.selectbox(key="melden_type_neu").select("Helferkreis")
    at.text_input(key="melden_source").input(SOURCE)
    at = click(at, "Meldung senden")
    assert at.error[0].value == md_text("Ort: bitte PLZ oder Ort angeben, damit der Partner auf die Karte kann")
    at.text_input(key="melden_city_neu").input("Rehau")
    at = click(at, "Meldung senden")
    assert at.success and _report(engine).kind == "partner"
    at.radio(key="melden_action").set_value("Gibt es nicht mehr").run()
    at = click(at, "Meldung senden")
    assert at.error[0].value == "Partner: bitte oben den Partner wählen, um den es geht"


def test_an_odd_partner_in_the_address_gets_a_german_note(db_url):
    at = _melden(partner="<b>1</b>")
    assert not at.error and any("Partner „" in i.value for i in at.info)
    assert at.radio(key="melden_action").value == "Neuer Partner"


def test_table_rows_link_to_the_form_for_their_kreis_or_partner_and_downloads_leave_the_link_out(db_url, engine):
    """Issue 13: „Etwas melden“ in every row of the Kreis table (Übersicht) and of the partner table."""
    start = page("views/uebersicht.py")
    kreise = next(df.value for df in start.dataframe if "Kreis" in df.value.columns and "Melden" in df.value.columns)
    expected = queries.kreise(engine).set_index("name")["ags"]
    assert all(
        href == f"melden?ags={expected[name]}" for name, href in zip(kreise["Kreis"], kreise["Melden"], strict=True)
    )
    partners = page("views/partner.py")
    table = next(df.value for df in partners.dataframe if "Melden" in df.value.columns)
    assert set(table["Melden"]) == {f"melden?partner={i}" for i in queries.partners(engine)["id"]}
    assert list(without_app_links(table).columns) == [c for c in table.columns if c != "Melden"]


def test_a_sent_report_empties_the_form_and_only_sent_reports_count_against_the_limit(db_url, engine):
    """Walkthrough: the next report started with the last one's source, and refused tries used up the limit."""
    at = _melden()
    for _ in range(3):
        at = _fill(at, source="")
        assert at.error
    for n in range(5):
        at = _fill(at, text=f"Meldung {n}", name="Ortsverein Hof" if n == 0 else "")
        assert at.success, n
    assert at.text_input(key="melden_source").value == "" and at.text_area(key="melden_text").value == ""
    assert at.text_input(key="melden_name").value == "Ortsverein Hof" and _stored(engine) == 5
