"""Where Bavaria is not yet covered: per-Kreis figures, the motion's demand lists, nearby models.

Everything is computed from `integra.queries` frames, so the Lücken page, the fact sheet and the
exports agree. Unknown stays unknown: "ohne bekanntes Konzept" lists `unbekannt` next to
`keines` and `in Erarbeitung`, and records without a year are counted apart, never dated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from integra import geodata, queries
from integra.formatting import is_blank
from integra.labels import kiz_label, labelled
from integra.vocab import ALL_BAVARIA, CONCEPT_STATUSES, KIZ_ELIGIBLE, PARTNER_TYPES, REGIERUNGSBEZIRKE, status_label

PER = 100_000
TOTAL = "Bayern gesamt"


def kreis_figures(engine: Engine, regbez: str = ALL_BAVARIA) -> pd.DataFrame:
    """One row per Kreis: concept, KIZ, A3 rule, Gemeinden with a concept, partners per type and per 100,000."""
    kreise = queries.kreise(engine, regbez)
    gemeinden = queries.gemeinden(engine, regbez)
    with_concept = (
        gemeinden[gemeinden["is_gemeinde"] & (gemeinden["status"] == "vorhanden")].groupby("kreis_ags").size()
    )
    partners = queries.partners(engine, regbez)
    by_type = partners.pivot_table(
        index="kreis_ags", columns="type", values="id", aggfunc="count", fill_value=0
    ).reindex(columns=list(PARTNER_TYPES), fill_value=0)
    counted = gemeinden[gemeinden["is_gemeinde"]].groupby("kreis_ags").size()
    frame = kreise.assign(
        gemeinden=kreise["ags"].map(counted).fillna(0).astype(int),
        gemeinden_mit_konzept=kreise["ags"].map(with_concept).fillna(0).astype(int),
    )
    for ptype in PARTNER_TYPES:
        frame[ptype] = frame["ags"].map(by_type[ptype]).fillna(0).astype(int)
    frame["partner_je_100k"] = (frame["partner"] / frame["population"] * PER).round(1)
    frame["kiz"] = [kiz_label(s, e) for s, e in zip(frame["kiz_status"], frame["foerderfaehig"], strict=True)]
    frame["initiative"] = frame["ags"].map(_latest_motions(queries.initiatives(engine, regbez)))
    return frame


def _latest_motions(motions: pd.DataFrame) -> pd.Series:
    """Per Kreis (its own motions and its Gemeinden's), the newest motion: „eingereicht (01.10.2026)“, and how
    many more there are."""
    if motions.empty:
        return pd.Series(dtype=object)
    motions = motions.assign(kreis_ags=motions["region_ags"].str[:5])  # newest first (queries.initiatives)
    texts = {}
    for kreis_ags, group in motions.groupby("kreis_ags", sort=False):
        newest = group.iloc[0]
        when = "" if is_blank(newest["filed_on"]) else f" ({pd.Timestamp(newest['filed_on']):%d.%m.%Y})"
        more = f", +{len(group) - 1} weitere" if len(group) > 1 else ""
        texts[kreis_ags] = f"{newest['status']}{when}{more}"
    return pd.Series(texts, dtype=object)


def without_concept(figures: pd.DataFrame) -> pd.DataFrame:
    """Kreise with no known concept (unbekannt, keines or still in Erarbeitung)."""
    return figures[figures["status"] != "vorhanden"]


def demand_list(figures: pd.DataFrame) -> pd.DataFrame:
    """The motion's demand: concept vorhanden and no KIZ record yet."""
    return figures[figures["foerderfaehig"]]


def without_partner(figures: pd.DataFrame, partner_type: str) -> pd.DataFrame:
    return figures[figures[partner_type] == 0]


def nearest(kreise: pd.DataFrame, target_ags: str, count: int = 3) -> list[tuple[pd.Series, int]]:
    """The `count` Kreise with a concept nearest to `target_ags` (itself excluded), with km between centres."""
    centres = geodata.kreis_centres_metric()
    models = kreise[(kreise["status"] == "vorhanden") & (kreise["ags"] != target_ags)]
    xy = np.column_stack([centres.loc[models["ags"]].x, centres.loc[models["ags"]].y])
    here = centres.loc[target_ags]
    dist = np.hypot(xy[:, 0] - here.x, xy[:, 1] - here.y) / 1000
    return [(models.iloc[i], round(float(dist[i]))) for i in np.argsort(dist)[:count]]


def nearby_models(engine: Engine, regbez: str = ALL_BAVARIA, count: int = 3) -> pd.DataFrame:
    """For every Kreis without a concept, the `count` nearest Kreise in Bavaria that have one (km between centres).

    Models are searched in all of Bavaria, also across Regierungsbezirk borders.
    """
    kreise = queries.kreise(engine)
    targets = without_concept(kreise if regbez == ALL_BAVARIA else kreise[kreise["regbez"] == regbez])
    rows = [
        {
            "ags": target.ags,
            "Kreis": target.name,
            "Status": status_label(target.status),
            "Rang": rank,
            "Vorbild": model["name"],
            "Entfernung (km)": km,
            "Konzept": model["title"],
            "Jahr": model["year"],
            "Quelle": model["source_url"],
        }
        for target in targets.itertuples()
        for rank, (model, km) in enumerate(nearest(kreise, str(target.ags), count), start=1)
    ]
    frame = pd.DataFrame(
        rows, columns=["ags", "Kreis", "Status", "Rang", "Vorbild", "Entfernung (km)", "Konzept", "Jahr", "Quelle"]
    )
    frame["Jahr"] = frame["Jahr"].astype("Int64")  # 2020, not 2020.0 in CSV and Excel
    return frame


def coverage_by_regbez(engine: Engine) -> pd.DataFrame:
    """Long table Regierungsbezirk × concept status → number of Kreise (for the stacked bars)."""
    kreise = queries.kreise(engine)
    counts = kreise.groupby(["regbez", "status"]).size().rename("Kreise").reset_index()
    full = pd.MultiIndex.from_product([REGIERUNGSBEZIRKE, CONCEPT_STATUSES], names=["regbez", "status"])
    return counts.set_index(["regbez", "status"]).reindex(full, fill_value=0).reset_index()


def concepts_over_time(engine: Engine, regbez: str = ALL_BAVARIA) -> tuple[pd.DataFrame, dict[str, int]]:
    """Cumulative number of Kreise and Gemeinden with a concept per year, and how many have no known year."""
    series, undated = [], {}
    for label, frame in (("Kreise", queries.kreise(engine, regbez)), ("Gemeinden", queries.gemeinden(engine, regbez))):
        if label == "Gemeinden":
            frame = frame[frame["is_gemeinde"]]
        present = frame[frame["status"] == "vorhanden"]
        undated[label] = int(present["year"].isna().sum())
        per_year = present["year"].dropna().astype(int).value_counts().sort_index()
        if len(per_year):
            years = range(per_year.index.min(), max(per_year.index.max(), pd.Timestamp.now().year) + 1)
            cumulative = per_year.reindex(years, fill_value=0).cumsum()
            series.append(pd.DataFrame({"Jahr": list(years), "Anzahl": cumulative.to_numpy(), "Ebene": label}))
    timeline = pd.concat(series, ignore_index=True) if series else pd.DataFrame(columns=["Jahr", "Anzahl", "Ebene"])
    return timeline, undated


DISPLAY_FIELDS = (
    "name",
    "regbez",
    "status",
    "year",
    "kiz",
    "initiative",
    "gemeinden_mit_konzept",
    "partner",
    *PARTNER_TYPES,
    "partner_je_100k",
    "population",
    "checked_on",
)


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """German column names and the columns a reader needs, for tables and exports."""
    out = labelled(frame, DISPLAY_FIELDS, name="Kreis")
    out["Konzept"] = out["Konzept"].map(status_label, na_action="ignore")
    out["Konzept geprüft am"] = pd.to_datetime(out["Konzept geprüft am"]).dt.strftime("%d.%m.%Y")
    out["Jahr"] = out["Jahr"].astype("Int64")
    return out.reset_index(drop=True)


def regbez_table(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per Regierungsbezirk and a row „Bayern gesamt“: the table Übersicht and Lücken both show.

    `figures` are `kreis_figures` of all Bavaria; sums per Bezirk, partners per 100,000 from the
    summed population (not an average of the Kreise's rates).
    """
    frame = pd.concat([figures, figures.assign(regbez=TOTAL)])
    grouped = frame.groupby("regbez", sort=False)
    statuses = {
        status_label(s): grouped["status"].apply(lambda col, s=s: int((col == s).sum())) for s in CONCEPT_STATUSES
    }
    out = pd.DataFrame(
        {
            "Kreise": grouped.size(),
            "mit Konzept": statuses.pop(status_label("vorhanden")),
            **statuses,
            "KIZ eingetragen": grouped["kiz_status"].apply(lambda col: int(col.notna().sum())),
            KIZ_ELIGIBLE: grouped["foerderfaehig"].sum().astype(int),
            "Gemeinden": grouped["gemeinden"].sum(),
            "Gemeinden mit Konzept": grouped["gemeinden_mit_konzept"].sum(),
            **{t: grouped[t].sum() for t in PARTNER_TYPES},
            "Partner je 100.000 Einw.": (grouped["partner"].sum() / grouped["population"].sum() * PER).round(1),
            "Einwohner": grouped["population"].sum(),
        }
    )
    order = [r for r in (*REGIERUNGSBEZIRKE, TOTAL) if r in out.index]
    return out.loc[order].rename_axis("Regierungsbezirk").reset_index()
