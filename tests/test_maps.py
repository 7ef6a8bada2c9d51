"""The map: features per layer, zoom to the Regierungsbezirk, escaping, local assets only."""

from __future__ import annotations

import json
import re
from collections import OrderedDict

import folium
import pytest
from folium.plugins import MarkerCluster
from sqlalchemy import update

from integra import assets, queries, reports
from integra.config import BASEMAP_NONE, BASEMAP_OSM, PROJECT_DIR
from integra.maplayers import Areas
from integra.maps import LEVEL_GEMEINDEN, AppLinks, MapData, MapView, build_map, map_data
from integra.models import Concept, Partner
from integra.store import transaction
from integra.web import mapframe
from tests.apptest import layer_data

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _data(engine, regbez: str, level: str = "Kreise") -> MapData:
    return map_data(engine, MapView(regbez=regbez, level=level))


def _add_partner(engine, name: str, **fields) -> None:
    """One partner at the point of Stadt Bamberg (`fields` override), added to the test store."""
    values = {
        "name": name,
        "type": "Helferkreis",
        "city": "Bamberg",
        "gemeinde_ags": "09461000",
        "kreis_ags": "09461",
        "lat": 49.887,
        "lon": 10.9,
        "precision": "Gemeinde",
    }
    with transaction(engine) as session:
        session.add(Partner(**(values | fields)))


def area_features(data: dict) -> list[dict]:
    """An `Areas` layer's data as the browser makes features of it: key, style, tooltip and popup HTML
    in `properties`, paired by position with the polygons of the TopoJSON."""
    assert len(data["topo"]["objects"]["areas"]["geometries"]) == len(data["rows"])

    def popup(name: str, parts: list) -> str:
        escaped = re.sub("[&<>\"']", lambda c: f"&#{ord(c.group())};", name)
        text = "".join(data["texts"][p] if isinstance(p, int) else p for p in parts)
        return f'<div style="max-width:320px"><b>{escaped}</b>{text}</div>'

    return [
        {
            "properties": {
                "k": key,
                "s": style,
                "t": None if name is None else name + data["texts"][tip],
                "p": parts and popup(name, parts),
            }
        }
        for key, style, name, tip, parts in data["rows"]
    ]


def _area_features(fmap: folium.Map) -> list[dict]:
    """Features of the status layer, as the browser receives them."""
    layer = next(c for c in fmap._children.values() if isinstance(c, Areas) and c.layer_name.endswith("Konzeptstatus"))
    return area_features(json.loads(layer.js().rsplit("})(", 1)[1][: -len(");")]))


def _marker_layers(html: str) -> list[dict]:
    """The data of the `Markers` layers (one style per icon kind, a list)."""
    return [d for d in layer_data(html) if isinstance(d.get("styles"), list)]


def _partner_rows(html: str) -> list[list]:
    return next(d["rows"] for d in layer_data(html) if d.get("cluster"))


@pytest.mark.parametrize(("regbez", "count"), [("Ganz Bayern", 96), ("Oberfranken", 13), ("Schwaben", 14)])
def test_kreise_layer_has_one_feature_per_kreis_in_html(engine, regbez, count):
    fmap = build_map(MapView(regbez=regbez), _data(engine, regbez))
    features = _area_features(fmap)
    html = fmap.get_root().render()
    assert len(features) == count
    tips = [f["properties"]["t"] for d in layer_data(html) if "topo" in d for f in area_features(d)]
    assert {f["properties"]["t"] for f in features} <= set(tips)


def test_status_filter_and_gemeinden_level(engine):
    fmap = build_map(
        MapView(level=LEVEL_GEMEINDEN, statuses=("vorhanden",)), _data(engine, "Ganz Bayern", LEVEL_GEMEINDEN)
    )
    features = _area_features(fmap)
    with_concept = queries.key_figures(engine).gemeinden_with_concept
    assert len(features) == with_concept > 0 and {f["properties"]["s"] for f in features} == {"vorhanden"}
    all_gemeinden = _area_features(
        build_map(MapView(level=LEVEL_GEMEINDEN), _data(engine, "Ganz Bayern", LEVEL_GEMEINDEN))
    )
    assert len(all_gemeinden) == 2230


