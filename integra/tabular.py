"""Read the tables people really export: CSV in any common encoding and delimiter, or Excel.

The result is plain text cells with the row numbers the user sees in their spreadsheet, so
every later message can point at "Zeile 7, Spalte C". Anything that is not a readable table
raises `FileRejected` with a German message naming the file.

Uploads are treated as hostile (security review 2026-11, H3/M4/L2/L6/L7): a 1 MB XLSX can
declare gigabytes, a sheet can lie about its size, a stray quote can swallow the rest of a CSV,
and a guessed encoding stores mojibake. So the limits are checked before the data is held in
memory, and where the reader would have to guess, it refuses and names the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter

MAX_BYTES = 10 * 1024 * 1024  # also `server.maxUploadSize` in .streamlit/config.toml
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL = 5_000  # characters; names, addresses and notes are far shorter
MAX_UNPACKED = 100 * 1024 * 1024  # all members of an XLSX together, as its zip directory declares them
MAX_RATIO = 200  # real sheets compress about 5-30 fold, deflate bombs about 1000 fold
RATIO_FROM = 1024 * 1024  # smaller members may compress well without doing harm
MAX_RECORD_LINES = 20  # a quoted CSV cell over more lines than this is a quote left open
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


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _megabytes(n: int) -> str:
    """Size as Windows shows it (MB of 2**20 bytes), German comma, rounded up so a refused size exceeds the limit."""
    return f"{math.ceil(n / 2**20 * 10) / 10:.1f} MB".replace(".", ",")


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores PLZ 80331 as 80331.0
    return str(value).strip()


def _cells(where: str, number: int, values: Sequence[object]) -> list[str]:
    """Row `number` as text without trailing empty cells; refused if too wide or a cell is too long.

    openpyxl pads a row up to its last cell (up to column XFD = 16,384), so the tail is tested with
    the C-level `count` before any cell beyond MAX_COLUMNS is converted.
    """
    tail = values[MAX_COLUMNS:]
    if tail.count(None) < len(tail) and any(_clean(v) for v in tail):
        last = max(i for i, v in enumerate(values) if _clean(v)) + 1
        raise FileRejected(
            f"{where}: Zeile {number} hat Werte bis Spalte {get_column_letter(last)} ({_number(last)} Spalten) – "
            f"erlaubt sind höchstens {MAX_COLUMNS} Spalten."
        )
    cells = [_clean(v) for v in values[:MAX_COLUMNS]]
    for column, cell in enumerate(cells, start=1):
        if len(cell) > MAX_CELL:
            raise FileRejected(
                f"{where}: Zeile {number}, Spalte {get_column_letter(column)} hat {_number(len(cell))} Zeichen – "
                f"erlaubt sind höchstens {_number(MAX_CELL)} je Zelle."
            )
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _unique(headers: list[str]) -> list[str]:
    """Column names as shown, made unique ("Name", "Name (2)") so each maps to exactly one column."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


