"""Altair charts of the Lücken page, coloured like the map."""

from __future__ import annotations

import altair as alt
import pandas as pd

from integra.formatting import counted
from integra.vocab import CONCEPT_COLOURS, INITIATIVE_COLOURS, INITIATIVE_STATUSES, REGIERUNGSBEZIRKE, status_label

_LABELS = [status_label(s) for s in CONCEPT_COLOURS]


def coverage(frame: pd.DataFrame) -> alt.Chart:
    """Stacked bars: Kreise per Regierungsbezirk by concept status."""
    data = frame.assign(status=frame["status"].map(status_label)).rename(
        columns={"regbez": "Regierungsbezirk", "status": "Konzept"}
    )  # German also under "Daten zeigen"
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("Regierungsbezirk:N", sort=list(REGIERUNGSBEZIRKE), title=None),
            y=alt.Y("Kreise:Q", title="Kreise und kreisfreie Städte"),
            color=alt.Color(
                "Konzept:N",
                title="Konzept",
                sort=_LABELS,
                scale=alt.Scale(domain=_LABELS, range=list(CONCEPT_COLOURS.values())),
            ),
            order=alt.Order("order:Q"),
            tooltip=["Regierungsbezirk:N", "Konzept:N", "Kreise:Q"],
        )
        .transform_calculate(order=f"indexof({_LABELS}, datum.Konzept)")
    )


def timeline(frame: pd.DataFrame) -> alt.Chart:
    """Cumulative number of Kreise and Gemeinden with a dated concept."""
    return (
        alt.Chart(frame)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("Jahr:O", title="Jahr"),
            y=alt.Y("Anzahl:Q", title="mit Konzept (kumuliert)", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("Ebene:N", scale=alt.Scale(range=["#0072B2", "#555555"])),
            tooltip=["Ebene:N", "Jahr:O", "Anzahl:Q"],
        )
    )


def coverage_text(frame: pd.DataFrame) -> str:
    """The bars in words, for screen readers and print: "Oberbayern: 7 von 23 mit Konzept; …"."""
    parts = []
    for regbez in REGIERUNGSBEZIRKE:
        rows = frame[frame["regbez"] == regbez]
        present = int(rows.loc[rows["status"] == "vorhanden", "Kreise"].sum())
        parts.append(f"{regbez}: {present} von {int(rows['Kreise'].sum())}")
    return "Kreise mit Konzept je Regierungsbezirk – " + "; ".join(parts) + "."


def timeline_text(frame: pd.DataFrame, undated: dict[str, int]) -> str:
    """The lines in words, and what they leave out: the count with a dated concept in the last year
    drawn, per level, then the concepts without a known year."""
    apart = (
        f" Ohne bekanntes Jahr (nicht eingezeichnet): {counted(undated['Kreise'], 'Kreis', 'Kreise')}, "
        f"{counted(undated['Gemeinden'], 'Gemeinde', 'Gemeinden')}."
    )
    if frame.empty:
        return "Noch kein Konzept mit bekanntem Jahr." + apart
    last = frame.sort_values("Jahr").groupby("Ebene").tail(1)
    year = int(last["Jahr"].max())
    return (
        f"Stand {year}: "
        + " und ".join(f"{row.Anzahl} {row.Ebene}" for row in last.itertuples())
        + " mit datiertem Konzept."
        + apart
    )


def motions_by_month(motions: pd.DataFrame) -> pd.DataFrame:
    """Motions with a date, counted per month and state (`queries.initiatives` rows in, chart rows out)."""
    dated = motions[motions["filed_on"].notna()]
    months = pd.to_datetime(dated["filed_on"]).dt.to_period("M").dt.to_timestamp()
    counts = dated.assign(Monat=months).groupby(["Monat", "status"]).size().rename("Anträge").reset_index()
    return counts.rename(columns={"status": "Stand"})


def motions_timeline(frame: pd.DataFrame) -> alt.Chart:
    """Stacked bars: motions per month by their state, coloured like the map's § symbols."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(Monat):T", title="Monat", axis=alt.Axis(format="%m.%Y")),
            y=alt.Y("Anträge:Q", title="Anträge", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color(
                "Stand:N",
                sort=list(INITIATIVE_STATUSES),
                scale=alt.Scale(domain=list(INITIATIVE_STATUSES), range=list(INITIATIVE_COLOURS.values())),
            ),
            tooltip=[alt.Tooltip("yearmonth(Monat):T", title="Monat", format="%m.%Y"), "Stand:N", "Anträge:Q"],
        )
    )


def motions_text(motions: pd.DataFrame) -> str:
    """The bars in words (`queries.initiatives` rows in): how many motions in which months by state, and
    those without a date."""
    frame, undated = motions_by_month(motions), int(motions["filed_on"].isna().sum())
    apart = f" Ohne Datum (nicht eingezeichnet): {counted(undated, 'Antrag', 'Anträge')}." if undated else ""
    if frame.empty:
        return "Noch kein Antrag mit Datum eingetragen." + apart
    first, last = frame["Monat"].min(), frame["Monat"].max()
    return (
        f"{counted(int(frame['Anträge'].sum()), 'Antrag', 'Anträge')} von {first:%m.%Y} bis {last:%m.%Y}: "
        + ", ".join(f"{int(n)} {s}" for s, n in frame.groupby("Stand")["Anträge"].sum().items())
        + "."
        + apart
    )
