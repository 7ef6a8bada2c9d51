"""Read-only questions the pages ask of the store, answered as DataFrames.

Everything here takes the filter values as plain arguments, so the pages, the command
line and the tests get the same numbers. The motion's rule "KIZ förderfähig nach Antrag A3"
is derived here (concept `vorhanden`, no KIZ record) and never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from integra import geodata
from integra.formatting import UNSOURCED, confidence_de, first_link, is_blank, note_de, web_links
from integra.labels import kiz_label, labelled
from integra.models import (
    Concept,
    DataState,
    Initiative,
    IntegrationCentre,
    IntegrationStructure,
    KizReference,
    Partner,
    Region,
)
from integra.textkeys import loose
from integra.vocab import (
    ALL_BAVARIA,
    CONCEPT_STATUSES,
    KIZ_STATUSES,
    PARTNER_TYPES,
    REGIERUNGSBEZIRKE,
    status_label,
)


def _frame(engine: Engine, statement) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(statement, conn)


def _regions(engine: Engine, level: str) -> pd.DataFrame:
    return _frame(
        engine,
        select(
            Region.ags,
            Region.name,
            Region.kind,
            Region.parent_ags,
            Region.is_gemeinde,
            Region.population,
            Region.population_date,
        ).where(Region.level == level),
    )


def _concepts(engine: Engine) -> pd.DataFrame:
    return _frame(
        engine,
        select(
            Concept.region_ags.label("ags"),
            Concept.status,
            Concept.title,
            Concept.year,
            Concept.source_url,
            Concept.evidence,
            Concept.confidence,
            Concept.checked_on,
        ),
    )


def concept_statuses(engine: Engine) -> dict[str, str]:
    """The stored concept status per area (AGS); an area without a record is „unbekannt“."""
    frame = _concepts(engine)
    return dict(zip(frame["ags"], frame["status"], strict=True))


def _in_regbez(frame: pd.DataFrame, regbez: str, column: str = "regbez") -> pd.DataFrame:
    return frame if regbez == ALL_BAVARIA else frame[frame[column] == regbez]


def _regbez_name(ags: pd.Series) -> pd.Series:
    return ags.str[2].astype(int).map(lambda i: REGIERUNGSBEZIRKE[i - 1])


def kreise(engine: Engine, regbez: str = ALL_BAVARIA) -> pd.DataFrame:
    """One row per Kreis: concept (status, title, year, source), KIZ status, förderfähig, partner count."""
    frame = _regions(engine, "kreis").drop(columns=["parent_ags", "is_gemeinde"])
    frame["regbez"] = _regbez_name(frame["ags"])
    frame = frame.merge(_concepts(engine), on="ags", how="left")
    frame["status"] = frame["status"].fillna("unbekannt")
    kiz = _frame(
        engine,
        select(
            IntegrationCentre.kreis_ags.label("ags"),
            IntegrationCentre.status.label("kiz_status"),
            IntegrationCentre.name.label("kiz_name"),
        ).order_by(IntegrationCentre.id),
    )
    frame = frame.merge(kiz.drop_duplicates("ags", keep="last"), on="ags", how="left")
    frame["foerderfaehig"] = (frame["status"] == "vorhanden") & frame["kiz_status"].isna()
    counts = _frame(
        engine, select(Partner.kreis_ags.label("ags"), func.count().label("partner")).group_by(Partner.kreis_ags)
    )
    frame = frame.merge(counts, on="ags", how="left")
    frame["partner"] = frame["partner"].fillna(0).astype(int)
    return _in_regbez(frame, regbez).sort_values("ags").reset_index(drop=True)


def gemeinden(engine: Engine, regbez: str = ALL_BAVARIA) -> pd.DataFrame:
    """One row per Gemeinde polygon with its effective concept status.

    A kreisfreie Stadt is both Kreis and Gemeinde, so its Kreis record stands for the Gemeinde
    unless the Gemeinde has a record of its own. Everything else without a record is `unbekannt`.
    """
    frame = _regions(engine, "gemeinde").rename(columns={"parent_ags": "kreis_ags"})
    frame["regbez"] = _regbez_name(frame["ags"])
    frame = _in_regbez(frame, regbez)
    concepts = _concepts(engine)
    own = frame.merge(concepts, on="ags", how="left")
    city = frame[frame["kind"] == "Kreisfreie Stadt"][["ags", "kreis_ags"]].merge(
        concepts.rename(columns={"ags": "kreis_ags"}), on="kreis_ags"
    )
    own = own.set_index("ags")
    city = city.set_index("ags").drop(columns="kreis_ags")
    missing = own["status"].isna() & own.index.isin(city.index)
    own.loc[missing, city.columns] = city.loc[own.index[missing], city.columns]
    own["status"] = own["status"].fillna("unbekannt")
    return own.reset_index().sort_values("ags").reset_index(drop=True)


def partners(engine: Engine, regbez: str = ALL_BAVARIA, types: Iterable[str] = PARTNER_TYPES) -> pd.DataFrame:
    """Partners of the chosen types in one Regierungsbezirk, with their Kreis and Gemeinde names."""
    kreis = Region.__table__.alias("kreis")
    gemeinde = Region.__table__.alias("gemeinde")
    statement = (
        select(
            Partner.id,
            Partner.name,
            Partner.type,
            Partner.kind_detail,
            Partner.street,
            Partner.plz,
            Partner.city,
            gemeinde.c.name.label("gemeinde"),
            Partner.gemeinde_ags,
            kreis.c.name.label("kreis"),
            Partner.kreis_ags,
            Partner.lat,
            Partner.lon,
            Partner.precision,
            Partner.website,
            Partner.email,
            Partner.phone,
            Partner.contact,
            Partner.source_url,
            Partner.source_year,
            Partner.confidence,
            Partner.updated_at,
        )
        .join(kreis, kreis.c.ags == Partner.kreis_ags)
        .join(gemeinde, gemeinde.c.ags == Partner.gemeinde_ags)
        .where(Partner.type.in_(list(types)))
        .order_by(Partner.name)
    )
    frame = _frame(engine, statement)
    frame["source_year"] = frame["source_year"].astype("Int64")  # a year, never "2016,0" in a CSV
    frame["regbez"] = _regbez_name(frame["kreis_ags"]) if len(frame) else pd.Series(dtype=str)
    return _in_regbez(frame, regbez).reset_index(drop=True)


def integration_centres(engine: Engine, regbez: str = ALL_BAVARIA) -> pd.DataFrame:
    """KIZ records with their Kreis name; the point falls back to the Kreis centre on the map."""
    statement = select(
        IntegrationCentre.id,
        IntegrationCentre.kreis_ags,
        Region.name.label("kreis"),
        IntegrationCentre.status,
        IntegrationCentre.name,
        IntegrationCentre.lat,
        IntegrationCentre.lon,
        IntegrationCentre.source_url,
        IntegrationCentre.note,
    ).join(Region, Region.ags == IntegrationCentre.kreis_ags)
    frame = _frame(engine, statement)
    frame["regbez"] = _regbez_name(frame["kreis_ags"]) if len(frame) else pd.Series(dtype=str)
    return _in_regbez(frame, regbez).reset_index(drop=True)


def _point(ags: str, gazetteer: pd.DataFrame) -> tuple[float, float]:
    """Where an area's symbol sits: a Kreis's centre, a Gemeinde's gazetteer point (lat, lon)."""
    if len(ags) == 5:
        centre = geodata.kreis_centres()[ags]
        return centre.y, centre.x
    return float(gazetteer.at[ags, "lat"]), float(gazetteer.at[ags, "lon"])


