"""Hostile uploads against `integra.tabular`: result, peak memory and time per file.

Run alone: `.venv/bin/python -m benchmarks.hostile_files`. Each file is read in a fresh Python
process, so the peak RSS (`ru_maxrss` of that child) belongs to that one file; the baseline row
is the same process reading nothing. Peak RSS is the child's `VmHWM`: `ru_maxrss` would
carry over the parent's peak across fork + exec. The builders are also used by tests/test_tabular_hostile.py.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
EMPTY_SST = b'<?xml version="1.0"?><sst xmlns="' + MAIN + b'" count="0" uniqueCount="0"/>'
HEADER = "Name;Träger;PLZ;Ort"
PLACES = [("96047", "Bamberg"), ("97070", "Würzburg"), ("90402", "Nürnberg"), ("80331", "München")]


SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": f"""<Types xmlns="{PKG}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEET}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/></Types>""",
    "_rels/.rels": f"""<Relationships xmlns="{PKG}/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>""",
    "xl/workbook.xml": f"""<workbook xmlns="{MAIN.decode()}" xmlns:r="{REL}">
<sheets><sheet name="Partner" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": f"""<Relationships xmlns="{PKG}/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>""",
}


def xlsx(sheet: Iterable[bytes], shared: Iterable[bytes] | None = None, level: int = 6) -> bytes:
    """A minimal XLSX whose sheet and shared-string XML are streamed from `sheet` and `shared` chunks."""
    buffer = io.BytesIO()  # compressed; even the 1 GiB bomb is about 1 MB
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        for name, xml in PARTS.items():
            book.writestr(name, '<?xml version="1.0"?>' + xml)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared or [EMPTY_SST])):
            with book.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


def sheet_xml(rows: Iterable[bytes], dimension: str | None = None) -> Iterable[bytes]:
    """Worksheet XML around `rows` (each a `<row>` element), with an optional `<dimension>`."""
    yield b'<?xml version="1.0"?><worksheet xmlns="' + MAIN + b'">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def row_xml(number: int, *values: str, columns: Sequence[str] = "ABCD") -> bytes:
    """A `<row>` of inline strings in `columns` (letters, e.g. ["A", "XFD"])."""
    cells = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for col, value in zip(columns, values, strict=False)  # fewer values than columns: a short row
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def partner_rows(count: int, first: int = 2) -> Iterable[bytes]:
    for i in range(count):
        plz, place = PLACES[i % len(PLACES)]
        yield row_xml(first + i, f"Partner {i}", "Caritas", plz, place)


