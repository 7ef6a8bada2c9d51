"""Issue 13 end to end in a real browser: from a Kreis popup to the report form, an editor accepts in a
second tab (a session of its own), the Kreis changes colour on the map, and the change log undoes it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import MAP_FRAME, OFFLINE, SHOW_PARTNER, confirmed, log_in, map_frame, require_chromium, served_copy

PASSWORD = "melden-geheim-77"
HOF = 'path[aria-label^="Landkreis Hof: "]'
DIAKONIE = "Diakonie Hochfranken gGmbH"  # a partner of the test seed in Hof


@pytest.fixture(scope="module")
def server(seeded_template, tmp_path_factory) -> Iterator[str]:
    require_chromium()
    with served_copy(seeded_template, tmp_path_factory.mktemp("melden"), {"INTEGRA_EDITOR_PASSWORD": PASSWORD}) as url:
        yield url


def _hof_label(page: Page, server: str) -> str:
    page.goto(f"{server}/karte?regbez=Oberfranken&{OFFLINE}")
    hof = page.frame_locator(MAP_FRAME).locator(HOF)
    expect(hof).to_have_count(1, timeout=60_000)
    return hof.get_attribute("aria-label") or ""


def test_a_report_from_a_popup_is_accepted_shown_and_undone(server, page):
    before = _hof_label(page, server)
    assert "Konzept vorhanden" not in before
    fmap = page.frame_locator(MAP_FRAME)
    fmap.locator(HOF).dispatch_event("click")  # names and symbols may lie over the area's centre
    link = fmap.locator(".leaflet-popup-content").get_by_role("link", name="Etwas melden")
    with page.context.expect_page() as opened:
        link.click()
    form = opened.value
    expect(form.get_by_text("Etwas melden").first).to_be_visible(timeout=30_000)
    area = form.locator('[data-testid="stSelectbox"]').filter(has_text="Kreis, kreisfreie Stadt oder Gemeinde")
    assert form.url.endswith("/melden?ags=09475"), form.url
    expect(area.locator("input")).to_have_value(re.compile("^Landkreis Hof"))  # the popup's link chose the area
    form.get_by_role("textbox", name="Quelle (Internetadresse, Pflicht)").fill(
        "https://www.landkreis-hof.de/integration"
    )
    form.get_by_role("button", name="Meldung senden").click()
    expect(confirmed(form, "wartet jetzt auf die Redaktion")).to_be_visible(timeout=30_000)
    assert "Konzept vorhanden" not in _hof_label(page, server)  # nothing on the map before review

    editor = page.context.new_page()  # the editor, in a tab of its own: a Streamlit session of its own
    editor.goto(f"{server}/redaktion?{OFFLINE}")
    log_in(editor, "Erika", PASSWORD)
    editor.get_by_role("tab", name="Meldungen").click()
    editor.get_by_role("button", name="Annehmen").click()
    expect(confirmed(editor, "angenommen – im Änderungsprotokoll")).to_be_visible(timeout=30_000)
    assert "Konzept vorhanden" in _hof_label(page, server)

    editor.get_by_role("tab", name="Änderungen").click()
    editor.get_by_role("button", name="Rückgängig machen").click()
    expect(confirmed(editor, "Änderung rückgängig gemacht")).to_be_visible(timeout=30_000)
    assert _hof_label(page, server) == before


def test_a_partner_correction_from_its_popup_is_accepted_and_the_marker_says_so(server, page):
    """Issue 13: the partner popup's „Etwas melden“ opens the correction with the partner's fields filled."""
    page.goto(f"{server}/karte?regbez=Oberfranken&typ=Diakonie&{OFFLINE}")
    fmap = page.frame_locator(MAP_FRAME)
    expect(fmap.locator("path.leaflet-interactive").first).to_be_attached(timeout=60_000)
    frame = map_frame(page)
    assert frame.evaluate(SHOW_PARTNER, DIAKONIE)
    marker = fmap.locator(f'.integra-partner[title^="{DIAKONIE} "]')
    expect(marker).to_have_count(1, timeout=10_000)
    marker.dispatch_event("click")
    link = fmap.locator(".leaflet-popup-content").get_by_role("link", name="Etwas melden")
    with page.context.expect_page() as opened:
        link.click()
    form = opened.value
    name = form.get_by_role("textbox", name="Name der Organisation oder Gruppe")
    expect(name).to_have_value(DIAKONIE, timeout=30_000)  # the correction starts from what is stored
    assert re.search(r"/melden\?partner=\d+$", form.url), form.url
    name.fill("Diakonie Hochfranken")
    form.get_by_role("textbox", name="Quelle (Internetadresse, Pflicht)").fill("https://www.diakonie-hochfranken.de/")
    form.get_by_role("button", name="Meldung senden").click()
    expect(confirmed(form, "wartet jetzt auf die Redaktion")).to_be_visible(timeout=30_000)

    editor = page.context.new_page()
    editor.goto(f"{server}/redaktion?{OFFLINE}")
    log_in(editor, "Erika", PASSWORD)
    editor.get_by_role("tab", name="Meldungen").click()
    expect(editor.get_by_text("Partner (Korrektur)")).to_be_visible(timeout=30_000)
    editor.get_by_role("button", name="Annehmen").click()
    expect(confirmed(editor, "angenommen – in der Liste der Importe")).to_be_visible(timeout=30_000)

    page.goto(f"{server}/karte?regbez=Oberfranken&typ=Diakonie&{OFFLINE}")
    expect(fmap.locator("path.leaflet-interactive").first).to_be_attached(timeout=60_000)
    frame = map_frame(page)
    assert frame.evaluate(SHOW_PARTNER, "Diakonie Hochfranken (")
    expect(fmap.locator('.integra-partner[title^="Diakonie Hochfranken ("]')).to_have_count(1, timeout=10_000)
    assert not frame.evaluate(SHOW_PARTNER, DIAKONIE)