def initiatives(engine: Engine, regbez: str = ALL_BAVARIA) -> pd.DataFrame:
    """Motions on their way, newest first, with the area's name and a point: the Kreis's centre or the
    Gemeinde's gazetteer point."""
    frame = _frame(
        engine,
        select(
            Initiative.id,
            Initiative.region_ags,
            Region.name.label("area"),
            Initiative.body,
            Initiative.title,
            Initiative.asks,
            Initiative.status,
            Initiative.filed_on,
            Initiative.document_url,
            Initiative.source_url,
            Initiative.note,
        )
        .join(Region, Region.ags == Initiative.region_ags)
        .order_by(Initiative.filed_on.desc(), Initiative.id.desc()),
    )
    gazetteer = geodata.gazetteer().set_index("ags")
    points = [_point(ags, gazetteer) for ags in frame["region_ags"]]
    frame["lat"] = pd.Series([lat for lat, _ in points], index=frame.index, dtype=float)
    frame["lon"] = pd.Series([lon for _, lon in points], index=frame.index, dtype=float)
    frame["regbez"] = _regbez_name(frame["region_ags"]) if len(frame) else pd.Series(dtype=str)
    return _in_regbez(frame, regbez).reset_index(drop=True)


def structures(engine: Engine) -> pd.DataFrame:
    """Integrationsbeiräte, -beauftragte, -lotsen noted per Kreis (absence means: not noted)."""
    return _frame(
        engine,
        select(
            IntegrationStructure.kreis_ags,
            IntegrationStructure.type,
            IntegrationStructure.detail,
            IntegrationStructure.year,
            IntegrationStructure.source_url,
        ).order_by(IntegrationStructure.kreis_ags, IntegrationStructure.type),
    )