def test_map_zooms_to_the_chosen_regierungsbezirk(engine):
    html = build_map(MapView(regbez="Oberfranken"), _data(engine, "Oberfranken")).get_root().render()
    (south, west), (north, east) = next(d["bounds"] for d in layer_data(html) if "bounds" in d)
    assert 49.5 < south < north < 50.6 and 10.4 < west < east < 12.3


def test_partners_kiz_legend_and_attribution_are_in_the_map(engine):
    html = build_map(MapView(), _data(engine, "Ganz Bayern")).get_root().render()
    assert len(_partner_rows(html)) == len(queries.partners(engine))
    kiz = next(d for d in _marker_layers(html) if d["styles"][0]["cls"] == "integra-kiz")
    assert len(kiz["rows"]) == len(queries.integration_centres(engine))  # a "K" only for a real KIZ record
    # A Kreis with a concept and no KIZ (förderfähig nach Antrag A3) is drawn on its area, dashed.
    kreise = queries.kreise(engine, "Ganz Bayern")
    styles = [f["properties"]["s"] for f in _area_features(build_map(MapView(), _data(engine, "Ganz Bayern")))]
    assert styles.count("vorhanden, förderfähig") == int(kreise["foerderfaehig"].sum()) > 0
    assert "integra-legend" in html and "GeoBasis-DE / BKG" in html
    assert "openstreetmap" in html.lower()
    offline = build_map(MapView(basemap=BASEMAP_NONE), _data(engine, "Ganz Bayern")).get_root().render()
    assert "tile.openstreetmap" not in offline


def test_text_from_the_store_is_escaped_everywhere(engine):
    _add_partner(engine, EVIL, kind_detail=EVIL, source_url="javascript:alert(1)", contact=EVIL)
    with transaction(engine) as session:
        session.execute(update(Concept).where(Concept.region_ags == "09471").values(title=EVIL, evidence=EVIL))
    html = build_map(MapView(regbez="Oberfranken"), _data(engine, "Oberfranken")).get_root().render()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript' not in html.replace('\\"', '"')
    assert "&lt;script&gt;alert" in html.replace("\\u0026", "&")
    evil = next(row for row in _partner_rows(html) if "onerror" in row[3])
    assert "<br>Bamberg" in evil[4]  # missing street and PLZ are left out, not printed as "nan"
    assert evil[3] == EVIL  # the title is plain text (Leaflet sets it as text), not escaped twice


def test_every_asset_is_local_and_vendored(engine):
    fmap = build_map(MapView(), _data(engine, "Ganz Bayern"))
    links = [
        url
        for element in assets.elements(fmap)
        if isinstance(element, folium.elements.JSCSSMixin)
        for _, url in (*element.default_js, *element.default_css)
    ]
    assert links and all(url.startswith(assets.APP_PREFIX + "/") for url in links)
    for relative in assets.LOCAL.values():
        path = PROJECT_DIR / "static" / "vendor" / relative
        assert path.is_file(), path
        assert (path.parent / "LICENSE").is_file(), path.parent


def test_folium_asset_lists_are_all_known():
    """Fails when a folium upgrade changes its CDN URLs, before a user sees a blank map."""
    for cls in (folium.Map, MarkerCluster):
        for _, url in (*cls.default_js, *cls.default_css):
            assert url in assets.LOCAL or url in assets.UNUSED, url


def test_unknown_cdn_asset_is_refused():
    fmap = folium.Map(tiles=None)
    fmap.default_js = [*fmap.default_js, ("new", "https://cdn.example.org/new.js")]
    with pytest.raises(assets.UnknownAssetError):
        assets.localize(fmap)


def test_osm_basemap_is_attributed(engine):
    html = build_map(MapView(basemap=BASEMAP_OSM), _data(engine, "Oberfranken")).get_root().render()
    assert "OpenStreetMap-Mitwirkende" in html


