"""Kreis-Steckbrief: one printable A4 page per Kreis as PDF, made offline.

The map is drawn with geopandas/matplotlib from the boundary files (no tiles), the PDF with
fpdf2 and the DejaVu font that ships with matplotlib (umlauts and „“ without system fonts).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import cast

import matplotlib
import pandas as pd
from fpdf import FPDF
from sqlalchemy import Engine

from integra import gaps, geodata, queries, staticmap
from integra.formatting import clip, confidence_de, is_blank, slug, web_links, year_text
from integra.labels import kiz_label
from integra.vocab import CONCEPT_COLOURS, CONCEPT_STRIPES, concept_phrase, structure_line

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
MAX_PARTNERS = 14
LINE_MM = 4.4
BODY_END_MM = 297 - 31  # the footer with data age and attribution starts below this
MAX_FIELD_CHARS = 400  # one stored text (a title, a note) never takes more than a few lines


def kreis_map_png(kreis_ags: str, kreise: pd.DataFrame, partners: pd.DataFrame) -> bytes:
    """The Kreis and its neighbours coloured by concept status, with the partners as letters."""
    shapes = staticmap.kreise_with_status(kreise)
    target = shapes[shapes["ags"] == kreis_ags].geometry.iloc[0]
    area = shapes[shapes.touches(target) | (shapes["ags"] == kreis_ags)]
    # The page has one legend, beside the map (the picture's own covered the map: two legends).
    return staticmap.render(area, partners, highlight=kreis_ags, size=(6.2, 4.6), legend=False)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def file_name(kreis_name: str) -> str:
    """'Landkreis Erding' -> 'steckbrief_landkreis_erding.pdf': a name that says what the file is."""
    return f"steckbrief_{slug(kreis_name)}.pdf"


class _Sheet(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(False)
        self.set_margins(15, 12, 15)

    end: float = BODY_END_MM  # sections stop here, so long texts never run into the footer or off the page

    def heading(self, text: str, size: int = 11) -> None:
        if self.get_y() + 6 + LINE_MM > self.end:
            self.end = self.get_y()  # no room for this section: nothing of it, and nothing after it
            return
        self.set_font("DejaVu", "B", size)
        self.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    def text(self, text: str, size: float = 9) -> None:  # type: ignore[override]
        """Wrapped text, cut with a note when the space above the footer runs out."""
        self.set_font("DejaVu", "", size)
        room = int((self.end - self.get_y()) // LINE_MM)
        lines = cast(list[str], self.multi_cell(0, LINE_MM, text, dry_run=True, output="LINES"))
        if len(lines) > room:
            lines = [*lines[: max(room - 1, 0)], "… (gekürzt – vollständig in der Integrationslandkarte)"][:room]
        if lines:
            self.multi_cell(0, LINE_MM, "\n".join(lines), new_x="LMARGIN", new_y="NEXT", align="L")

    def source_links(self, urls: list[str], size: float = 8.5) -> None:
        """One clickable line per web address (`formatting.web_links`: http(s) only), as room allows."""
        self.set_font("DejaVu", "", size)
        self.set_text_color(0x1F, 0x4E, 0x8C)
        for url in urls[:4]:
            if self.get_y() + LINE_MM > self.end:
                break
            self.cell(0, LINE_MM, clip(url, 110), link=url, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def legend(self, x: float, y: float) -> None:
        """Colour key of the map, drawn as filled squares (a text ■ would print black)."""
        self.set_font("DejaVu", "", 7.5)
        for i, (status, colour) in enumerate(CONCEPT_COLOURS.items()):
            top = y + i * 4.5
            self.set_fill_color(*_rgb(colour))
            self.rect(x, top, 3.2, 3.2, style="F")
            if status in CONCEPT_STRIPES:  # striped as on the map
                self.set_draw_color(*_rgb(CONCEPT_STRIPES[status]))
                self.set_line_width(0.35)
                for offset in (1.1, 2.2, 3.2):
                    self.line(x, top + offset, x + offset, top)
                    self.line(x + 3.2 - offset, top + 3.2, x + 3.2, top + 3.2 - offset)
            self.text_at(x + 5, top + 2.7, concept_phrase(status))
        self.text_at(x, y + 4 * 4.5 + 2.7, "Punkte: Partner, Buchstabe = Typ")

    def text_at(self, x: float, y: float, text: str) -> None:
        FPDF.text(self, x, y, text)


def factsheet_pdf(engine: Engine, kreis_ags: str) -> bytes:
    """The Steckbrief of one Kreis or kreisfreie Stadt as PDF bytes."""
    kreise = queries.kreise(engine)
    if kreis_ags not in set(kreise["ags"]):
        raise KeyError(f"Kein Kreis mit AGS {kreis_ags}")
    kreis = kreise.set_index("ags").loc[kreis_ags]
    partners = queries.partners(engine)
    partners = partners[partners["kreis_ags"] == kreis_ags]
    structures = queries.structures(engine)
    structures = structures[structures["kreis_ags"] == kreis_ags]
    age = queries.data_age(engine)

    pdf = _Sheet()
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 17)
    pdf.cell(0, 9, kreis["name"], new_x="LMARGIN", new_y="NEXT")
    pdf.text(
        f"Regierungsbezirk {kreis['regbez']} · {int(kreis['population']):,} Einwohner (Stand "
        f"{pd.Timestamp(kreis['population_date']):%d.%m.%Y}) · AGS {kreis_ags}".replace(",", ".")
    )
    top = pdf.get_y() + 2
    shown_map = pdf.image(
        io.BytesIO(kreis_map_png(kreis_ags, kreise, partners)), x=15, y=top, w=120, h=88, keep_aspect_ratio=True
    )
    pdf.legend(140, top + 4)
    pdf.set_y(top + shown_map.rendered_height + 3)

    pdf.heading("Kommunales Integrationskonzept")
    lines = [f"Status: {concept_phrase(kreis['status'])}"]
    if not is_blank(kreis["title"]):
        lines.append(f"{clip(kreis['title'], MAX_FIELD_CHARS)} ({year_text(kreis['year']) or 'Jahr unbekannt'})")
    if not is_blank(kreis["evidence"]):
        lines.append(f"Beleg: {clip(kreis['evidence'], MAX_FIELD_CHARS)}")
    links = web_links(kreis["source_url"])
    lines.append(
        "Quelle: "
        + ("siehe Links" if links else "keine – in den durchsuchten Quellen nichts gefunden")
        + (f" (Verlässlichkeit: {confidence_de(kreis['confidence'])})" if not is_blank(kreis["confidence"]) else "")
    )
    pdf.text("\n".join(lines))
    pdf.source_links(links)
    pdf.heading("Kommunales Integrationszentrum (KIZ)")
    kiz = kiz_label(kreis["kiz_status"], kreis["foerderfaehig"])
    if kiz and not is_blank(kreis["kiz_status"]):
        pdf.text(f"{kiz}: {clip(kreis['kiz_name'], MAX_FIELD_CHARS)}")
    else:
        pdf.text(
            f"{kiz}: Konzept vorhanden, noch kein KIZ."
            if kiz
            else "Kein KIZ-Eintrag. Voraussetzung nach Antrag A3: ein beschlossenes Integrationskonzept."
        )
    pdf.heading(f"Partner mit Sitz im Kreis ({len(partners)})")
    shown = [
        clip(f"{p.name} – {p.type}, {p.city or p.gemeinde}", 160) for p in partners.head(MAX_PARTNERS).itertuples()
    ]
    if len(partners) > MAX_PARTNERS:
        shown.append(f"… und {len(partners) - MAX_PARTNERS} weitere")
    pdf.text("\n".join(shown) or "Keine bekannt.")
    if len(structures):
        pdf.heading("Weitere Strukturen (nicht vollständig)")
        pdf.text("\n".join(clip(structure_line(s.type, s.detail), 200) for s in structures.itertuples()))
    if kreis["status"] != "vorhanden":
        pdf.heading("Vorbilder in der Nähe")
        near = gaps.nearby_models(engine).query("ags == @kreis_ags")
        pdf.text(
            "\n".join(
                clip(f"{r['Vorbild']} ({r['Entfernung (km)']} km): {r['Konzept']}", 200) for _, r in near.iterrows()
            )
        )
    pdf.set_y(-30)
    pdf.end = 297
    checked = f"{age.concepts_checked_to:%d.%m.%Y}" if age.concepts_checked_to else "unbekannt"
    pdf.text(
        f"Integrationslandkarte Bayern · Datenstand: Recherche geprüft am {checked}. "
        f"„unbekannt“ heißt: nichts gefunden, nicht „kein Konzept“.\n{geodata.ATTRIBUTION}",
        size=6.5,
    )
    return bytes(pdf.output())