def _trim(raw_rows: list[tuple[int, list[str]]], where: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Find the header (first row with two or more filled cells), drop empty rows and trailing columns."""
    rows = [(n, cells) for n, cells in raw_rows if any(cells)]
    header_at = next((i for i, (_, cells) in enumerate(rows) if sum(1 for c in cells if c) >= 2), None)
    if header_at is None:
        raise FileRejected(f"{where}: keine Tabelle gefunden – es fehlt eine Kopfzeile mit mindestens zwei Spalten.")
    body = rows[header_at + 1 :]
    if not body:
        line = rows[header_at][0]
        raise FileRejected(f"{where}: keine Datenzeilen – unter der Kopfzeile (Zeile {line}) steht nichts.")
    width = max(len(cells) for _, cells in rows[header_at:])
    headers = (rows[header_at][1] + [""] * width)[:width]
    headers = _unique([h or f"Spalte {i + 1}" for i, h in enumerate(headers)])
    if len(body) > MAX_ROWS:
        raise FileRejected(f"{where}: {_number(len(body))} Datenzeilen – erlaubt sind höchstens {_number(MAX_ROWS)}.")
    data = [cells + [""] * (width - len(cells)) for _, cells in body]
    return headers, data, [n for n, _ in body]


@contextmanager
def _unreadable(message: str) -> Iterator[None]:
    """Turn any parser failure (ParseError, DTD/entity refusal, bad zip, ...) into FileRejected(message).

    Our own, more specific FileRejected messages pass unchanged.
    """
    try:
        yield
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected(message) from exc


def _line_at(text: str, pos: int) -> int:
    """1-based line of position `pos`, counting line ends as the csv module does (\\r\\n, \\r, \\n)."""
    head = text[:pos]
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def _utf16(head: bytes) -> str | None:
    """The UTF-16 codec for a file with a UTF-16 BOM, or whose ASCII text shows as every other byte NUL."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    even, odd = head[0::2], head[1::2]
    if odd.count(0) * 2 > len(odd) and not even.count(0):
        return "utf-16-le"
    if even.count(0) * 2 > len(even) and not odd.count(0):
        return "utf-16-be"
    return None


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    """Text and encoding: UTF-16 (BOM or NUL pattern), UTF-8 with or without BOM, or CP1252 - never a mix.

    A file with UTF-8 lines and CP1252 lines (rows pasted from two sources) would turn into
    mojibake ("WÃ¼rzburg") under either encoding, so it is refused with a line of each kind.
    """
    encoding = _utf16(data[:4096])
    try:
        text = data.decode(encoding or "latin-1")  # latin-1: one char per byte, for the NUL line below
    except UnicodeDecodeError as exc:
        raise FileRejected(f"{file_name}: UTF-16-Text nicht lesbar – bitte als UTF-8 speichern.") from exc
    if (nul := text.find("\x00")) >= 0:  # PostgreSQL cannot store NUL in text
        raise FileRejected(
            f"{file_name}: Zeile {_line_at(text, nul)} enthält ein Nullzeichen (NUL) – keine reine Textdatei "
            "(Binärdaten); bitte als CSV (UTF-8) oder XLSX speichern."
        )
    if encoding:
        return text, encoding
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass  # not UTF-8 as a whole: CP1252, or a mix
    lines = data.splitlines()  # bytes split on \r\n, \r, \n only: the csv module's line numbers
    utf8 = next((n for n, line in enumerate(lines, 1) if not line.isascii() and _is_utf8(line)), None)
    if utf8 is not None:
        cp1252 = next(n for n, line in enumerate(lines, 1) if not _is_utf8(line))
        raise FileRejected(
            f"{file_name}: gemischte Zeichenkodierung – Zeile {utf8} ist UTF-8, "
            f"Zeile {cp1252} ist Windows-1252 (ANSI); bitte die ganze Datei einheitlich als UTF-8 speichern."
        )
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"{file_name}: Zeichenkodierung in Zeile {_line_at(text, exc.start)} nicht erkannt – "
            "bitte als UTF-8 speichern."
        ) from exc


def _csv_problem(exc: csv.Error, delimiter: str) -> str:
    """German text for the csv module's (strict mode) errors."""
    message = str(exc)
    if message.startswith("field larger than field limit"):
        return f'eine Zelle ist länger als {_number(MAX_CELL)} Zeichen – fehlt ein schließendes Anführungszeichen (")?'
    if message.startswith("unexpected end of data"):
        return 'ein Anführungszeichen (") wird bis zum Dateiende nicht geschlossen.'
    if "expected after" in message:
        return (
            f'nach einem schließenden Anführungszeichen (") folgt kein Trennzeichen „{delimiter}“ – '
            'Anführungszeichen in einer Zelle bitte verdoppeln ("").'
        )
    return "CSV nicht lesbar."