def test_map_document_is_the_rendered_map_under_its_content_hash(engine):
    """The frame's address names its content: the browser may cache it for good, the same view of the same
    data has the same address in every process, and another view or data state is another address."""
    data = _data(engine, "Oberfranken")
    first = mapframe.document_of(build_map(MapView(regbez="Oberfranken"), data))
    again = mapframe.document_of(build_map(MapView(regbez="Oberfranken"), data))
    gemeinden = _data(engine, "Oberfranken", LEVEL_GEMEINDEN)
    other = mapframe.document_of(build_map(MapView(regbez="Oberfranken", level=LEVEL_GEMEINDEN), gemeinden))
    html = first.body.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "leaflet.js" in html and _partner_rows(html)
    assert first == again and first.digest != other.digest and first.path == f"/_integra/karte/{first.digest}.html"
    inline = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert inline and len(first.script_hashes) == len(set(inline))  # the CSP allows exactly these scripts


@pytest.fixture
def registry(monkeypatch):
    """An empty registry of published documents for one test (it is one per process)."""
    monkeypatch.setattr(mapframe, "_published", OrderedDict())


def test_map_documents_are_kept_for_the_most_recently_shown_views(registry):
    documents = [mapframe.MapDocument(f"{i:032x}", b"", ()) for i in range(mapframe.KEEP + 1)]
    for document in documents:
        mapframe.publish(document)
    mapframe.publish(documents[1])  # shown again: kept
    mapframe.publish(mapframe.MapDocument("f" * 32, b"", ()))
    assert mapframe.published(documents[0].digest) is None and mapframe.published(documents[2].digest) is None
    assert mapframe.published(documents[1].digest) is documents[1]


def test_a_view_survives_its_address_and_odd_addresses_build_nothing():
    view = MapView(regbez="Schwaben", level=LEVEL_GEMEINDEN, statuses=("keines",), partner_types=(), large=True)
    assert MapView.from_key(view.key()) == view and MapView.from_key(MapView().key()) == MapView()
    for odd in (
        "",
        "null",
        "[1,2]",
        view.key().replace("Schwaben", "Atlantis"),
        view.key().replace('"keines"', '"keines","keines"'),
        view.key().replace('["keines"]', '"keines"'),
        view.key().replace("true", "1"),
        view.key().replace('["keines"]', '[["keines"]]'),
        view.key().replace('"Schwaben"', '{"a":1}'),
        view.key()[:-1] + ',"mehr"]',
    ):
        assert MapView.from_key(odd) is None, odd


def test_kreis_names_are_written_on_the_map_of_a_regierungsbezirk(engine):
    """UX review #6: "Which one is Kulmbach?" could only be answered by hovering."""
    labels = [
        d["rows"]
        for d in layer_data(build_map(MapView(regbez="Oberfranken"), _data(engine, "Oberfranken")).get_root().render())
        if "rows" in d and "styles" not in d
    ]
    assert len(labels) == 1 and "Lkr. Kulmbach" in [row[2] for row in labels[0]]
    assert len(labels[0]) == len(queries.kreise(engine, "Oberfranken"))
    bavaria = build_map(MapView(), _data(engine, "Ganz Bayern")).get_root().render()
    assert not [d for d in layer_data(bavaria) if "rows" in d and "styles" not in d]  # 96 names would cover Bayern


