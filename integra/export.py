"""Partner exports for spreadsheets and GIS: CSV (German Excel), XLSX and GeoJSON.

A cell that starts with `=`, `+`, `-` or `@` would run as a formula when the file is opened in
Excel or LibreOffice (CSV injection), so every text cell gets a leading apostrophe there. In CSV
every text field is quoted as well: a bare carriage return inside an unquoted cell would otherwise
start a new row whose first cell is a formula (security review H4).
"""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from integra import geodata
from integra.formatting import confidence_de, is_blank, local_stamp, note_de
from integra.labels import labelled

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FIELDS = (
    "name",
    "type",
    "kind_detail",
    "street",
    "plz",
    "city",
    "gemeinde",
    "gemeinde_ags",
    "kreis",
    "kreis_ags",
    "regbez",
    "lat",
    "lon",
    "precision",
    "website",
    "email",
    "phone",
    "contact",
    "source_url",
    "source_year",
    "confidence",
    "updated_at",
)


def neutralise(value: object) -> object:
    """Text that a spreadsheet would read as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _table(partners: pd.DataFrame) -> pd.DataFrame:
    frame = labelled(partners, FIELDS)
    frame["Stand"] = frame["Stand"].map(lambda moment: "" if is_blank(moment) else local_stamp(moment))
    frame["Verlässlichkeit"] = frame["Verlässlichkeit"].map(confidence_de)  # "hoch", not "high"
    frame["Quelle"] = frame["Quelle"].map(note_de)  # a researcher's English note, in German
    return frame


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Any table as UTF-8 with BOM, `;` and decimal commas, so German Excel opens it with umlauts and
    numbers intact; formulas inert."""
    return (
        frame.map(neutralise)
        .to_csv(sep=";", decimal=",", index=False, quoting=csv.QUOTE_NONNUMERIC)
        .encode("utf-8-sig")
    )


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F6F8B")


def frame_xlsx(frame: pd.DataFrame, sheet: str = "Daten") -> bytes:
    """Any table as a sheet ready to read: bold coloured header, fitting widths, filter and frozen header row."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.map(neutralise).to_excel(writer, index=False, sheet_name=sheet[:31])
        worksheet = writer.sheets[sheet[:31]]
        for cell in worksheet[1]:
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        for index, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(500) if not is_blank(v))])
            worksheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, 60)
        worksheet.auto_filter.ref = worksheet.dimensions
        worksheet.freeze_panes = "A2"
    return buffer.getvalue()


def to_csv(partners: pd.DataFrame) -> bytes:
    return frame_csv(_table(partners))


def to_xlsx(partners: pd.DataFrame) -> bytes:
    return frame_xlsx(_table(partners), "Partner")


def to_geojson(partners: pd.DataFrame) -> bytes:
    """Points with all partner properties (GIS tools read text as text, so nothing is changed)."""
    props = partners.reindex(columns=[c for c in FIELDS if c not in ("lat", "lon")]).astype(object)
    props = props.where(props.notna(), None)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": {k: (str(v) if k == "updated_at" and v is not None else v) for k, v in rec.items()},
        }
        for lat, lon, rec in zip(partners["lat"], partners["lon"], props.to_dict("records"), strict=True)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


FORMATS = {"csv": to_csv, "xlsx": to_xlsx, "geojson": to_geojson}


TEMPLATE = pd.DataFrame(
    [
        [
            "Helferkreis Asyl Musterdorf (Beispielzeile, bitte ersetzen)",
            "Helferkreis",
            "Hauptstraße 1",
            "96047",
            "Bamberg",
            "https://www.example.org",
            "info@example.org",
            "0951 000000",
            "https://www.example.org/impressum",
            "2026",
            "",
            "",
        ]
    ],
    columns=[
        "Name",
        "Träger",
        "Straße",
        "PLZ",
        "Ort",
        "Webseite",
        "E-Mail",
        "Telefon",
        "Quelle",
        "Stand der Quelle",
        "Breite",
        "Länge",
    ],
)


def template_csv() -> bytes:
    """The upload template: expected columns and one example row, for German Excel."""
    return frame_csv(TEMPLATE)


def template_xlsx() -> bytes:
    return frame_xlsx(TEMPLATE, "Partner")


def areas_geojson(kreise: pd.DataFrame) -> bytes:
    """Kreis polygons with their concept facts (status, title, year, source, KIZ) as GeoJSON."""
    columns = [
        "ags",
        "name",
        "regbez",
        "status",
        "title",
        "year",
        "source_url",
        "confidence",
        "kiz_status",
        "foerderfaehig",
        "partner",
        "population",
    ]
    shapes = geodata.kreise()[["ags", "geometry"]].merge(kreise.reindex(columns=columns), on="ags")
    shapes["year"] = shapes["year"].astype("Int64").astype(object)
    return shapes.to_json(na="null", drop_id=True).encode("utf-8")
