"""Reading files as people export them, and rejecting what is no table with a German message."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from integra import tabular
from integra.tabular import FileRejected, read_table

FILES = Path(__file__).parent / "files"


def xlsx_two_sheets() -> bytes:
    """An Excel file as a Kreisverband sends it: a notes sheet first, a title row, empty trailing rows."""
    book = openpyxl.Workbook()
    book.active.title = "Hinweise"
    book.active.append(["Diese Liste pflegt der Kreisverband."])
    sheet = book.create_sheet("Partner")
    sheet.append(["Partnerliste Landkreis Bamberg, Stand November"])
    sheet.append([])
    sheet.append(["Name", "Träger", "PLZ", "Ort", "Ansprechpartner", "Handy", None])
    sheet.append(["Caritas Bamberg-Forchheim", "Caritas", 96052, "Bamberg", "Maria Muster", "0170 1234567", None])
    sheet.append(["Helferkreis Hirschaid", "Helferkreis", 96114, "Hirschaid", "Hans Beispiel", "0171 7654321", None])
    sheet.append([None] * 7)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "delimiter", "first"),
    [
        ("partner_cp1252_semikolon.csv", ";", "Caritas-Zentrum Würzburg"),
        ("partner_utf8bom_komma.csv", ",", "AWO Kreisverband Passau, e.V."),
        ("partner_tab.csv", "\t", "Unterstützerkreis Weiden"),
    ],
)
def test_csv_encodings_and_delimiters(name, delimiter, first):
    table = read_table(name, (FILES / name).read_bytes())
    assert table.delimiter == delimiter
    assert table.rows[0][0] == first
    assert table.row_numbers[0] == 2
    assert not table.headers[0].startswith("\ufeff")


def test_excel_sheets_title_row_and_trailing_blanks():
    data = xlsx_two_sheets()
    assert tabular.excel_sheets(data, "liste.xlsx") == ["Hinweise", "Partner"]
    with pytest.raises(FileRejected, match="Blatt „Hinweise“: keine Tabelle"):
        read_table("liste.xlsx", data)  # the first sheet is the default
    table = read_table("liste.xlsx", data, sheet="Partner")
    assert table.headers == ["Name", "Träger", "PLZ", "Ort", "Ansprechpartner", "Handy"]
    assert table.rows[0][2] == "96052"  # numbers become the text the user typed
    assert table.row_numbers == [4, 5]  # as Excel numbers the rows
    assert len(table.rows) == 2 and table.sheet == "Partner" and table.sheet_names == ["Hinweise", "Partner"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leer.csv", b"", "leer"),
        ("leer.csv", b"  \n\n", "leer"),
        ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "Binärdaten"),
        ("liste.pdf", b"%PDF-1.4", "nicht unterstützt"),
        ("kaputt.xlsx", b"PK\x03\x04 kaputt", "keine gültige Excel-Datei"),
        ("excel.csv", b"PK\x03\x04\x14\x00", "Excel-Datei"),
        ("eine_spalte.csv", b"Name\nCaritas\n", "keine Tabelle"),
    ],
)
def test_bad_files_are_rejected_naming_the_file(name, data, message):
    with pytest.raises(FileRejected, match=message) as info:
        read_table(name, data)
    assert str(info.value).startswith(name)


def test_size_and_row_limits(monkeypatch):
    with pytest.raises(FileRejected, match="höchstens 10 MB"):
        read_table("gross.csv", b"a;b\n" + b"x;y\n" * (tabular.MAX_BYTES // 4 + 1))
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    with pytest.raises(FileRejected, match="höchstens 3"):
        read_table("lang.csv", b"Name;Ort\n" + b"a;b\n" * 4)


def test_missing_sheet_is_named():
    with pytest.raises(FileRejected, match="„Adressen“ nicht gefunden"):
        read_table("liste.xlsx", xlsx_two_sheets(), sheet="Adressen")


def test_duplicate_and_missing_headers_get_unique_names():
    # found by the property tests: a ragged row wider than its header
    table = read_table("d.csv", b"Name;Name\n;;0")
    assert table.headers == ["Name", "Name (2)", "Spalte 3"] and table.rows == [["", "", "0"]]
