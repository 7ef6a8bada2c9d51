"""Static PNG maps (geopandas + matplotlib, no tiles): for slides and for the Kreis-Steckbrief."""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from integra import geodata  # noqa: E402
from integra.vocab import CONCEPT_COLOURS, PARTNER_STYLE  # noqa: E402


def render(
    areas: gpd.GeoDataFrame,
    partners: pd.DataFrame,
    title: str = "",
    highlight: str | None = None,
    labels: bool = True,
    outlines: gpd.GeoDataFrame | None = None,
    size: tuple[float, float] = (10, 7.5),
) -> bytes:
    """Areas (with `status`, `name`, `ags`) coloured by concept status, partners as lettered dots, as PNG."""
    fig, ax = plt.subplots(figsize=size, dpi=150)
    faded = areas if highlight is None else areas[areas["ags"] != highlight]
    faded.plot(ax=ax, color=faded["status"].map(CONCEPT_COLOURS), edgecolor="#444", linewidth=0.5,
               alpha=0.85 if highlight is None else 0.5)  # fmt: skip
    if highlight is not None:
        target = areas[areas["ags"] == highlight]
        target.plot(ax=ax, color=target["status"].map(CONCEPT_COLOURS), edgecolor="#000", linewidth=2)
    if outlines is not None:
        outlines.boundary.plot(ax=ax, color="#000", linewidth=1.4)
    if labels:
        for rec in areas.itertuples():
            point = rec.geometry.representative_point()
            ax.annotate(rec.name.replace("Landkreis ", "").replace("Kreisfreie Stadt ", ""), (point.x, point.y),
                        ha="center", fontsize=8 if rec.ags == highlight else 6, color="#111",
                        weight="bold" if rec.ags == highlight else "normal")  # fmt: skip
    for rec in partners.itertuples():
        colour, letter = PARTNER_STYLE[rec.type]
        ax.scatter(rec.lon, rec.lat, s=70, color=colour, edgecolor="#000", zorder=3)
        ax.annotate(letter, (rec.lon, rec.lat), ha="center", va="center", fontsize=5, color="#fff", zorder=4)
    ax.legend(handles=[Patch(color=c, label=f"Konzept {s}") for s, c in CONCEPT_COLOURS.items()],
              loc="lower left", fontsize=7, frameon=True)  # fmt: skip
    if title:
        ax.set_title(title, fontsize=13, loc="left")
    fig.text(0.01, 0.005, "Grenzen: © GeoBasis-DE / BKG (2021), Daten verändert, dl-de/by-2-0; Einwohner: © Destatis",
             fontsize=6, color="#333")  # fmt: skip
    ax.set_axis_off()
    ax.set_aspect(1 / 0.66)  # about 1/cos(49°): Bavaria is not squashed
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def kreise_with_status(kreise: pd.DataFrame) -> gpd.GeoDataFrame:
    """Kreis polygons joined with the concept facts of `queries.kreise`."""
    return geodata.kreise()[["ags", "geometry"]].merge(kreise[["ags", "name", "status"]], on="ags")
