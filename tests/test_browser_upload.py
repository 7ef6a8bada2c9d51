"""A real browser logs in, uploads a CP1252 list through the file input, applies it, sees the markers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import MAP_FRAME, OFFLINE, SHOW_PARTNER, confirmed, log_in, map_frame, require_chromium, served_copy

FILES = Path(__file__).parent / "files"
PASSWORD = "browser-geheim-42"

require_chromium()


@pytest.fixture(scope="module")
def server(seeded_template, tmp_path_factory) -> Iterator[str]:
    with served_copy(seeded_template, tmp_path_factory.mktemp("upload"), {"INTEGRA_EDITOR_PASSWORD": PASSWORD}) as url:
        yield url


def test_upload_apply_and_find_the_new_markers_on_the_map(server, page, tmp_path):
    page.goto(f"{server}/hochladen?{OFFLINE}")
    log_in(page, "Browser-Test", PASSWORD)
    expect(page.get_by_text("Angemeldet als")).to_be_visible(timeout=30_000)
    # Streamlit's uploader speaks English; integra/web/german.py makes it (and the page's lang) German.
    expect(page.locator('[data-testid="stFileUploader"]')).to_contain_text("höchstens 10 MB je Datei")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert not re.search(r"Drag and drop|Browse files|per file|\bUpload\b", page.locator("body").inner_text())

    page.locator('input[type="file"]').set_input_files(str(FILES / "partner_cp1252_semikolon.csv"))
    expect(page.get_by_text("4. Vorschau")).to_be_visible(timeout=30_000)
    uploader = page.locator('[data-testid="stFileUploader"]').inner_text()
    assert re.search(r"\d+,\d (B|KB)", uploader) and not re.search(r"\d\.\dK?B", uploader), uploader  # "1,2 KB"
    new_metric = page.locator('[data-testid="stMetric"]').filter(has_text=re.compile(r"^neu"))
    expect(new_metric).to_contain_text("3")
    # the table is drawn on a canvas; its cells exist as accessible grid cells
    expect(page.locator("td", has_text="Ökumenischer Helferkreis Asyl Höchberg").first).to_be_attached()
    page.screenshot(path=str(tmp_path / "vorschau.png"), full_page=True)
    page.get_by_role("button", name="Übernehmen").click()
    expect(confirmed(page, "Import 1 übernommen")).to_be_visible(timeout=30_000)

    page.goto(f"{server}/karte?regbez=Unterfranken&typ=Helferkreis&typ=Diakonie&{OFFLINE}")
    fmap = page.frame_locator(MAP_FRAME)
    expect(fmap.locator("path.leaflet-interactive")).to_have_count(12, timeout=60_000)
    frame = map_frame(page)
    for name in ("Höchberg", "Diakonie Schweinfurt"):  # new partners may sit in a cluster: zoom to each
        assert frame.evaluate(SHOW_PARTNER, name), name
        expect(fmap.locator(f'.integra-partner[title*="{name}"]')).to_have_count(1, timeout=10_000)
    page.screenshot(path=str(tmp_path / "karte_neu.png"))
