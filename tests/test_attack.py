"""Attack suite: the payload corpus through every input path, rendered through every output.

Inputs: a partner list upload (XLSX, every column, through the real importer), the concept
form (`editing.set_concepts`), a concept list (CSV through `editing.read_concept_list`), the
KIZ form (`editing.save_kiz`), the editor's name (it reaches popups as „laut Redaktion (…)“),
a signed backup restored over the store, and the login form of the live app. Outputs: the map of every
level and mode (as rendered for the app frame and as the offline HTML export), PNG, PDF,
CSV/XLSX/GeoJSON exports. The browser half opens every popup and tooltip of the offline map
in Debian's Chromium and of the live app's map.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from integra import backup, editing, export, factsheet, gaps, importer, maps, queries
from integra.editing import ConceptChange, KizChange
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE, MapData, MapView
from integra.models import Partner
from integra.store import make_engine, transaction
from integra.tabular import read_table
from integra.web import mapframe
from tests.payloads import FORMULA_START, PAYLOADS, with_canary

BAMBERG_KREIS, BAMBERG_STADT = "09471", "09461"
SOURCE = "https://www.example.org/quelle"


def _upload(engine: Engine, canary: str) -> None:
    """Every payload in every column of an XLSX partner list, imported like an editor would."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Träger", "Straße", "PLZ", "Ort", "Webseite", "E-Mail", "Telefon", "Quelle"])
    for i, payload in enumerate(PAYLOADS):
        text = with_canary(payload, canary)
        # Telefon is limited to 100 characters (a longer cell is an error of its row), so it gets the start.
        sheet.append([f"P{i} {text}", f"Caritas {text}", text, "96047", "Bamberg", text, text, text[:100], text])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    plan = importer.plan_import(engine, read_table("angriff.xlsx", data), data, consent=True, only_valid=True)
    importer.apply_import(engine, plan, user=with_canary(PAYLOADS[9], canary))


def _edit(engine: Engine, canary: str) -> None:
    """Payloads as concept titles and notes (Kreise and Gemeinden), KIZ fields and editor names."""
    kreise = queries.kreise(engine)["ags"].tolist()
    gemeinden = queries.gemeinden(engine, "Oberfranken")["ags"].tolist()
    changes = [
        ConceptChange(ags, "vorhanden", with_canary(p, canary), 2020, SOURCE, with_canary(p, canary))
        for ags, p in zip(kreise + gemeinden, PAYLOADS, strict=False)
    ]
    for i in range(0, len(changes), 10):  # several batches, each by a hostile "editor name"
        editing.set_concepts(engine, changes[i : i + 10], with_canary(PAYLOADS[i % len(PAYLOADS)], canary))
    for i, payload in enumerate(PAYLOADS[:30]):
        text = with_canary(payload, canary)
        kiz = KizChange(kreise[i], "vorgeschlagen", f"KIZ {i} {text}", note=text, source_url=SOURCE)
        editing.save_kiz(engine, kiz, text)


def _concept_list(engine: Engine, canary: str) -> None:
    """Payloads as titles and notes of a concept list for the Gemeinden of Unterfranken (CSV, like editors upload)."""
    gemeinden = queries.gemeinden(engine, "Unterfranken")["ags"].tolist()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["AGS", "Status", "Titel", "Jahr", "Quelle", "Notiz"])
    for ags, payload in zip(gemeinden, PAYLOADS, strict=False):
        text = with_canary(payload, canary)
        writer.writerow([ags, "in Erarbeitung", text, "2021", SOURCE, text])
    changes, errors = editing.read_concept_list(engine, read_table("konzepte.csv", out.getvalue().encode("utf-8")))
    assert errors == [] and len(changes) == len(PAYLOADS)
    editing.set_concepts(engine, changes, with_canary(PAYLOADS[10], canary))


