"""Read the tables people really export: CSV in any common encoding and delimiter, or Excel.

The result is plain text cells with the row numbers the user sees in their spreadsheet, so
every later message can point at "Zeile 7, Spalte PLZ". Anything that is not a readable table
raises `FileRejected` with a German message naming the file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl

MAX_BYTES = 10 * 1024 * 1024  # also `server.maxUploadSize` in .streamlit/config.toml
MAX_ROWS = 50_000
ENCODINGS = ("utf-8-sig", "cp1252")  # utf-8-sig also reads plain UTF-8; cp1252 covers Latin-1 text
DELIMITERS = ";,\t"


class FileRejected(ValueError):
    """The file as a whole cannot be imported; the message is German and names the file."""


@dataclass
class Table:
    """Header and text cells of one sheet; `row_numbers[i]` is data row i's line/row in the file."""

    file_name: str
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    sheet_names: list[str] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores PLZ 80331 as 80331.0
    return str(value).strip()


def _unique(headers: list[str]) -> list[str]:
    """Column names as shown, made unique ("Name", "Name (2)") so each maps to exactly one column."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


def _trim(raw_rows: list[tuple[int, list[str]]], file_name: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Find the header (first row with two or more filled cells), drop empty rows and trailing columns."""
    rows = [(n, [_clean(c) for c in cells]) for n, cells in raw_rows]
    rows = [(n, cells) for n, cells in rows if any(cells)]
    header_at = next((i for i, (_, cells) in enumerate(rows) if sum(1 for c in cells if c) >= 2), None)
    if header_at is None:
        raise FileRejected(
            f"{file_name}: keine Tabelle gefunden – es fehlt eine Kopfzeile mit mindestens zwei Spalten."
        )
    body = rows[header_at + 1 :]
    filled = [max((i + 1 for i, cell in enumerate(cells) if cell), default=0) for _, cells in body]
    width = max([len(rows[header_at][1]), *filled])
    headers = (rows[header_at][1] + [""] * width)[:width]
    while width > 0 and not headers[width - 1] and all(len(c) < width or not c[width - 1] for _, c in body):
        width -= 1
    headers = _unique([h or f"Spalte {i + 1}" for i, h in enumerate(headers[:width])])
    if len(body) > MAX_ROWS:
        raise FileRejected(
            f"{file_name}: {len(body):,} Datenzeilen – erlaubt sind höchstens {MAX_ROWS:,}.".replace(",", ".")
        )
    data = [(cells + [""] * width)[:width] for _, cells in body]
    return headers, data, [n for n, _ in body]


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        raise FileRejected(f"{file_name}: keine Textdatei (Binärdaten) – bitte als CSV oder XLSX speichern.")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRejected(f"{file_name}: Zeichenkodierung nicht erkannt – bitte als UTF-8 speichern.")  # pragma: no cover


def _read_csv(data: bytes, file_name: str) -> Table:
    text, encoding = _decode(data, file_name)
    sample = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # Sniffer gives up on one-column or ragged files: take the most frequent candidate.
        delimiter = max(DELIMITERS, key=sample.count)
    raw: list[tuple[int, list[str]]] = []
    raw_end = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cells in reader:  # a record starts on the line after the previous one ended
            raw.append((raw_end + 1, cells))
            raw_end = reader.line_num
    except csv.Error as exc:
        raise FileRejected(f"{file_name}: CSV nicht lesbar ({exc}).") from exc
    headers, rows, numbers = _trim(raw, file_name)
    return Table(file_name, headers, rows, numbers, encoding=encoding, delimiter=delimiter)


def excel_sheets(data: bytes, file_name: str) -> list[str]:
    return list(_workbook(data, file_name).sheetnames)


def _workbook(data: bytes, file_name: str) -> openpyxl.Workbook:
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(f"{file_name}: keine gültige Excel-Datei (.xlsx).") from exc


def _read_xlsx(data: bytes, file_name: str, sheet: str | None) -> Table:
    book = _workbook(data, file_name)
    names = list(book.sheetnames)
    if sheet is not None and sheet not in names:
        raise FileRejected(f"{file_name}: Tabellenblatt „{sheet}“ nicht gefunden (vorhanden: {', '.join(names)}).")
    chosen = sheet or names[0]
    raw = []
    for number, values in enumerate(book[chosen].iter_rows(values_only=True), start=1):
        raw.append((number, list(values)))
        if len(raw) > MAX_ROWS + 50:
            raise FileRejected(f"{file_name}: mehr als {MAX_ROWS:,} Zeilen.".replace(",", "."))
    book.close()
    headers, rows, numbers = _trim(raw, f"{file_name}, Blatt „{chosen}“")
    return Table(file_name, headers, rows, numbers, sheet_names=names, sheet=chosen)


def read_table(file_name: str, data: bytes, sheet: str | None = None) -> Table:
    """The table in an uploaded file; raises FileRejected for anything that is not one."""
    if len(data) > MAX_BYTES:
        raise FileRejected(f"{file_name}: {len(data) / 1e6:.1f} MB – erlaubt sind höchstens {MAX_BYTES // 2**20} MB.")
    if not data.strip():
        raise FileRejected(f"{file_name}: die Datei ist leer.")
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix == "xlsx":
        return _read_xlsx(data, file_name, sheet)
    if suffix in ("csv", "txt"):
        if data[:2] == b"PK":
            raise FileRejected(f"{file_name}: das ist eine Excel-Datei – bitte mit der Endung .xlsx hochladen.")
        return _read_csv(data, file_name)
    raise FileRejected(f"{file_name}: Dateityp „.{suffix}“ wird nicht unterstützt – bitte CSV oder XLSX.")