def test_popups_link_to_steckbrief_and_report_form_only_in_the_app_and_count_open_reports(engine):
    """UX review #13: the Steckbrief is reachable from the Kreis popup; issue 13: so is the report form, and a
    popup says how many reports wait (a count, never their content). The offline file has no app to link to."""
    reports.submit(engine, reports.NoteReport("09464", "<i>geheim</i> bis zur Prüfung", "https://example.org/a"))
    links = AppLinks(
        steckbrief=lambda name: f"x?s={name}",
        melden=lambda ags: f"m?ags={ags}",
        partner=lambda pid: f"m?partner={pid}",
        antrag=lambda ags: f"a?antrag={ags}",
    )
    data = _data(engine, "Oberfranken")
    linked = _area_features(build_map(MapView(regbez="Oberfranken"), data, links=links))
    hof = next(f for f in linked if f["properties"]["k"] == "09464")["properties"]["p"]
    assert '<a href="x?s=Kreisfreie Stadt Hof" target="_blank" rel="noopener">Kreis-Steckbrief (PDF) öffnen</a>' in hof
    assert '<a href="m?ags=09464" target="_blank" rel="noopener">Etwas melden</a>' in hof
    assert "1 Meldung in Prüfung" in hof and "geheim" not in hof
    gemeinden = _data(engine, "Oberfranken", LEVEL_GEMEINDEN)
    view = MapView(regbez="Oberfranken", level=LEVEL_GEMEINDEN)
    hallstadt = next(
        f for f in _area_features(build_map(view, gemeinden, links=links)) if f["properties"]["k"] == "09471140"
    )
    assert 'href="m?ags=09471140"' in hallstadt["properties"]["p"]
    assert (
        '<a href="a?antrag=09471140" target="_blank" rel="noopener">Antragsentwurf</a>' in hallstadt["properties"]["p"]
    )
    gemeindefrei = gemeinden.gemeinden.loc[~gemeinden.gemeinden["is_gemeinde"], "ags"]
    assert len(gemeindefrei), "Oberfranken has gemeindefreie Gebiete"
    without = [
        f for f in _area_features(build_map(view, gemeinden, links=links)) if f["properties"]["k"] in set(gemeindefrei)
    ]
    assert without and not any(
        "Antragsentwurf" in f["properties"]["p"] or "melden" in f["properties"]["p"] for f in without
    )
    plain = _area_features(build_map(MapView(regbez="Oberfranken"), data))
    assert not any("Steckbrief" in f["properties"]["p"] or "Etwas melden" in f["properties"]["p"] for f in plain)


def test_every_partner_popup_links_to_the_report_form_for_that_partner_in_the_app_only(engine):
    """Issue 13: `/melden?partner=<id>` from the partner popup (its text is shared, only the id is per row)."""
    data = _data(engine, "Oberfranken")
    links = AppLinks(steckbrief=str, melden=str, partner=lambda pid: f"../../melden?partner={pid}", antrag=str)
    layer = next(
        d
        for d in layer_data(build_map(MapView(regbez="Oberfranken"), data, links=links).get_root().render())
        if d.get("cluster")
    )

    def popup(row: list) -> str:
        return "".join(layer["texts"][p] if isinstance(p, int) else p for p in row[4])

    popups = {popup(row) for row in layer["rows"]}
    expected = {
        f'<br><a href="../../melden?partner={pid}" target="_blank" rel="noopener">Etwas melden</a>'
        for pid in data.partners["id"]
    }
    assert len(popups) == len(data.partners) and all(any(link in p for p in popups) for link in expected)
    plain = build_map(MapView(regbez="Oberfranken"), data).get_root().render()
    assert "Etwas melden" not in plain


def test_in_erarbeitung_is_striped_not_colour_alone(engine):
    """UX review #18: "in Erarbeitung" and "unbekannt" were 1.17:1 apart; the area and its legend row are striped."""
    kreise = queries.kreise(engine)
    working = kreise.loc[kreise["status"] == "in Erarbeitung", "ags"]
    assert len(working), "the seed has Kreise in Erarbeitung"
    fmap = build_map(MapView(), _data(engine, "Ganz Bayern"))
    data = next(d for d in layer_data(fmap.get_root().render()) if d.get("patterns"))
    (pattern,) = data["patterns"]
    assert data["styles"]["in Erarbeitung"]["fillColor"] == f"url(#{pattern['id']})"
    assert {f["properties"]["s"] for f in area_features(data) if f["properties"]["k"] in set(working)} == {
        "in Erarbeitung"
    }
    legend = next(d["html"] for d in layer_data(fmap.get_root().render()) if d.get("cls") == "integra-legend")
    assert "repeating-linear-gradient" in legend and "kein Konzept" in legend and "keines" not in legend


def test_a_partner_popup_says_how_old_its_source_is(engine):
    """Issue 12: press items from 2007–2019 are among the sources; the popup says the year."""
    _add_partner(
        engine,
        "Helferkreis Asyl Bamberg-Ost",
        source_url="https://zeitung.example/2016/helferkreis",
        source_year=2016,
        confidence="low",
    )
    html = build_map(MapView(regbez="Oberfranken"), _data(engine, "Oberfranken")).get_root().render()
    assert "Stand der Quelle: 2016 · Verlässlichkeit: niedrig" in html
