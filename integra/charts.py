"""Altair charts of the Lücken page, coloured like the map."""

from __future__ import annotations

import altair as alt
import pandas as pd

from integra.vocab import CONCEPT_COLOURS, CONCEPT_STATUSES, REGIERUNGSBEZIRKE


def coverage(frame: pd.DataFrame) -> alt.Chart:
    """Stacked bars: Kreise per Regierungsbezirk by concept status."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("regbez:N", sort=list(REGIERUNGSBEZIRKE), title=None),
            y=alt.Y("Kreise:Q", title="Kreise und kreisfreie Städte"),
            color=alt.Color(
                "status:N",
                title="Konzept",
                sort=list(CONCEPT_STATUSES),
                scale=alt.Scale(domain=list(CONCEPT_COLOURS), range=list(CONCEPT_COLOURS.values())),
            ),  # fmt: skip
            order=alt.Order("order:Q"),
            tooltip=["regbez", "status", "Kreise"],
        )
        .transform_calculate(order=f"indexof({list(CONCEPT_STATUSES)}, datum.status)")
    )


def timeline(frame: pd.DataFrame) -> alt.Chart:
    """Cumulative number of Kreise and Gemeinden with a dated concept."""
    return (
        alt.Chart(frame)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("Jahr:O", title="Jahr"),
            y=alt.Y("Anzahl:Q", title="mit Konzept (kumuliert)", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("Ebene:N", scale=alt.Scale(range=["#0072B2", "#E69F00"])),
            tooltip=["Ebene", "Jahr", "Anzahl"],
        )
    )