def shared_string_bomb(size: int) -> bytes:
    """Header and one data row whose name is a shared string of `size` characters (1 GiB packs into ~1 MB)."""
    chunk = b"A" * 2**20

    def shared() -> Iterable[bytes]:
        yield b'<?xml version="1.0"?><sst xmlns="' + MAIN + b'" count="1" uniqueCount="1"><si><t>'
        for _ in range(size // len(chunk)):
            yield chunk
        yield b"A" * (size % len(chunk)) + b"</t></si></sst>"

    head = row_xml(1, "Name", "Träger", "PLZ", "Ort")
    body = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(sheet_xml([head, body]), shared(), level=9)


def dimension_bomb() -> bytes:
    """49,000 ordinary rows under `<dimension ref="A1:XFD49000">` (openpyxl would pad each to 16,384 cells)."""
    return xlsx(sheet_xml([row_xml(1, "Name", "Träger", "PLZ", "Ort"), *partner_rows(48_999)], "A1:XFD49000"))


def stale_dimension() -> bytes:
    """A header and 100 rows under `<dimension ref="A1:B2">`."""
    return xlsx(sheet_xml([row_xml(1, "Name", "Träger", "PLZ", "Ort"), *partner_rows(100)], "A1:B2"))


def many_shared_strings() -> bytes:
    """The worst the limits let through: 50,000 rows over 1.8 million shared strings (93 MB XML in 4.5 MB)."""

    def shared() -> Iterable[bytes]:
        yield b'<?xml version="1.0"?><sst xmlns="' + MAIN + b'">'
        for start in range(0, 1_800_000, 10_000):
            names = (b"<si><t>Caritas Bamberg-Forchheim e.V. %07d</t></si>" % i for i in range(start, start + 10_000))
            yield b"".join(names)
        yield b"</sst>"

    rows = (
        f'<row r="{n}"><c r="A{n}" t="s"><v>{n}</v></c><c r="B{n}" t="s"><v>{n + 1}</v></c></row>'.encode()
        for n in range(2, 50_002)
    )
    return xlsx(sheet_xml([row_xml(1, "Name", "Ort"), *rows]), shared(), level=9)


def csv_lines(count: int) -> list[str]:
    return [HEADER] + [
        f"Partner {i};Caritas;{plz};{place}" for i, (plz, place) in ((i, PLACES[i % len(PLACES)]) for i in range(count))
    ]


def unbalanced_quote() -> bytes:
    """101 lines; line 6 opens a quote that is never closed."""
    lines = csv_lines(100)
    lines[5] = '"' + lines[5]
    return "\r\n".join(lines).encode("utf-8")


def mixed_encoding() -> bytes:
    """UTF-8 lines with CP1252 lines pasted in from 6 on."""
    lines = csv_lines(20)
    return b"\r\n".join(line.encode("utf-8" if n < 6 else "cp1252") for n, line in enumerate(lines, 1))


def gzip_as_csv() -> bytes:
    return gzip.compress("\r\n".join(csv_lines(100)).encode("utf-8"))


def utf16_csv() -> bytes:
    return "\r\n".join(csv_lines(100)).encode("utf-16")  # with BOM, as Excel's "Unicode-Text"


def lying_member(
    size: int, method: int = zipfile.ZIP_DEFLATED, declared: int = 400, member: str = "xl/workbook.xml"
) -> bytes:
    """An XLSX whose `member` inflates to `size` bytes but declares `declared` in the zip directory.

    zipfile cuts a member to its declared size only after inflating what one read call asks for
    (openpyxl reads most parts in one call: up to 2 GB), and bzip2 members without any limit.
    """
    compressor = bz2.BZ2Compressor(9) if method == zipfile.ZIP_BZIP2 else zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (16 * 2**20)
    payload = b"".join(compressor.compress(chunk) for _ in range(max(size // len(chunk), 1))) + compressor.flush()
    source = zipfile.ZipFile(io.BytesIO(xlsx(partner_rows(3))))
    out, central = io.BytesIO(), []
    for info in source.infolist():
        name = info.filename.encode()
        if info.filename == member:
            data, kind, length, crc = payload, method, declared, 0
        else:
            raw = source.read(info.filename)
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            data, kind, length, crc = (
                packer.compress(raw) + packer.flush(),
                zipfile.ZIP_DEFLATED,
                len(raw),
                zlib.crc32(raw),
            )
        version, offset = (46 if kind == zipfile.ZIP_BZIP2 else 20), out.tell()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, version, 0, kind, 0, 0x21, crc, len(data), length, len(name), 0)
            + name
            + data
        )
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                version,
                version,
                0,
                kind,
                0,
                0x21,
                crc,
                len(data),
                length,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start, directory = out.tell(), b"".join(central)
    out.write(
        directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0)
    )
    return out.getvalue()


FILES: dict[str, Callable[[], bytes]] = {
    "lying_deflate_1500m.xlsx": lambda: lying_member(1500 * 2**20),
    "bzip2_member.xlsx": lambda: lying_member(16 * 2**20, zipfile.ZIP_BZIP2),
    "zipbomb_sst_1gib.xlsx": lambda: shared_string_bomb(2**30),
    "dimension_bomb_xfd.xlsx": dimension_bomb,
    "zipbomb_sst_128m.xlsx": lambda: shared_string_bomb(128 * 2**20),
    "dimension_stale.xlsx": stale_dimension,
    "worst_allowed_sst.xlsx": many_shared_strings,
    "unbalanced_quote.csv": unbalanced_quote,
    "mixed_encoding.csv": mixed_encoding,
    "gzip.csv": gzip_as_csv,
    "utf16.csv": utf16_csv,
}

CHILD = """
import json, re, resource, sys, time
from pathlib import Path
if sys.argv[2] != "0":
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from integra.tabular import FileRejected, read_table
path = Path(sys.argv[1])
data = path.read_bytes() if path.is_file() else None
start = time.perf_counter()
try:
    result = "gelesen: %d Zeilen" % len(read_table(path.name, data).rows) if data else "(nur Python + Import)"
except FileRejected as exc:
    result = "abgelehnt: " + str(exc)
peak = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text())[1]
print(json.dumps({"result": result, "seconds": time.perf_counter() - start, "peak_mb": int(peak) / 1024}))
"""


def read_in_child(path: Path, limit_bytes: int = 0) -> dict[str, object]:
    """Read `path` with read_table in a fresh interpreter (under RLIMIT_AS unless 0); its JSON report."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(limit_bytes)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        timeout=600,
    )
    if done.returncode:
        last = done.stderr.strip().splitlines()[-1:]
        return {"result": f"Absturz ({done.returncode}): {last}", "seconds": 0.0, "peak_mb": 0.0}
    return json.loads(done.stdout)


def main() -> None:
    from benchmarks.common import seconds, table

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in [("(keine Datei)", None), *FILES.items()]:
            path = Path(tmp) / name
            if build:
                path.write_bytes(build())
            report = read_in_child(path)
            size = f"{path.stat().st_size / 1024:,.0f} KB".replace(",", ".") if build else "–"
            rows.append(
                [
                    name,
                    size,
                    str(report["result"]).replace("|", "\\|"),
                    f"{report['peak_mb']:.0f} MB",
                    seconds(float(report["seconds"])),
                ]
            )
    table("Feindliche Dateien (je ein frischer Prozess)", ["Datei", "Größe", "Ergebnis", "Spitze RSS", "Zeit"], rows)


if __name__ == "__main__":
    main()
