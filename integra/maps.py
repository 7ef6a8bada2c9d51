"""The folium map of Bavaria: concept status by area, Regierungsbezirk outlines, KIZ and partners.

`build_map` is a pure function of the facts (DataFrames from `integra.queries`) and the view
the user chose; it knows nothing about Streamlit, so tests can inspect the map it returns
and exports reuse it. Every text that came from the store is HTML-escaped here and reaches
the browser only as JSON data of the layers in `integra.maplayers`, never as script or template.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass, field
from functools import cache
from typing import Any

import folium
import pandas as pd
from sqlalchemy import Engine

from integra import geodata, queries, reports, staticmap
from integra.assets import APP_PREFIX, INLINE_PREFIX, inline, localize
from integra.config import BASEMAP_OSM, BASEMAPS
from integra.formatting import confidence_de, counted, esc, first_link, is_blank, short_name, source_html, year_text
from integra.labels import kiz_label
from integra.maplayers import (
    AreaRow,
    Areas,
    Attribution,
    Control,
    Labels,
    LayerSwitch,
    Markers,
    Style,
    View,
    marker_style,
)
from integra.vocab import (
    ALL_BAVARIA,
    CONCEPT_COLOURS,
    CONCEPT_STATUSES,
    CONCEPT_STRIPES,
    INITIATIVE_ASKS,
    INITIATIVE_COLOURS,
    INITIATIVE_STATUSES,
    KIZ_COLOURS,
    KIZ_ELIGIBLE,
    KIZ_STATUSES,
    PARTNER_COUNT_NOTE,
    PARTNER_STYLE,
    PARTNER_TYPES,
    REGIERUNGSBEZIRKE,
    concept_phrase,
    status_label,
    structure_line,
)

LEVEL_KREISE = "Kreise"
LEVEL_GEMEINDEN = "Gemeinden"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # also the one outside host the map may load from
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright" target="_blank">OpenStreetMap-Mitwirkende</a>'


@dataclass(frozen=True)
class MapView:
    """What the user chose in the sidebar; the map shows exactly this."""

    regbez: str = ALL_BAVARIA
    level: str = LEVEL_KREISE
    statuses: tuple[str, ...] = CONCEPT_STATUSES
    partner_types: tuple[str, ...] = PARTNER_TYPES
    initiative_statuses: tuple[str, ...] = INITIATIVE_STATUSES
    basemap: str = BASEMAP_OSM
    large: bool = False  # bigger legend and markers (projector)

    def key(self) -> str:
        """The view as compact JSON, for the map's address (another process rebuilds the map from it)."""
        return json.dumps(astuple(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_key(cls, key: str) -> MapView | None:
        """The view of `key`, or None unless every value is one the sidebar can choose (a stranger's
        address must not make the server build maps of views nobody can see)."""
        try:
            regbez, level, statuses, partner_types, initiatives, basemap, large = json.loads(key)
            view = cls(regbez, level, tuple(statuses), tuple(partner_types), tuple(initiatives), basemap, large)
            choices = (
                (view.statuses, CONCEPT_STATUSES),
                (view.partner_types, PARTNER_TYPES),
                (view.initiative_statuses, INITIATIVE_STATUSES),
            )
            valid = (
                view.regbez in (ALL_BAVARIA, *REGIERUNGSBEZIRKE)
                and view.level in (LEVEL_KREISE, LEVEL_GEMEINDEN)
                and view.basemap in BASEMAPS
                and isinstance(view.large, bool)
                and all(len(set(chosen)) == len(chosen) and set(chosen) <= set(allowed) for chosen, allowed in choices)
            )
        except (TypeError, ValueError):  # not JSON, not seven values, or values of the wrong kind
            return None
        return view if valid else None


@dataclass(frozen=True)
class MapData:
    """The facts to draw, as returned by `integra.queries` for the chosen Regierungsbezirk."""

    kreise: pd.DataFrame
    partners: pd.DataFrame
    centres: pd.DataFrame
    gemeinden: pd.DataFrame | None = None
    structures: pd.DataFrame = field(default_factory=pd.DataFrame)
    pending: Mapping[str, int] = field(default_factory=dict)  # visitors' reports waiting, by AGS
    initiatives: pd.DataFrame = field(default_factory=pd.DataFrame)  # motions on their way (queries.initiatives)


@dataclass(frozen=True)
class AppLinks:
    """Addresses of the app's pages that popups link to, relative to the map's frame. Only the app has
    these pages: exported maps (HTML, PNG) are built without links."""

    steckbrief: Callable[[str], str]  # Kreis name -> Lücken page with that Kreis's Steckbrief chosen
    melden: Callable[[str], str]  # AGS -> the report form with that area chosen
    partner: Callable[[int], str]  # partner id -> the report form with that partner chosen for a correction
    antrag: Callable[[str], str]  # AGS -> the Lücken page with the draft motion for that area chosen


def map_data(engine: Engine, view: MapView) -> MapData:
    """The facts one view draws, read from the store (the web layer caches each part instead)."""
    return MapData(
        kreise=queries.kreise(engine, view.regbez),
        partners=queries.partners(engine, view.regbez, view.partner_types),
        centres=queries.integration_centres(engine, view.regbez),
        gemeinden=queries.gemeinden(engine, view.regbez) if view.level == LEVEL_GEMEINDEN else None,
        structures=queries.structures(engine),
        pending=reports.pending_by_region(engine),
        initiatives=queries.initiatives(engine, view.regbez),
    )


# Every map: the fold button of the legend and the two-finger hint on phones (integra.maplayers).
MAP_CSS = (
    ".integra-toggle{display:block;margin-left:auto;font:600 13px sans-serif;background:#fff;color:#1d2730;"
    "border:1px solid #888;border-radius:4px;padding:4px 10px;cursor:pointer}"
    ".integra-gesture-hint{display:none;position:absolute;top:0;left:0;right:0;bottom:0;z-index:1000;"
    "background:rgba(0,0,0,.45);color:#fff;font:600 17px/1.3 sans-serif;padding-top:35%;text-align:center;"
    "pointer-events:none}"
    "@media (max-width:600px){.leaflet-control-attribution{font-size:9px;line-height:1.25}}"
    # a popup never wider than the map (367 px in a 358-px phone frame hid the close button)
    ".leaflet-popup-content{max-width:calc(100vw - 64px);overflow-wrap:anywhere}"
    ".integra-label-icon{width:0;height:0}"
    # Neutral clusters (the default green/yellow bubbles clashed with the status colours), a small
    # attribution that leaves the scale bar free, and a layer control no bigger than the legend.
    ".marker-cluster-small,.marker-cluster-medium,.marker-cluster-large{background-color:rgba(29,39,48,.3)}"
    ".marker-cluster-small div,.marker-cluster-medium div,.marker-cluster-large div{background-color:#1d2730;"
    "color:#fff;font-weight:700}"
    ".leaflet-control-attribution{font-size:11px}.leaflet-control-layers{font-size:12px}"
    ".integra-label{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;font:600 11px sans-serif;"
    "color:#111;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;pointer-events:none}"
)
# Projector: large type in tooltips, popups and controls, readable from the back of a room; the
# map fills the frame, whose height follows the screen (web.filters.presentation_header).
PRESENTATION_CSS = (
    ".leaflet-tooltip{font-size:18px;font-weight:600;color:#000;border:2px solid #000}"
    ".leaflet-popup-content{font-size:17px;line-height:1.45}"
    ".leaflet-control-layers{font-size:17px}.leaflet-control-attribution{font-size:13px}"
    ".folium-map{height:100vh!important}.integra-label{font-size:15px}"
)


def _pattern_id(status: str) -> str:
    return "integra-stripes-" + str(CONCEPT_STATUSES.index(status))


def _fill_css(status: str) -> str:
    """The CSS background of a status swatch: its colour, striped like the map where the map stripes it."""
    colour = CONCEPT_COLOURS[status]
    if status in CONCEPT_STRIPES:
        return f"repeating-linear-gradient(45deg,{colour} 0 4px,{CONCEPT_STRIPES[status]} 4px 6px)"
    return colour


def _swatch(background: str, label: str, count: int | None = None, border: str = "1px solid #333") -> str:
    suffix = f" ({count})" if count is not None else ""
    return (
        '<div><span style="display:inline-block;box-sizing:border-box;width:1.1em;height:1.1em;'
        f"background:{background};"
        f'border:{border};vertical-align:middle;margin-right:.4em"></span>{esc(label)}{suffix}</div>'
    )


def _badge(colour: str, letter: str, square: bool, size: int) -> str:
    """The HTML of a marker: a letter on a coloured disc (partners) or square (KIZ)."""
    radius = "3px" if square else "50%"
    text = "#000" if colour.upper() in ("#FFFFFF", "#E69F00", "#56B4E9") else "#fff"
    # `font` resets line-height, so line-height must come after it to centre the letter.
    return (
        f'<div style="box-sizing:border-box;width:{size}px;height:{size}px;border-radius:{radius};'
        f"background:{colour};color:{text};border:2px solid #222;text-align:center;flex:none;"
        f'font:bold {int(size * 0.55)}px sans-serif;line-height:{size - 4}px;box-shadow:0 0 2px #fff">'
        f"{esc(letter)}</div>"
    )


def _legend_html(view: MapView, data: MapData, statuses: list[str], eligible: int) -> str:
    """The key to what this view draws: rows with nothing on the map are left out."""
    counts = Counter(statuses)
    size = 22 if view.large else 16
    parts = [
        f'<div style="font:{"18px" if view.large else "12px"}/1.4 sans-serif;background:rgba(255,255,255,.92);'
        f"padding:8px 10px;border:{'2px solid #000' if view.large else '1px solid #888'};border-radius:4px;"
        f'max-width:{340 if view.large else 260}px">',
        f"<b>Integrationskonzept ({esc(view.level)})</b>",
    ]
    parts += [_swatch(_fill_css(s), status_label(s), counts[s]) for s in view.statuses if counts[s]]
    if not statuses:
        parts.append("<div>keine Fläche im Filter</div>")
    if eligible:
        parts.append(
            _swatch(
                CONCEPT_COLOURS["vorhanden"],
                f"{KIZ_ELIGIBLE} (Konzept, noch kein KIZ)",
                eligible,
                border="2px dashed #000",
            )
        )
    kiz = Counter(data.centres["status"]) if len(data.centres) else Counter()
    if kiz:
        parts.append("<b>Kommunale Integrationszentren</b>")
        parts += [
            f'<div style="display:flex;align-items:center;gap:.4em">'
            f"{_badge(KIZ_COLOURS[s], 'K', True, size)}{esc(s)} ({kiz[s]})</div>"
            for s in KIZ_STATUSES
            if kiz[s]
        ]
    motions = Counter(_motions_shown(view, data)["status"]) if len(data.initiatives) else Counter()
    if motions:
        parts.append("<b>Anträge (Initiativen)</b>")
        parts += [
            f'<div style="display:flex;align-items:center;gap:.4em">'
            f"{_badge(INITIATIVE_COLOURS[s], '§', False, size)}{esc(s)} ({motions[s]})</div>"
            for s in INITIATIVE_STATUSES
            if motions[s]
        ]
    partners = Counter(data.partners["type"]) if len(data.partners) else Counter()
    if partners:
        parts.append("<b>Partner (Sitz)</b>")
        for ptype in view.partner_types:
            if partners[ptype]:
                colour, letter = PARTNER_STYLE[ptype]
                parts.append(
                    f'<div style="display:flex;align-items:center;gap:.4em">'
                    f"{_badge(colour, letter, False, size)}{esc(ptype)} ({partners[ptype]})</div>"
                )
        parts.append(f"<small>{esc(PARTNER_COUNT_NOTE)}</small>")
    parts.append("</div>")
    return "".join(parts)


def _source_line(source: object, confidence: object, source_year: object = None) -> str:
    """'Quelle: <links> · Stand der Quelle: 2016 · Verlässlichkeit: niedrig' – every fact on the map says
    where it came from and, where the source gives it, how old that is."""
    line = f"Quelle: {source_html(source)}"
    if year := year_text(source_year):
        line += f" · Stand der Quelle: {year}"
    if not is_blank(confidence):
        line += f" · Verlässlichkeit: {esc(confidence_de(confidence))}"
    return line


def _concept_lines(row: Mapping[str, Any]) -> list[str]:
    lines = [f"Integrationskonzept: <b>{esc(status_label(row['status']))}</b>"]
    if not is_blank(row.get("title")):
        year = year_text(row.get("year"))
        lines.append(esc(row["title"]) + (f" ({year})" if year else " (Jahr unbekannt)"))
    if not is_blank(row.get("evidence")):
        lines.append(f"<i>{esc(row['evidence'])}</i>")
    if row["status"] != "unbekannt" or not is_blank(row.get("source_url")):
        lines.append(_source_line(row.get("source_url"), row.get("confidence")))
    else:
        lines.append("<small>In den durchsuchten Quellen nichts gefunden – das heißt nicht „kein Konzept“.</small>")
    if not is_blank(row.get("checked_on")):
        lines.append(f"<small>Geprüft am {pd.Timestamp(row['checked_on']).strftime('%d.%m.%Y')}</small>")
    return lines


def _structure_lines(structures: pd.DataFrame) -> dict[str, list[str]]:
    """Escaped lines about Integrationsbeiräte etc., grouped by Kreis once per map."""
    lines: dict[str, list[str]] = {}
    for rec in structures.itertuples():
        lines.setdefault(rec.kreis_ags, []).append(
            f"<small>{esc(structure_line(rec.type, rec.detail))} ({source_html(rec.source_url)})</small>"
        )
    return lines


def _keyed_link(texts: _Texts, href: Callable[[Any], str], label: str) -> tuple[int, int]:
    """A popup line linking to `href(key)`, as the two shared fragments around the key: a popup sends only
    its key (an AGS or a partner id, digits that need no escaping) between them."""
    before, after = (esc(part) for part in href("0").rsplit("0", 1))
    return texts.ref(f'<br><a href="{before}'), texts.ref(f'{after}" target="_blank" rel="noopener">{label}</a>')


def _action_parts(
    pending: Mapping[str, int], links: AppLinks | None, texts: _Texts
) -> Callable[[Mapping[str, Any]], list[str | int]]:
    """The end of an area's popup: how many visitors' reports wait (a count, never their content), and what
    to do next here: the draft motion and the report form (not for a gemeindefreies Gebiet: it has no council
    and nobody reports on it). The links' fragments are made once per layer."""
    around = (
        [_keyed_link(texts, links.antrag, "Antragsentwurf"), _keyed_link(texts, links.melden, "Etwas melden")]
        if links
        else []
    )

    def parts(row: Mapping[str, Any]) -> list[str | int]:
        ags, found = row["ags"], list[str | int]()
        if count := pending.get(ags, 0):
            found.append(texts.ref(f"<br><small>{counted(count, 'Meldung', 'Meldungen')} in Prüfung</small>"))
        if row.get("is_gemeinde", True) is not False:
            for before, after in around:
                found += [before, ags, after]
        return found

    return parts


def _kreis_popup(row: Mapping[str, Any], structure_lines: list[str], links: AppLinks | None) -> list[str]:
    """The lines of a Kreis popup after its bold name (the first continues the name's line)."""
    lines = [f" <small>({esc(row['regbez'])})</small>", *_concept_lines(row)]
    if kiz := kiz_label(row.get("kiz_status"), row.get("foerderfaehig")):
        name = row.get("kiz_name")
        lines.append(f"KIZ: <b>{esc(kiz)}</b>" + ("" if is_blank(name) else f" – {esc(name)}"))
    lines.append(f"Partner mit Sitz hier: {int(row['partner'])}")
    lines += structure_lines  # before the links, which then stay together (walkthrough 27.11.)
    if links:
        href = links.steckbrief(row["name"])
        lines.append(f'<a href="{esc(href)}" target="_blank" rel="noopener">Kreis-Steckbrief (PDF) öffnen</a>')
    return lines


def _gemeinde_popup(row: Mapping[str, Any]) -> list[str]:
    return [f" <small>({esc(row['kind'])})</small>", *_concept_lines(row)]


ELIGIBLE_STYLE = "vorhanden, förderfähig"


def _area_styles(view: MapView) -> dict[str, dict[str, object]]:
    """Leaflet path style per concept status: high contrast on a projector, thinner borders for Gemeinden.

    A Kreis förderfähig nach Antrag A3 (concept, no KIZ yet) gets a dashed black outline on its
    area: the "K" square is kept for real KIZ records (as a marker it read as "a KIZ is here").
    """
    weight = (0.6 if view.level == LEVEL_GEMEINDEN else 1) * (1.6 if view.large else 1)
    styles: dict[str, dict[str, object]] = {
        status: {
            "fillColor": colour,
            "color": "#000" if view.large else "#444",
            "weight": weight,
            "fillOpacity": 0.85 if view.large else 0.65,
        }
        for status, colour in CONCEPT_COLOURS.items()
    }
    for status in CONCEPT_STRIPES:
        styles[status]["fillColor"] = f"url(#{_pattern_id(status)})"
    styles[ELIGIBLE_STYLE] = {**styles["vorhanden"], "color": "#000", "weight": 3 * weight, "dashArray": "7 5"}
    return styles


def _area_layer(view: MapView, data: MapData, links: AppLinks | None) -> tuple[list[str], int, Areas]:
    """Kreise or Gemeinden coloured by concept status, with tooltip and popup; also the statuses drawn
    and how many drawn Kreise are förderfähig nach Antrag A3."""
    if view.level == LEVEL_GEMEINDEN and data.gemeinden is not None:
        facts, layer, lines_of = data.gemeinden, "gemeinden", _gemeinde_popup
    else:
        structures = _structure_lines(data.structures)
        facts, layer = data.kreise, "kreise"

        def lines_of(row: Mapping[str, Any]) -> list[str]:
            return _kreis_popup(row, structures.get(row["ags"], []), links)

    texts = _Texts()
    actions = _action_parts(data.pending, links, texts)

    def popup(row: Mapping[str, Any]) -> list[str | int]:
        first, *lines = lines_of(row)
        parts: list[str | int] = [texts.ref(first), *(texts.ref("<br>" + line) for line in lines)]
        return parts + actions(row)

    rows = facts[facts["status"].isin(view.statuses)].to_dict("records")
    eligible = {row["ags"] for row in rows if kiz_label(None, row.get("foerderfaehig"))}  # NaN for Gemeinden
    areas: list[AreaRow] = [
        (
            row["ags"],
            ELIGIBLE_STYLE if row["ags"] in eligible else row["status"],
            str(row["name"]),
            texts.ref(f": {concept_phrase(row['status'])}" + (f" – {KIZ_ELIGIBLE}" if row["ags"] in eligible else "")),
            popup(row),
        )
        for row in rows
    ]
    patterns = [
        {"id": _pattern_id(s), "fill": CONCEPT_COLOURS[s], "stripe": stripe} for s, stripe in CONCEPT_STRIPES.items()
    ]
    area_layer = Areas(
        geodata.topology(layer),
        areas,
        _area_styles(view),
        texts.values(),
        name=f"{view.level} nach Konzeptstatus",
        highlight={"weight": 3, "color": "#000"},
        patterns=patterns,
    )
    return [row["status"] for row in rows], len(eligible), area_layer


def _regbez_layer(view: MapView) -> Areas:
    style = {"fill": False, "color": "#111", "weight": 3 if view.large else 2.2}
    rows: list[AreaRow] = [
        (name, "outline", None, None, None)
        for name in geodata.regierungsbezirke()["name"]
        if view.regbez in (ALL_BAVARIA, name)
    ]
    return Areas(
        geodata.topology("regierungsbezirke"),
        rows,
        {"outline": style},
        [],
        name="Regierungsbezirke (Grenzen)",
        interactive=False,
    )


def _label_layer(data: MapData) -> Labels:
    """The Kreis names at their representative points ("Which one is Kulmbach?" without hovering)."""
    centres = geodata.kreis_centres()
    kreise = data.kreise.sort_values("population", ascending=False)  # where names collide, the larger place wins
    rows = [
        [round(centres[ags].y, 5), round(centres[ags].x, 5), short_name(name)]
        for ags, name in zip(kreise["ags"], kreise["name"], strict=True)
    ]
    return Labels(rows, name="Namen der Kreise")


def _kiz_layer(view: MapView, data: MapData) -> Markers:
    """KIZ records at their point (else the Kreis centre), coloured by status."""
    size = 26 if view.large else 20
    # Anchored at its lower-right corner: the square sits beside a partner cluster at the same town.
    styles = [
        marker_style("integra-kiz", _badge(KIZ_COLOURS[s], "K", True, size), size, (size + 4, size + 4))
        for s in KIZ_STATUSES
    ]
    style_of = {status: i for i, status in enumerate(KIZ_STATUSES)}
    centres = geodata.kreis_centres()
    rows: list[list[object]] = []
    for rec in data.centres.itertuples():
        centre = centres[rec.kreis_ags]
        lat, lon = (rec.lat, rec.lon) if not is_blank(rec.lat) else (centre.y, centre.x)
        popup = (
            f"<b>{esc(rec.name)}</b><br>KIZ-Status: <b>{esc(rec.status)}</b><br>{esc(rec.kreis)}"
            f"<br>{esc(rec.note)}<br>Quelle: {source_html(rec.source_url)}"
        )
        rows.append([lat, lon, style_of[rec.status], f"KIZ {rec.status}: {rec.name}", [popup]])
    return Markers(rows, styles, [], name="Kommunale Integrationszentren")


def _motions_shown(view: MapView, data: MapData) -> pd.DataFrame:
    return data.initiatives[data.initiatives["status"].isin(view.initiative_statuses)]


def _initiative_layer(view: MapView, data: MapData) -> Markers:
    """Motions on their way at the Kreis centre or the Gemeinde's point, coloured by their state; the popup
    names the council, what the motion asks, its date and its sources."""
    size = 24 if view.large else 18
    # Anchored at its upper-left corner: the disc sits beside a KIZ square or a partner cluster at the same place.
    styles = [
        marker_style("integra-initiative", _badge(INITIATIVE_COLOURS[s], "§", False, size), size, (-4, -4))
        for s in INITIATIVE_STATUSES
    ]
    rows: list[list[object]] = []
    for rec in _motions_shown(view, data).itertuples():
        when = "" if is_blank(rec.filed_on) else f" · {pd.Timestamp(rec.filed_on):%d.%m.%Y}"
        lines = [
            f"<b>{esc(rec.title)}</b>",
            f"{esc(rec.body)} {esc(rec.area)}: <b>{esc(rec.status)}</b>{when}",
            f"Antrag auf: {esc(INITIATIVE_ASKS[rec.asks])}",
        ]
        if not is_blank(rec.note):
            lines.append(esc(rec.note))
        if first_link(rec.document_url):
            lines.append(f"Dokument: {source_html(rec.document_url)}")
        lines.append(f"Quelle: {source_html(rec.source_url)}")
        title = f"Antrag {rec.status}: {rec.area} – {rec.title}"
        rows.append([rec.lat, rec.lon, INITIATIVE_STATUSES.index(rec.status), title, ["<br>".join(lines)]])
    return Markers(rows, styles, [], name="Anträge (Initiativen)")


def _joined(values: tuple[object, ...], sep: str) -> str:
    return sep.join(str(v) for v in values if not is_blank(v))


class _Texts:
    """Distinct HTML fragments, each stored once and referred to by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ref(self, fragment: str) -> int:
        return self.index.setdefault(fragment, len(self.index))

    def maker(self, make: Callable[..., str]) -> Callable[..., int]:
        """`make` turned into "index of the fragment for these inputs", each input combination made once."""
        return cache(lambda *inputs: self.ref(make(*inputs)))

    def values(self) -> list[str]:
        return list(self.index)


def _partner_extras(website: object, contact: object) -> str:
    extras = ""
    if not is_blank(website):
        extras += f"<br>Web: {source_html(website)}"
    if not is_blank(contact):
        extras += f"<br>Kontakt: {esc(contact)}"
    return extras


_PARTNER_COLUMNS = (
    "type",
    "name",
    "kind_detail",
    "kreis",
    "precision",
    "website",
    "contact",
    "source_url",
    "confidence",
    "source_year",
)


def _text_column(column: pd.Series) -> pd.Series:
    """A column as stripped text with blanks as '' (`is_blank` for a whole column at once)."""
    return column.astype("str").fillna("").str.strip()


def _partner_addresses(partners: pd.DataFrame) -> list[str]:
    """'Straße, PLZ Ort' (what is known of it, else the Gemeinde) of every partner, escaped."""
    street, plz, city, gemeinde = (_text_column(partners[c]) for c in ("street", "plz", "city", "gemeinde"))
    town = (plz + " " + city).str.strip()
    address = street.where(town.eq(""), street + ", " + town).where(street.ne(""), town)
    return list(map(html.escape, address.where(address.ne(""), gemeinde)))


def _partner_rows(partners: pd.DataFrame, links: AppLinks | None) -> tuple[list[list[object]], list[str]]:
    """`Markers` rows of the partners and the shared fragments their popups point into.

    Column lists instead of `itertuples`, addresses joined by pandas for all rows at once, the name
    sent once (the popup heading is made from the title in the browser),
    and every repeated fragment (one source for a whole upload, a few dozen Kreise and types) escaped
    once: 20,000 partners took 2 s, then 0.4 s, now about 0.15 s. With
    `links`, a popup ends in "Etwas melden" for its partner: the link's text around the id is shared
    too (the address is split at the id, which is a number and needs no escaping).
    """
    texts = _Texts()
    report_link = _keyed_link(texts, links.partner, "Etwas melden") if links else None
    kind_ref = texts.maker(
        lambda ptype, detail: "<br>" + esc(_joined((ptype, None if detail == ptype else detail), " – "))
    )
    kreis_ref = texts.maker(
        lambda kreis, precision: f"<br><small>{esc(kreis)}; Lage genau auf: {esc(precision)}</small>"
    )
    extras_ref = texts.maker(_partner_extras)
    source_ref = texts.maker(lambda source, confidence, year: "<br>" + _source_line(source, confidence, year))
    type_index = {ptype: i for i, ptype in enumerate(PARTNER_TYPES)}
    rows = []
    ids = partners["id"].tolist() if links else [None] * len(partners)  # an upload's preview has no ids yet
    places = partners[["lat", "lon"]].astype(float).round(5)  # one call; `round` per value cost 0.2 s
    for (
        partner_id,
        address_html,
        lat,
        lon,
        ptype,
        name,
        detail,
        kreis,
        precision,
        website,
        contact,
        source,
        confidence,
        source_year,
    ) in zip(
        ids,
        _partner_addresses(partners),
        places["lat"].tolist(),
        places["lon"].tolist(),
        *(partners[column].tolist() for column in _PARTNER_COLUMNS),
        strict=True,
    ):
        popup = [  # after the name in bold (`Markers(heading=True)`)
            kind_ref(ptype, detail),
            f"<br>{address_html}",
            kreis_ref(kreis, precision),
            extras_ref(website, contact),
            source_ref(source, confidence, source_year),
            *([report_link[0], str(int(partner_id)), report_link[1]] if report_link else []),
        ]
        rows.append([lat, lon, type_index[ptype], str(name), popup])
    return rows, texts.values()


def _base_map(bounds: list[list[float]], basemap: str) -> folium.Map:
    """An empty map of `bounds`, with or without OSM tiles and with the licence note."""
    (south, west), (north, east) = bounds
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=7,
        tiles=None,
        maxZoom=18,
        minZoom=6,
        zoomSnap=0.25,
    )
    if basemap == BASEMAP_OSM:
        folium.TileLayer(OSM_TILES, name="OpenStreetMap", attr=OSM_ATTRIBUTION, max_zoom=18, control=False).add_to(fmap)
    Attribution(geodata.MAP_ATTRIBUTION).add_to(fmap)
    return fmap


def _partner_layer(partners: pd.DataFrame, size: int, links: AppLinks | None = None) -> Markers:
    rows, texts = _partner_rows(partners, links)
    styles = [
        marker_style(
            "integra-partner",
            _badge(*PARTNER_STYLE[t], square=False, size=size),
            size,
            (size // 2, size // 2),
            suffix=f" ({t})",
        )
        for t in PARTNER_TYPES
    ]
    return Markers(rows, styles, texts, name="Partner (geclustert)", cluster={"maxClusterRadius": 40}, heading=True)


def build_map(
    view: MapView,
    data: MapData,
    asset_prefix: str = APP_PREFIX,
    links: AppLinks | None = None,
) -> folium.Map:
    """The complete map for one view, with local assets, layer control and legend.

    With `links` (only the app has those pages) every Kreis popup links to the Kreis's Steckbrief, and
    every area's and partner's popup to the report form for it.
    """
    bounds = geodata.bounds(view.regbez)
    fmap = _base_map(bounds, view.basemap)
    statuses, eligible, layer = _area_layer(view, data, links)
    layer.add_to(fmap)
    _regbez_layer(view).add_to(fmap)
    if view.level == LEVEL_KREISE and view.regbez != ALL_BAVARIA:  # all 96 names would cover Bavaria
        _label_layer(data).add_to(fmap)
    _kiz_layer(view, data).add_to(fmap)
    if len(data.initiatives) and len(_motions_shown(view, data)):
        _initiative_layer(view, data).add_to(fmap)
    _partner_layer(data.partners, 24 if view.large else 18, links).add_to(fmap)
    LayerSwitch(
        [child for child in fmap._children.values() if isinstance(child, Areas | Labels | Markers)],
        fold=view.large,
    ).add_to(fmap)
    Control(_legend_html(view, data, statuses, eligible), "integra-legend", toggle="Legende").add_to(fmap)
    Style(MAP_CSS + (PRESENTATION_CSS if view.large else "")).add_to(fmap)
    # Keep the area clear of the legend on the right (on a phone the legend starts folded).
    View(bounds, legend_width=330 if view.large else 270).add_to(fmap)
    return localize(fmap, asset_prefix)


def points_map(partners: pd.DataFrame, basemap: str, asset_prefix: str = APP_PREFIX) -> folium.Map:
    """A small map of some partners (the new ones of an upload preview), zoomed to them."""
    bounds = geodata.bounds(ALL_BAVARIA)
    if len(partners):
        pad = 0.05
        bounds = [
            [partners["lat"].min() - pad, partners["lon"].min() - pad],
            [partners["lat"].max() + pad, partners["lon"].max() + pad],
        ]
    fmap = _base_map(bounds, basemap)
    _partner_layer(partners, 18).add_to(fmap)
    Style(MAP_CSS).add_to(fmap)  # without it the credits and the phone's gesture hint were unstyled
    View(bounds, legend_width=10).add_to(fmap)
    return localize(fmap, asset_prefix)


def standalone_html(view: MapView, data: MapData) -> str:
    """The map of this view as one HTML file with all scripts inside: opens offline, e.g. from a USB stick."""
    return inline(build_map(view, data, asset_prefix=INLINE_PREFIX).get_root().render())


def static_png(view: MapView, data: MapData, wide: bool = False, stand: str = "") -> bytes:
    """A still image of the view for slides (4:3, or 16:9 with `wide`): areas, Regierungsbezirk borders,
    partners, a legend beside the map and the Stand under the title; no tiles needed."""
    if view.level == LEVEL_GEMEINDEN and data.gemeinden is not None:
        facts = data.gemeinden[data.gemeinden["status"].isin(view.statuses)]
        areas = geodata.gemeinden()[["ags", "geometry"]].merge(facts[["ags", "name", "status"]], on="ags")
    else:
        areas = staticmap.kreise_with_status(data.kreise[data.kreise["status"].isin(view.statuses)])
    outlines = geodata.regierungsbezirke()
    if view.regbez != ALL_BAVARIA:
        outlines = outlines[outlines["name"] == view.regbez]
    title = f"Integrationskonzepte – {'Bayern' if view.regbez == ALL_BAVARIA else view.regbez} ({view.level})"
    subtitle = (
        f"Stand: {stand} · " if stand else ""
    ) + "Quelle: Integrationslandkarte Bayern, recherchierte Einträge mit Quellenangabe"
    return staticmap.render(
        areas,
        data.partners,
        title=title,
        subtitle=subtitle,
        outlines=outlines,
        labels=view.regbez != ALL_BAVARIA and view.level != LEVEL_GEMEINDEN,
        size=staticmap.SLIDE_16_9 if wide else staticmap.SLIDE_4_3,
    )