@pytest.fixture(scope="module")
def hostile(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    """A store filled with the corpus through the real input paths, and the canary path it names."""
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copy(seeded_template, folder / "integra.sqlite3")
    canary = folder / "canary"
    engine = make_engine(f"sqlite:///{folder / 'integra.sqlite3'}")
    _upload(engine, str(canary))
    _edit(engine, str(canary))
    _concept_list(engine, str(canary))
    # Through a signed backup and back: what the pages show below comes out of a restore.
    counts = backup.restore(engine, backup.dump(engine))
    assert counts["partners"] >= len(PAYLOADS)
    yield engine, canary
    engine.dispose()


def _data(engine: Engine, view: MapView) -> MapData:
    return maps.map_data(engine, view)


VIEWS = [
    MapView(),
    MapView(regbez="Oberfranken"),
    MapView(regbez="Oberfranken", level=LEVEL_GEMEINDEN),
    MapView(regbez="Oberfranken", level=LEVEL_KREISE, large=True),
]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_corpus_is_large_and_stored_literally(hostile):
    engine, canary = hostile
    assert len(PAYLOADS) >= 50

    def lines(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()

    with transaction(engine) as session:
        names = {lines(name) for name in session.scalars(select(Partner.name))}
    # Without lxml, openpyxl writes a carriage return that XML reads back as a line feed; with lxml (installed
    # for python-docx) it survives. Either way the line is kept; everything else arrives as typed.
    expected = [lines(f"P{i} {with_canary(p, str(canary))}") for i, p in enumerate(PAYLOADS)]
    assert [name for name in expected if name not in names] == []


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: f"{v.regbez}-{v.level}-{'gross' if v.large else 'normal'}")
def test_map_renders_every_payload_as_inert_data(hostile, view):
    """C1/H1: no template pass evaluates stored text; every string reaches the page as JSON data."""
    engine, canary = hostile
    data = _data(engine, view)
    document = mapframe.document_of(maps.build_map(view, data)).body.decode("utf-8")
    offline = maps.standalone_html(view, data)
    assert not canary.exists(), "a payload ran on the server"
    for text in (document, offline):
        assert "{{" not in text and "{%" not in text and "{#" not in text
        assert "uid=0(" not in text and "<img src=x" not in text and "${alert" not in text
    layers = [json.loads(m) for m in re.findall(r"^\}\)\((\{.*\})\);$", document, flags=re.M)]
    strings = set().union(*(set(_strings(layer)) for layer in layers))
    assert "P0 {{ 6*7 }}" in strings  # the title of a partner marker, literally
    assert any("{{ 6*7 }}" in s for s in strings if s.startswith("<br>"))  # popup lines carry it escaped, not evaluated


def test_static_outputs_carry_no_formula_and_no_execution(hostile, tmp_path):
    """PNG, PDF and every table export: nothing runs, and no cell starts a formula (H4)."""
    engine, canary = hostile
    view = MapView(regbez="Oberfranken")
    data = _data(engine, view)
    assert maps.static_png(view, data).startswith(b"\x89PNG")
    pdf = factsheet.factsheet_pdf(engine, BAMBERG_KREIS)
    assert pdf.startswith(b"%PDF") and b"/JavaScript" not in pdf and b"/URI (javascript" not in pdf
    tables = {
        "partner.csv": export.to_csv(data.partners),
        "kreise.csv": export.frame_csv(gaps.display(gaps.kreis_figures(engine, "Ganz Bayern"))),
        "vorbilder.csv": export.frame_csv(gaps.display(gaps.nearby_models(engine, "Ganz Bayern"))),
    }
    for name, blob in tables.items():
        rows = list(csv.reader(io.StringIO(blob.decode("utf-8-sig"), newline=""), delimiter=";"))
        assert len(rows) > 1, name
        bad = [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]
        assert bad == [], (name, bad[:3])
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(data.partners)))
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" and not c.value.startswith(FORMULA_START) for c in cells)
    features = json.loads(export.to_geojson(data.partners))["features"]
    assert any("{{ 6*7 }}" in str(f["properties"]["name"]) for f in features)  # GIS data stays literal
    assert not canary.exists()


