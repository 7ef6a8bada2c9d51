"""Altair charts of the Lücken page, coloured like the map."""

from __future__ import annotations

import altair as alt
import pandas as pd

from integra.formatting import counted
from integra.vocab import CONCEPT_COLOURS, REGIERUNGSBEZIRKE, status_label

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