def editable_regions(engine: Engine) -> dict[str, str]:
    """Every Kreis and Gemeinde (no gemeindefreie Gebiete) as label -> AGS, Kreise first.

    "Landkreis Erding (09177)", but "Erding (Große Kreisstadt, Gemeinde 09177117)": the town and the
    Kreis of one name must not read alike in the editors' chooser.
    """
    statement = (
        select(Region.ags, Region.name, Region.level, Region.kind)
        .where(or_(Region.level == "kreis", and_(Region.level == "gemeinde", Region.is_gemeinde)))
        .order_by(Region.level.desc(), Region.name)
    )
    with engine.connect() as conn:
        return {
            (
                f"{name} ({ags})"
                if level == "kreis"
                else f"{name} ({'' if kind == 'Gemeinde' else kind + ', '}Gemeinde {ags})"
            ): ags
            for ags, name, level, kind in conn.execute(statement)
        }


def kiz_reference_rows(engine: Engine) -> pd.DataFrame:
    """The NRW model references as stored (English keys, every source)."""
    return _frame(
        engine,
        select(
            KizReference.name,
            KizReference.kind,
            KizReference.place,
            KizReference.year,
            KizReference.source_url,
            KizReference.confidence,
        ).order_by(KizReference.id),
    )


def kiz_references(engine: Engine) -> pd.DataFrame:
    """The NRW model references, ready to show: German headers, first source link."""
    frame = kiz_reference_rows(engine)
    frame = frame.assign(
        source_url=frame["source_url"].map(first_link), confidence=frame["confidence"].map(confidence_de)
    )
    return labelled(frame, ("name", "kind", "place", "year", "source_url", "confidence"), name="Bezeichnung")


@dataclass(frozen=True)
class KeyFigures:
    """The headline numbers of the Übersicht page for one area."""

    kreise_total: int
    kreise_with_concept: int
    gemeinden_total: int
    gemeinden_with_concept: int
    concept_status: dict[str, int]
    kiz_status: dict[str, int]
    kiz_eligible: int
    partner_types: dict[str, int]


def _figures(kreis: pd.DataFrame, gemeinde: pd.DataFrame, partner: pd.DataFrame, types: list[str]) -> KeyFigures:
    gemeinde = gemeinde[gemeinde["is_gemeinde"]]
    return KeyFigures(
        kreise_total=len(kreis),
        kreise_with_concept=int((kreis["status"] == "vorhanden").sum()),
        gemeinden_total=len(gemeinde),
        gemeinden_with_concept=int((gemeinde["status"] == "vorhanden").sum()),
        concept_status={s: int((kreis["status"] == s).sum()) for s in CONCEPT_STATUSES},
        kiz_status={s: int((kreis["kiz_status"] == s).sum()) for s in KIZ_STATUSES},
        kiz_eligible=int(kreis["foerderfaehig"].sum()),
        partner_types={t: int((partner["type"] == t).sum()) for t in PARTNER_TYPES if t in types},
    )


