"""Exports: tables that Excel opens safely, GeoJSON, the map as one offline HTML file and as PNG."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pandas as pd
from PIL import Image
from playwright.sync_api import expect

from integra import export, maps, queries
from integra.maps import MapData, MapView


def _data(engine, regbez: str) -> MapData:
    return maps.map_data(engine, MapView(regbez=regbez))


def test_tables_neutralise_formulas_in_csv_and_xlsx():
    frame = pd.DataFrame({"Name": ["=1+1", "+49 951", "-x", "@SUMME", "Caritas"], "Zahl": [1, 2, 3, 4, 5]})
    csv_text = export.frame_csv(frame).decode("utf-8-sig")
    assert csv_text.splitlines()[1:] == ['"\'=1+1";1', '"\'+49 951";2', '"\'-x";3', '"\'@SUMME";4', '"Caritas";5']
    sheet = openpyxl.load_workbook(io.BytesIO(export.frame_xlsx(frame))).active
    assert [c.value for c in sheet["A"]][1:] == ["'=1+1", "'+49 951", "'-x", "'@SUMME", "Caritas"]
    assert all(c.data_type != "f" for c in sheet["A"])


def test_excel_sheets_are_ready_to_read_and_csv_numbers_are_german():
    """UX review #12: a plain sheet (no bold header, filter or frozen row); "." decimals in a ";" CSV."""
    frame = pd.DataFrame(
        {
            "Kreis": ["Hof", "Coburg"],
            "Partner je 100.000 Einw.": [1.5, 12.25],
            "Jahr": pd.array([2019, None], dtype="Int64"),
        }
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.frame_xlsx(frame, "Kreise"))).active
    assert sheet.title == "Kreise" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"
    assert all(cell.font.b for cell in sheet[1]) and sheet.column_dimensions["B"].width >= len(
        "Partner je 100.000 Einw."
    )
    assert [c.value for c in sheet["C"]] == ["Jahr", 2019, None]
    lines = export.frame_csv(frame).decode("utf-8-sig").splitlines()
    assert lines[1:] == ['"Hof";"1,5";2019', '"Coburg";"12,25";""']


def test_kreise_geojson_carries_the_facts(engine):
    data = json.loads(export.areas_geojson(queries.kreise(engine, "Oberfranken")))
    assert len(data["features"]) == 13
    hof = next(f for f in data["features"] if f["properties"]["ags"] == "09464")
    assert hof["properties"]["status"] == "vorhanden" and hof["properties"]["year"] == 2019
    assert hof["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_standalone_html_opens_offline_in_chromium(engine, tmp_path, page):
    html = maps.standalone_html(
        MapView(regbez="Oberfranken", basemap="ohne Hintergrundkarte"), _data(engine, "Oberfranken")
    )
    assert "integra-inline" not in html
    assert not re.search(r'<script src=|<link rel="stylesheet"', html)  # every asset is inside the file
    path = tmp_path / "karte.html"
    path.write_text(html, encoding="utf-8")
    requests = []
    page.on("request", lambda r: r.url.startswith("file://") or r.url.startswith("data:") or requests.append(r.url))
    page.goto(path.as_uri())
    expect(page.locator("path.leaflet-interactive")).to_have_count(13, timeout=30_000)
    expect(page.locator(".integra-legend")).to_be_visible()
    assert requests == []


def test_static_png_of_the_view(engine):
    png = maps.static_png(MapView(regbez="Schwaben"), _data(engine, "Schwaben"), stand="26.11.2026")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1500, 1125)  # 4:3 at 150 dpi, not cropped to the content
    wide = Image.open(io.BytesIO(maps.static_png(MapView(), _data(engine, "Ganz Bayern"), wide=True)))
    assert abs(wide.width / wide.height - 16 / 9) < 0.01  # for 16:9 slides


def test_carriage_return_inside_a_cell_cannot_start_a_formula_row():
    """H4: a bare CR inside an unquoted cell used to end the record and start `=cmd|…` as a new row."""
    import csv
    import io

    import pandas as pd

    from integra.export import frame_csv

    frame = pd.DataFrame({"Name": ["Caritas Bamberg\r=cmd|' /C calc'!A0", "=1+1"], "Ort": ["Bamberg", "\r=1+1"]})
    rows = list(csv.reader(io.StringIO(frame_csv(frame).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 3
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_links_show_the_host_the_browser_opens():
    """Review: a right-to-left override, a user name or look-alike letters made link text lie about its host."""
    from integra.formatting import http_url, source_html

    assert http_url("https://\u202eed.grebmab.www") is None
    assert http_url("https://www.bamberg.de@evil.example/") is None
    assert http_url("https://[klick](www.caritas.de)") is None and http_url("https://a.de:port/") is None
    assert ">evil.com</a>" in source_html("https://ⓔvil.com/")
    assert ">münchen.de</a>" in source_html("https://münchen.de/integration")
    assert source_html("javascript:alert(1)") == "javascript:alert(1)"  # shown as text, never a link


def test_partner_exports_name_the_reliability_in_german(engine):
    """UX review #8: "high"/"medium" in the Excel a party member hands on."""
    frame = pd.read_csv(io.BytesIO(export.to_csv(queries.partners(engine))), sep=";", encoding="utf-8-sig")
    words = " ".join(frame["Verlässlichkeit"].dropna())
    assert words and not re.search(r"\b(high|medium|low)\b", words)
