"""Static PNG maps (geopandas + matplotlib, no tiles): for slides and for the Kreis-Steckbrief."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from integra import geodata
from integra.formatting import short_name
from integra.vocab import CONCEPT_COLOURS, CONCEPT_STRIPES, PARTNER_STYLE, concept_phrase

SLIDE_4_3 = (10, 7.5)
SLIDE_16_9 = (13.33, 7.5)
ATTRIBUTION = "Grenzen: © GeoBasis-DE / BKG (2021), Daten verändert, dl-de/by-2-0; Einwohner: © Destatis"


def _legend_handles(areas: gpd.GeoDataFrame, partners: pd.DataFrame) -> list[Artist]:
    """Rows for what the picture shows: the statuses drawn (striped like the map) and the partner types."""
    drawn = set(areas["status"])
    handles: list[Artist] = [
        Patch(
            facecolor=colour,
            edgecolor=CONCEPT_STRIPES.get(status, "#444"),
            hatch="////" if status in CONCEPT_STRIPES else None,
            label=concept_phrase(status),
        )
        for status, colour in CONCEPT_COLOURS.items()
        if status in drawn
    ]
    present = set(partners["type"]) if len(partners) else set()
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            markerfacecolor=colour,
            markeredgecolor="#000",
            label=f"Partner: {ptype} ({letter})",
        )
        for ptype, (colour, letter) in PARTNER_STYLE.items()
        if ptype in present
    ]
    return handles


def _draw(ax: Axes, areas: gpd.GeoDataFrame, edge: str, width: float, alpha: float) -> None:
    """Areas in their status colours; striped statuses get their stripes on top, as on the web map."""
    for status, group in areas.groupby("status"):
        group.plot(ax=ax, color=CONCEPT_COLOURS[status], edgecolor=edge, linewidth=width, alpha=alpha)
        if status in CONCEPT_STRIPES:
            group.plot(ax=ax, facecolor="none", edgecolor=CONCEPT_STRIPES[status], hatch="////", linewidth=0)


def render(
    areas: gpd.GeoDataFrame,
    partners: pd.DataFrame,
    title: str = "",
    subtitle: str = "",
    highlight: str | None = None,
    labels: bool = True,
    outlines: gpd.GeoDataFrame | None = None,
    size: tuple[float, float] = SLIDE_4_3,
    legend: bool = True,
) -> bytes:
    """Areas (with `status`, `name`, `ags`) coloured by concept status, partners as lettered dots, as PNG.

    The legend sits to the right of the map, outside it (inside it covered Kreise); `subtitle`
    carries the Stand and the source under the title.
    """
    # A Figure of its own, not pyplot: no global figure registry shared by concurrent sessions on the server.
    fig = Figure(figsize=size, dpi=150)
    # A fixed layout, so a 16:9 picture stays 16:9: title and Stand on top, the map on the left,
    # the legend beside it (inside the map it covered Kreise), the licence line at the bottom.
    top = 0.86 if title else 0.97
    handles = _legend_handles(areas, partners) if legend else []
    ax = fig.add_axes((0.02, 0.05, (0.70 if handles else 0.96), top - 0.05))
    _draw(
        ax,
        areas if highlight is None else areas[areas["ags"] != highlight],
        "#444",
        0.5,
        0.85 if highlight is None else 0.5,
    )
    if highlight is not None:
        _draw(ax, areas[areas["ags"] == highlight], "#000", 2, 1)
    if outlines is not None:
        outlines.boundary.plot(ax=ax, color="#000", linewidth=1.4)
    if labels:
        for rec in areas.itertuples():
            point = rec.geometry.representative_point()
            ax.annotate(
                short_name(rec.name),
                (point.x, point.y),
                ha="center",
                fontsize=8 if rec.ags == highlight else 6,
                color="#111",
                weight="bold" if rec.ags == highlight else "normal",
                path_effects=[patheffects.withStroke(linewidth=2, foreground="#fff")],
            )
    for rec in partners.itertuples():
        colour, letter = PARTNER_STYLE[rec.type]
        ax.scatter(rec.lon, rec.lat, s=70, color=colour, edgecolor="#000", zorder=3)
        ax.annotate(letter, (rec.lon, rec.lat), ha="center", va="center", fontsize=5, color="#fff", zorder=4)
    ax.set_axis_off()
    ax.set_aspect(1 / 0.66)  # about 1/cos(49°): Bavaria is not squashed
    if handles:  # right beside the map as drawn (its aspect leaves part of the axes empty)
        ax.set_anchor("W")
        ax.apply_aspect()
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(ax.get_position().x1 + 0.02, top),
            fontsize=9,
            frameon=False,
        )
    if title:
        fig.text(0.02, 0.95, title, fontsize=16, weight="bold", va="center")
    if subtitle:
        fig.text(0.02, 0.905, subtitle, fontsize=9, color="#333", va="center")
    fig.text(0.02, 0.015, ATTRIBUTION, fontsize=6, color="#333")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def kreise_with_status(kreise: pd.DataFrame) -> gpd.GeoDataFrame:
    """Kreis polygons joined with the concept facts of `queries.kreise`."""
    return geodata.kreise()[["ags", "geometry"]].merge(kreise[["ags", "name", "status"]], on="ags")