def key_figures(engine: Engine, regbez: str = ALL_BAVARIA, types: Iterable[str] = PARTNER_TYPES) -> KeyFigures:
    """Counts for Bavaria or one Regierungsbezirk; Gemeinden exclude gemeindefreie Gebiete."""
    types = list(types)
    return _figures(kreise(engine, regbez), gemeinden(engine, regbez), partners(engine, regbez, types), types)


@dataclass(frozen=True)
class DataAge:
    """How old the shown facts are: when the research was checked and when the store last changed."""

    concepts_checked_to: dt.date | None
    last_change: dt.datetime | None
    population_date: dt.date | None


def data_age(engine: Engine) -> DataAge:
    """How old the facts are. The last change is the time of the last write of any kind (data_state):
    an undo restores old `updated_at` values, and the newest of those moved backwards after one."""
    with engine.connect() as conn:
        checked = conn.scalar(select(func.max(Concept.checked_on)))
        changed = conn.scalar(select(DataState.changed_at).where(DataState.id == 1))
        population = conn.scalar(select(func.max(Region.population_date)))
    return DataAge(checked, changed, population)


KREIS_FIELDS = (
    "name",
    "regbez",
    "status",
    "title",
    "year",
    "source_url",
    "hint",
    "confidence",
    "kiz",
    "partner",
    "population",
)


def kreis_display(
    frame: pd.DataFrame,
    statuses: Iterable[str] = CONCEPT_STATUSES,
    report_href: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Kreise as the overview table shows them: concept with source, KIZ state incl. the A3 rule; with
    `report_href` (AGS -> address of the app's report form) a last column „Melden“ per row."""
    frame = frame[frame["status"].isin(list(statuses))]
    out = frame.assign(
        status=frame["status"].map(status_label),
        source_url=frame["source_url"].map(first_link),
        # a status someone set without a source stays visible as such
        hint=[
            UNSOURCED if status != "unbekannt" and not web_links(src) else None
            for status, src in zip(frame["status"], frame["source_url"], strict=True)
        ],
        confidence=frame["confidence"].map(confidence_de),
        kiz=[kiz_label(s, e) for s, e in zip(frame["kiz_status"], frame["foerderfaehig"], strict=True)],
        year=frame["year"].astype("Int64"),
        report=frame["ags"].map(report_href) if report_href else None,
    )
    return labelled(out, KREIS_FIELDS + (("report",) if report_href else ()), name="Kreis")


PARTNER_FIELDS = (
    "name",
    "type",
    "kind_detail",
    "city",
    "kreis",
    "regbez",
    "precision",
    "website",
    "contact",
    "source_url",
    "source_note",
    "source_year",
    "confidence",
)


def partner_display(
    frame: pd.DataFrame, search: str = "", report_href: Callable[[int], str] | None = None
) -> pd.DataFrame:
    """Partners as the table shows them: German headers, links only for http(s), optional text search;
    with `report_href` (partner id -> address of the app's report form) a last column „Melden“.

    The search matches name, place, Kreis and type, ignoring case and umlaut spelling (ü, ue, u).
    """
    if search.strip():
        needle = loose(search.strip())
        haystack = (
            frame["name"].fillna("")
            + " "
            + frame["city"].fillna("")
            + " "
            + frame["kreis"].fillna("")
            + " "
            + frame["type"].fillna("")
        ).map(loose)
        frame = frame[haystack.str.contains(needle, regex=False)]
    links = frame["source_url"].map(web_links)
    out = frame.assign(
        source_url=links.map(lambda urls: urls[0] if urls else None),
        source_note=[
            None if urls else (UNSOURCED if is_blank(src) else note_de(src))
            for urls, src in zip(links, frame["source_url"], strict=True)
        ],
        website=frame["website"].map(first_link),
        confidence=frame["confidence"].map(confidence_de),
        report=frame["id"].map(report_href) if report_href else None,
    )
    return labelled(out, PARTNER_FIELDS + (("report",) if report_href else ()))