def _read_csv(data: bytes, file_name: str) -> Table:
    text, encoding = _decode(data, file_name)
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # Sniffer gives up on one-column or ragged files: take the most frequent candidate.
        delimiter = max(DELIMITERS, key=sample.count)
    raw: list[tuple[int, list[str]]] = []
    start = 1  # a record starts on the line after the previous one ended
    # strict: an unclosed quote is an error instead of one cell holding the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            if reader.line_num - start >= MAX_RECORD_LINES:
                raise FileRejected(
                    f"{file_name}: Zeile {start}: ein Feld in Anführungszeichen reicht bis Zeile {reader.line_num} – "
                    'vermutlich fehlt ein schließendes Anführungszeichen (").'
                )
            raw.append((start, _cells(file_name, start, cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileRejected(f"{file_name}: Zeile {start}: {_csv_problem(exc, delimiter)}") from exc
    headers, rows, numbers = _trim(raw, file_name)
    return Table(file_name, headers, rows, numbers, encoding=encoding, delimiter=delimiter)


_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Excel and LibreOffice write
_CHUNK = 64 * 1024


def _check_zip(archive: zipfile.ZipFile, file_name: str) -> None:
    """Refuse a compression bomb from the zip directory alone, before anything is inflated."""
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise FileRejected(
            f"{file_name}: entpackt {_megabytes(total)} – erlaubt sind höchstens {MAX_UNPACKED // 2**20} MB "
            "(die Excel-Datei ist ungewöhnlich stark komprimiert)."
        )
    for m in members:
        if m.compress_type not in _ZIP_METHODS:
            raise FileRejected(
                f"{file_name}: „{m.filename}“ ist ungewöhnlich komprimiert – bitte in Excel oder "
                "LibreOffice neu als .xlsx speichern."
            )
        if m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * m.compress_size:
            raise FileRejected(
                f"{file_name}: „{m.filename}“ ist {m.file_size // max(m.compress_size, 1):,}-fach komprimiert – "
                "so stark komprimiert keine echte Tabelle.".replace(",", ".")
            )


def _repacked(data: bytes, file_name: str) -> bytes:
    """The workbook inflated in bounded chunks and packed again: what openpyxl gets can never be a bomb.

    The declared sizes alone are no bound: zipfile inflates a member that is read in one call
    (as openpyxl reads most parts) up to 2 GB before it cuts to the declared size, and bzip2 or
    LZMA members without any limit. Read here in 64 KB steps, a member yields at most its declared
    size (more fails the CRC check), and the copy holds exactly those bytes.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as archive,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy,
    ):
        _check_zip(archive, file_name)
        for member in archive.infolist():
            with archive.open(member) as source, copy.open(member.filename, "w", force_zip64=True) as target:
                while chunk := source.read(_CHUNK):
                    target.write(chunk)
    return out.getvalue()


def _workbook(data: bytes, file_name: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(_repacked(data, file_name)), read_only=True, data_only=True)


def _broken_xlsx(file_name: str) -> str:
    return f"{file_name}: keine gültige Excel-Datei (.xlsx) – der Inhalt ist beschädigt oder nicht lesbar."


def excel_sheets(data: bytes, file_name: str) -> list[str]:
    """The sheet names of an XLSX; raises FileRejected like `read_table`."""
    with _unreadable(_broken_xlsx(file_name)):
        book = _workbook(data, file_name)
        try:
            return list(book.sheetnames)
        finally:
            book.close()


def _read_xlsx(data: bytes, file_name: str, sheet: str | None) -> Table:
    with _unreadable(_broken_xlsx(file_name)):
        book = _workbook(data, file_name)
        try:
            names = list(book.sheetnames)
            if sheet is not None and sheet not in names:
                raise FileRejected(
                    f"{file_name}: Tabellenblatt „{sheet}“ nicht gefunden (vorhanden: {', '.join(names)})."
                )
            chosen = sheet or names[0]
            where = f"{file_name}, Blatt „{chosen}“"
            worksheet = book[chosen]
            # <dimension> is whatever the exporting program wrote: "A1:B2" over 100 rows would
            # drop 98 of them, "A1:XFD49000" pads every row to 16,384 cells. Read the rows as they are.
            worksheet.reset_dimensions()
            raw = []
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 50:
                    raise FileRejected(f"{where}: mehr als {_number(MAX_ROWS)} Zeilen.")
                raw.append((number, _cells(where, number, values)))
        finally:
            book.close()
    headers, rows, numbers = _trim(raw, where)
    return Table(file_name, headers, rows, numbers, sheet_names=names, sheet=chosen)


def read_table(file_name: str, data: bytes, sheet: str | None = None) -> Table:
    """The table in an uploaded file; raises FileRejected (and nothing else) for anything that is not one."""
    if len(data) > MAX_BYTES:
        raise FileRejected(f"{file_name}: {_megabytes(len(data))} – erlaubt sind höchstens {MAX_BYTES // 2**20} MB.")
    if not data.strip():
        raise FileRejected(f"{file_name}: die Datei ist leer.")
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix == "xlsx":
        return _read_xlsx(data, file_name, sheet)
    if suffix in ("csv", "txt"):
        if data[:2] == b"PK":
            raise FileRejected(f"{file_name}: das ist eine Excel-Datei – bitte mit der Endung .xlsx hochladen.")
        with _unreadable(f"{file_name}: CSV-Datei nicht lesbar."):
            return _read_csv(data, file_name)
    raise FileRejected(f"{file_name}: Dateityp „.{suffix}“ wird nicht unterstützt – bitte CSV oder XLSX.")
