"""Antragsentwurf: a draft motion for one Kreis, kreisfreie Stadt or Gemeinde, filled with its own facts.

The motion follows from the data (no concept known → have one made; one in the making → finish it; a
concept and no KIZ → build a Kommunales Integrationszentrum), the body from the area's kind. Every
sentence of the Begründung states only stored facts and carries the numbers of its sources; what the app
cannot know (Fraktion, dates, signatures) stays a placeholder in square brackets for the councillor.
The same `Motion` is written as Word (`to_docx`, editable) and as Markdown (`to_markdown`, to copy).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pandas as pd
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from sqlalchemy import Engine

from integra import gaps, queries
from integra.config import PROJECT_DIR
from integra.formatting import NOT_XML, first_link, http_url, is_blank, short_name, year_text
from integra.problems import Refused
from integra.vocab import COUNCILS, PARTNER_TYPES, structure_line

BACKGROUND = PROJECT_DIR / "data" / "sources" / "hintergrund_antrag.csv"
CONCEPT, FINISH, KIZ, CONTINUE = "konzept", "abschluss", "kiz", "fortschreibung"
SUBJECTS = {
    CONCEPT: "Erarbeitung eines kommunalen Integrationskonzepts",
    FINISH: "Abschluss und Beschluss des kommunalen Integrationskonzepts",
    KIZ: "Aufbau eines Kommunalen Integrationszentrums (KIZ) und Antrag auf Landesförderung",
    CONTINUE: "Umsetzung und Fortschreibung des kommunalen Integrationskonzepts",
}
POPULATION_SOURCE = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys, Gebietsstand 30.11.2023"
MAP_SOURCE = "Integrationslandkarte Bayern: Recherche öffentlicher Quellen je Kreis"
DOCUMENTS = (POPULATION_SOURCE, MAP_SOURCE)  # the app's own sources that are no web page
NRW_KINDS = ("Landesgesetz", "Landesförderprogramm", "Kommunales Integrationszentrum")
MAX_NAMES = 5  # partner names per type; the rest are counted
PARTNER_PLURALS = {
    "Caritas": "Caritas",
    "Diakonie": "Diakonie",
    "AWO": "AWO",
    "Flüchtlingsrat": "Flüchtlingsrat",
    "Helferkreis": "Helferkreise",
    "Sonstige": "Weitere Träger",
}


class MotionRefused(Refused):
    """No draft for this AGS (unknown, a Regierungsbezirk, a gemeindefreies Gebiet); German message."""


@dataclass(frozen=True)
class Claim:
    """One sentence of the Begründung and the numbers of the sources that back it (never empty)."""

    text: str
    sources: tuple[int, ...]


@dataclass
class Motion:
    ags: str
    area: str
    body: str
    kind: str
    proposals: list[str]
    reasons: list[Claim] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # a URL or a document, numbered from 1
    stand: str = ""

    @property
    def subject(self) -> str:
        return SUBJECTS[self.kind]

    def cite(self, text: str, *sources: object) -> None:
        """Add a sentence backed by `sources`: http(s) links (" ; "-joined ones count as several) or one of
        the app's own DOCUMENTS; anything else in a source field ("unsourced", a list's file name) is no source."""
        numbers = []
        for source in sources:
            for one in str(source).split(" ; ") if not is_blank(source) else []:
                one = one.strip() if one.strip().startswith(DOCUMENTS) else http_url(_clean(one)) or ""
                if not one:
                    continue
                if one not in self.sources:
                    self.sources.append(one)
                numbers.append(self.sources.index(one) + 1)
        if not numbers:
            raise ValueError(f"Aussage ohne Quelle: {text}")  # a bug: callers only cite what has a source
        self.reasons.append(Claim(re.sub(r"\.\.$", ".", _clean(text)), tuple(dict.fromkeys(numbers))))


def _clean(text: object) -> str:
    return NOT_XML.sub("", str(text)).strip()


def _background() -> dict[str, dict[str, str]]:
    with BACKGROUND.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def _area(engine: Engine, kreise: pd.DataFrame, ags: str) -> tuple[pd.Series, pd.Series]:
    """The area's row (concept included) and its Kreis's row; an 8-digit kreisfreie Stadt is its Kreis."""
    kreise = kreise.set_index("ags", drop=False)
    if len(ags) == 5 and ags in kreise.index:
        return kreise.loc[ags], kreise.loc[ags]
    if len(ags) == 8:
        gemeinden = queries.gemeinden(engine).set_index("ags", drop=False)
        if ags in gemeinden.index:
            row = gemeinden.loc[ags]
            if row["kind"] == "Kreisfreie Stadt":
                return kreise.loc[ags[:5]], kreise.loc[ags[:5]]
            if row["kind"] not in COUNCILS:
                raise MotionRefused(f"{row['name']} ist ein gemeindefreies Gebiet – es hat keinen Gemeinderat.")
            return row, kreise.loc[row["kreis_ags"]]
    raise MotionRefused(
        f"Kein Kreis und keine Gemeinde mit AGS „{ags}“ – 5 Ziffern für einen Kreis, 8 für eine Gemeinde."
    )


@dataclass(frozen=True)
class Names:
    """The area in the cases a sentence needs: „Der Landkreis Erding hat …“, „für den Landkreis Erding“,
    „im Landkreis Erding“ (Gemeinden go by their bare name)."""

    subject: str
    object: str
    place: str


def _names(name: str, kind: str) -> Names:
    if kind == "Landkreis":
        return Names(f"Der {name}", f"den {name}", f"im {name}")
    if kind == "Kreisfreie Stadt":
        city = f"Stadt {short_name(name)}"
        return Names(f"Die {city}", f"die {city}", f"in der {city}")
    return Names(name, name, f"in {name}")


def _kind(area: pd.Series, is_kreis: bool) -> str:
    if area["status"] == "in Erarbeitung":
        return FINISH
    if area["status"] != "vorhanden":
        return CONCEPT
    # A KIZ only proposed or planned still wants the KIZ motion; one in operation, the concept's next round.
    return KIZ if is_kreis and area.get("kiz_status") != "eingerichtet" else CONTINUE


def _proposals(motion: Motion, area: pd.Series, names: Names, partner_words: str, is_kreis: bool) -> list[str]:
    body, where = motion.body, names.object
    involve = (
        f"An der Arbeit werden die Träger der Integrationsarbeit vor Ort beteiligt ({partner_words}), ebenso "
        "Migrantinnen und Migranten und ihre Selbstorganisationen, Ehrenamtliche und die Nachbarkommunen."
    )
    report = f"Die Verwaltung berichtet dem {body} bis [Datum] über den Stand."
    if motion.kind == CONCEPT:
        return [
            f"Die Verwaltung wird beauftragt, ein kommunales Integrationskonzept für {where} zu erarbeiten und dem "
            f"{body} bis [Datum] zum Beschluss vorzulegen.",
            involve,
            "Das Konzept benennt Handlungsfelder, Ziele, Zuständigkeiten und überprüfbare Kennzahlen und wird "
            "alle [fünf] Jahre fortgeschrieben.",
            report,
        ]
    title = "" if is_blank(area.get("title")) else f" „{_clean(area['title'])}“"
    if motion.kind == FINISH:
        return [
            f"Die Verwaltung wird gebeten, das in Erarbeitung befindliche Integrationskonzept{title} bis [Datum] "
            f"abzuschließen und dem {body} zum Beschluss vorzulegen.",
            involve,
            report,
        ]
    if motion.kind == KIZ:
        return [
            f"Die Verwaltung wird beauftragt, auf Grundlage des Integrationskonzepts{title} den Aufbau eines "
            f"Kommunalen Integrationszentrums (KIZ) für {where} vorzubereiten: Aufgaben, Personal, Kosten und "
            "Zeitplan.",
            "Die Verwaltung prüft die Fördermöglichkeiten von Freistaat und Bund und beantragt sie. Der "
            f"{body} setzt sich gegenüber der Staatsregierung für eine Landesförderung Kommunaler "
            "Integrationszentren nach dem Vorbild Nordrhein-Westfalens ein.",
            involve,
            report,
        ]
    return [
        f"Die Verwaltung berichtet dem {body} bis [Datum], welche Maßnahmen des Integrationskonzepts{title} "
        "umgesetzt sind und wo es fortgeschrieben werden muss.",
        involve,
        "Das Kommunale Integrationszentrum wird an der Fortschreibung beteiligt und berichtet jährlich."
        if is_kreis
        else "Die Zusammenarbeit mit dem Landkreis und seinem Kommunalen Integrationszentrum wird vereinbart, "
        "sobald es besteht.",
    ]


def _partner_claims(motion: Motion, partners: pd.DataFrame, names: Names) -> str:
    """A sentence per partner type present (names and their sources); returns the words for the proposal."""
    sourced = partners[partners["source_url"].map(first_link).notna()]  # only partners with a web source
    present = [t for t in PARTNER_TYPES if (sourced["type"] == t).any()]
    for ptype in present:
        rows = sourced[sourced["type"] == ptype].sort_values("name")
        listed = ", ".join(_clean(n) for n in rows["name"].head(MAX_NAMES))
        more = f" und {len(rows) - MAX_NAMES} weitere" if len(rows) > MAX_NAMES else ""
        motion.cite(f"{PARTNER_PLURALS[ptype]} mit Sitz {names.place}: {listed}{more}.", *rows["source_url"])
    if not present:
        return "Wohlfahrtsverbände, Flüchtlingsrat und Helferkreise"
    return ", ".join(PARTNER_PLURALS[t] for t in present if t != "Sonstige") or "Initiativen vor Ort"


def draft(engine: Engine, ags: str) -> Motion:
    """The draft motion for the Kreis (5-digit AGS) or Gemeinde (8-digit AGS), from the store as it is."""
    ags = ags.strip()
    kreise = queries.kreise(engine)  # read once: the area, its models and the count of 96 come from it
    area, kreis = _area(engine, kreise, ags)
    is_kreis = area["ags"] == kreis["ags"]
    name = _clean(area["name"])
    motion = Motion(str(area["ags"]), name, COUNCILS[str(area["kind"])], _kind(area, is_kreis), [])
    names = _names(name, str(area["kind"]))
    age = queries.data_age(engine)
    checked = f"{age.concepts_checked_to:%d.%m.%Y}" if age.concepts_checked_to else ""
    motion.stand = checked
    map_source = MAP_SOURCE + (f", geprüft am {checked}" if checked else "")

    if not is_blank(area.get("population")):
        population = f"{int(area['population']):,}".replace(",", ".")
        motion.cite(
            f"{names.subject} hat {population} Einwohnerinnen und Einwohner (Stand "
            f"{pd.Timestamp(area['population_date']):%d.%m.%Y}).",
            POPULATION_SOURCE,
        )
    title = "" if is_blank(area.get("title")) else f" „{_clean(area['title'])}“"
    year = year_text(area.get("year"))
    # An entry an editor saved without a link is cited as the map's entry, and says so.
    concept_source = area["source_url"] if first_link(area.get("source_url")) else map_source
    unsourced = "" if first_link(area.get("source_url")) else " (Eintrag ohne Quellenangabe – [Quelle ergänzen])"
    if area["status"] == "vorhanden":
        motion.cite(
            f"{names.subject} hat ein Integrationskonzept{title}{f' ({year})' if year else ''}{unsourced}.",
            concept_source,
        )
    elif area["status"] == "in Erarbeitung":
        motion.cite(f"Ein Integrationskonzept{title} für {names.object} ist in Erarbeitung{unsourced}.", concept_source)
    elif area["status"] == "keines":
        motion.cite(f"{names.subject} hat kein Integrationskonzept{unsourced}.", concept_source)
    else:  # the area's own check date, not the newest of all
        own_check = "" if is_blank(area.get("checked_on")) else f"{pd.Timestamp(area['checked_on']):%d.%m.%Y}"
        motion.cite(
            "In den für die Integrationslandkarte Bayern durchsuchten öffentlichen Quellen ist für "
            f"{names.object} kein beschlossenes Integrationskonzept verzeichnet.",
            MAP_SOURCE + (f", geprüft am {own_check}" if own_check else ""),
        )
    motions = queries.initiatives(engine)
    for rec in motions[motions["region_ags"] == area["ags"]].itertuples():
        if not (first_link(rec.document_url) or first_link(rec.source_url)):
            continue  # a motion entered without a link is no source for a claim
        when = "" if is_blank(rec.filed_on) else f", {pd.Timestamp(rec.filed_on):%d.%m.%Y}"
        motion.cite(
            f"Im {rec.body} liegt bereits ein Antrag vor: „{_clean(rec.title)}“ ({rec.status}{when}).",
            rec.document_url,
            rec.source_url,
        )
    if not is_kreis and kreis["status"] == "vorhanden" and first_link(kreis["source_url"]):
        kreis_title = "" if is_blank(kreis["title"]) else f" „{_clean(kreis['title'])}“"
        kreis_names = _names(_clean(kreis["name"]), str(kreis["kind"]))
        motion.cite(f"{kreis_names.subject} hat ein Integrationskonzept{kreis_title}.", kreis["source_url"])

    structures = queries.structures(engine)
    for row in structures[structures["kreis_ags"] == kreis["ags"]].itertuples():
        if not is_blank(row.source_url):
            where = names if is_kreis else _names(_clean(kreis["name"]), str(kreis["kind"]))
            motion.cite(
                f"Bereits vorhanden {where.place} – {_clean(structure_line(row.type, row.detail))}.", row.source_url
            )

    partners = queries.partners(engine)
    partners = partners[partners["kreis_ags" if is_kreis else "gemeinde_ags"] == area["ags"]]
    partner_words = _partner_claims(motion, partners, names)

    if motion.kind in (CONCEPT, FINISH):
        for model, km in gaps.nearest(kreise, str(kreis["ags"])):
            if first_link(model["source_url"]):
                model_title = "" if is_blank(model["title"]) else f": „{_clean(model['title'])}“"
                model_year = year_text(model["year"])
                motion.cite(
                    f"Vorbild in der Nähe ({km} km): {_clean(model['name'])}{model_title}"
                    f"{f' ({model_year})' if model_year else ''}.",
                    model["source_url"],
                )
    with_concept = int((kreise["status"] == "vorhanden").sum())
    motion.cite(
        f"Von den 96 Landkreisen und kreisfreien Städten Bayerns haben nach der Integrationslandkarte Bayern "
        f"{with_concept} ein Integrationskonzept.",
        map_source,
    )
    enquete = _background()["enquete_2018"]
    motion.cite(enquete["text"], enquete["source_url"])
    if motion.kind in (KIZ, CONTINUE):
        references = queries.kiz_reference_rows(engine)
        for row in references[references["kind"].isin(NRW_KINDS)].head(3).itertuples():
            when = "" if is_blank(row.year) else f", {row.year}"
            motion.cite(f"Vorbild Nordrhein-Westfalen – {row.kind}: {_clean(row.name)}{when}.", row.source_url)
    motion.proposals = _proposals(motion, area, names, partner_words, is_kreis)
    return motion


def _footer(motion: Motion) -> str:
    checked = f", Recherche geprüft am {motion.stand}" if motion.stand else ""
    return (
        f"Entwurf der Integrationslandkarte Bayern vom {dt.date.today():%d.%m.%Y}{checked}. Vor dem Einreichen "
        "prüfen: jede Aussage nennt ihre Quelle."
    )


def to_markdown(motion: Motion) -> str:
    """The draft as Markdown to copy into a mail or a council system; sources as [n] and a numbered list."""
    lines = [
        f"# Antrag: {motion.subject}",
        "",
        f"**An:** den {motion.body} – {motion.area}  ",
        "**Antragstellende:** [Fraktion, Namen]  ",
        "**Datum:** [Datum]",
        "",
        "## Beschlussvorschlag",
        "",
        f"Der {motion.body} möge beschließen:",
        "",
        *(f"{n}. {text}" for n, text in enumerate(motion.proposals, start=1)),
        "",
        "## Begründung",
        "",
        *(f"- {claim.text} {''.join(f'[{n}]' for n in claim.sources)}" for claim in motion.reasons),
        "- [Empfehlung aus dem Schlussbericht der Enquete-Kommission zu den Kommunen mit Seitenzahl ergänzen]",
        "- [Eigene Begründung vor Ort ergänzen]",
        "",
        "## Quellen",
        "",
        *(f"{n}. {source}" for n, source in enumerate(motion.sources, start=1)),
        "",
        "[Unterschriften]",
        "",
        f"_{_footer(motion)}_",
    ]
    return "\n".join(lines) + "\n"


def to_docx(motion: Motion) -> bytes:
    """The same draft as an editable Word file."""
    document = Document()
    document.core_properties.author = "Integrationslandkarte Bayern"
    document.core_properties.comments = ""
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    # German spelling and hyphenation in Word (the template says en-US); headings inherit from Normal.
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "de-DE")
    normal.element.get_or_add_rPr().append(language)
    document.add_heading(f"Antrag: {motion.subject}", level=1)
    for label, value in (
        ("An", f"den {motion.body} – {motion.area}"),
        ("Antragstellende", "[Fraktion, Namen]"),
        ("Datum", "[Datum]"),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_heading("Beschlussvorschlag", level=2)
    document.add_paragraph(f"Der {motion.body} möge beschließen:")
    for text in motion.proposals:
        document.add_paragraph(text, style="List Number")
    document.add_heading("Begründung", level=2)
    for claim in motion.reasons:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{claim.text} ")
        paragraph.add_run("".join(f"[{n}]" for n in claim.sources)).font.superscript = True
    for placeholder in (
        "[Empfehlung aus dem Schlussbericht der Enquete-Kommission zu den Kommunen mit Seitenzahl ergänzen]",
        "[Eigene Begründung vor Ort ergänzen]",
    ):
        document.add_paragraph(placeholder, style="List Bullet")
    document.add_heading("Quellen", level=2)
    for n, source in enumerate(motion.sources, start=1):
        document.add_paragraph(f"[{n}] {source}")
    document.add_paragraph("[Unterschriften]")
    document.add_paragraph(_footer(motion)).runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