# In the page of a map: every popup and tooltip content made (as Leaflet makes it on click or
# hover) and put into the document, so that any script in it would run; a few popups also opened
# for real. Returns what a test needs to see: counts and the text shown.
_OPEN_EVERYTHING = """async () => {
    const map = window.map || Object.values(window).find(v => v instanceof L.Map);
    const box = document.createElement('div');
    document.body.appendChild(box);
    let popups = 0, tooltips = 0, opened = 0;
    const visit = (layer) => {
        if (layer.getLayers && !layer.getPopup?.()) { layer.getLayers().forEach(visit); }
        const popup = layer.getPopup?.(), tooltip = layer.getTooltip?.();
        for (const [kind, item] of [['popup', popup], ['tooltip', tooltip]]) {
            if (!item) continue;
            let content = item._content;
            if (typeof content === 'function') content = content(layer);
            if (typeof content === 'string') {
                const d = document.createElement('div'); d.innerHTML = content; content = d;
            }
            box.appendChild(content);
            kind === 'popup' ? popups++ : tooltips++;
        }
        if (popup && map.hasLayer(layer) && opened < 40) { layer.openPopup(); opened++; }
    };
    map.eachLayer(visit);
    await new Promise(r => setTimeout(r, 1500));
    return {popups, tooltips, opened, text: box.textContent, pwned: window.__pwned === undefined ? null : 1,
            injected: box.querySelectorAll(
                '#pwned, img, svg, iframe, script, details, style, math, a[href^="javascript"]').length};
}"""


def _attack_page(page) -> tuple[list[str], list[str]]:
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return dialogs, errors


def _assert_inert(result: dict, dialogs: list[str], errors: list[str]) -> None:
    assert dialogs == [] and errors == [], (dialogs, errors)
    assert result["pwned"] is None and result["injected"] == 0, result
    assert result["popups"] > 0 and result["tooltips"] > 0
    assert "{{ 6*7 }}" in result["text"] and "${alert(11)}" in result["text"]  # shown literally


@pytest.mark.parametrize("view", VIEWS[1:3], ids=["Kreise", "Gemeinden"])
def test_offline_html_export_runs_no_payload_in_chromium(hostile, view, page, tmp_path):
    engine, canary = hostile
    path = tmp_path / "karte.html"
    path.write_text(maps.standalone_html(view, _data(engine, view)), encoding="utf-8")
    dialogs, errors = _attack_page(page)
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length > 0")
    _assert_inert(page.evaluate(_OPEN_EVERYTHING), dialogs, errors)
    assert not canary.exists()


def test_live_app_pages_run_no_payload(hostile, page, tmp_path):
    """Every page and map mode of the real app on the hostile store, in Chromium, logged in under a hostile name."""
    from playwright.sync_api import expect

    from integra.devserver import running_app
    from tests.browser import MAP_FRAME, OFFLINE, log_in, map_frame, require_chromium

    require_chromium()
    engine, canary = hostile
    dialogs, errors = _attack_page(page)
    beacons: list[str] = []
    page.on("request", lambda r: "127.0.0.1:9/" in r.url and beacons.append(r.url))
    password = "Angriffstest-2026"
    with running_app(str(engine.url), tmp_path / "streamlit.log", env={"INTEGRA_EDITOR_PASSWORD": password}) as app:
        for path in ("/", "/partner?suche=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/luecken"):
            page.goto(f"{app.url}{path}")
            expect(page.get_by_text("Datenstand").first).to_be_visible(timeout=60_000)
            assert page.locator("#pwned").count() == 0
        for query in ("regbez=Oberfranken", "regbez=Oberfranken&ebene=Gemeinden", "regbez=Oberfranken&praesentation=1"):
            page.goto(f"{app.url}/karte?{query}&{OFFLINE}")
            expect(page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first).to_be_visible(
                timeout=60_000
            )
            frame = map_frame(page)
            _assert_inert(frame.evaluate(_OPEN_EVERYTHING), dialogs, errors)
            assert page.locator("#pwned").count() == 0
        # The editor pages, logged in under a hostile name: change log, forms, history show stored payloads.
        page.goto(f"{app.url}/redaktion")
        log_in(page, "<img src=x id=pwned onerror=alert(1)>**fett** ![t](http://127.0.0.1:9/t.png)", password)
        expect(page.get_by_text("Angemeldet als <img src=x id=pwned").first).to_be_visible(timeout=30_000)
        for tab in ("KIZ", "Konzeptliste", "Änderungen", "Sicherung", "Konzept"):
            page.get_by_role("tab", name=tab, exact=True).click()
            page.wait_for_timeout(500)
        page.get_by_role("link", name="Daten hochladen").click()
        expect(page.get_by_role("heading", name="Daten hochladen").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        assert page.locator("#pwned").count() == 0 and dialogs == [] and errors == [] and beacons == []
    assert not canary.exists()
