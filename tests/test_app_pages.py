"""The real Streamlit app under AppTest: every page renders, figures equal the store, filters work."""

from __future__ import annotations

import gc
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from integra import queries
from integra.assets import VENDOR_STAMP
from integra.config import PROJECT_DIR
from tests.apptest import app, area_keys, map_html, metric
from tests.conftest import APP_PAGES


@pytest.mark.parametrize("page", APP_PAGES)
def test_every_page_renders(db_url, page):
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, page
    assert any("GeoBasis-DE / BKG" in c.value for c in at.caption), "attribution missing"
    assert any("Datenstand" in c.value for c in at.caption), "data age missing"


def test_key_figures_equal_the_store_and_follow_the_filter(db_url, engine):
    at = app().run()
    assert not at.exception
    whole = queries.key_figures(engine)
    assert metric(at, "Kreise mit Konzept") == f"{whole.kreise_with_concept} von 96"
    assert metric(at, "Gemeinden mit Konzept") == f"{whole.gemeinden_with_concept} von 2056"
    at.selectbox(key="regbez").select("Oberfranken").run()
    ofr = queries.key_figures(engine, "Oberfranken")
    assert metric(at, "Kreise mit Konzept") == f"{ofr.kreise_with_concept} von 13"
    assert metric(at, "Partner (gewählte Typen)") == str(sum(ofr.partner_types.values()))


def test_filter_from_the_url_applies_on_every_page(db_url, engine):
    at = app(regbez="Schwaben").run()
    assert metric(at, "Kreise mit Konzept").endswith("von 14")
    at.switch_page("views/partner.py").run()
    expected = queries.partners(engine, "Schwaben")
    assert any(m.value == f"**{len(expected)}** Partner" for m in at.markdown)
    assert set(at.dataframe[0].value["Regierungsbezirk"]) == {"Schwaben"}
    at.switch_page("views/karte.py").run()
    assert len(area_keys(at)) == 14 and all(key.startswith("097") for key in area_keys(at))


def test_karte_page_sends_a_local_only_map(db_url):
    at = app(regbez="Oberfranken").run()
    at.switch_page("views/karte.py").run()
    assert not at.exception
    html = map_html(at)
    assert len(area_keys(at)) == 13 and all(key.startswith("094") for key in area_keys(at))
    scripts = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert styles and all(link.startswith(f"../../_integra/vendor/{VENDOR_STAMP}/") for link in scripts + styles)
    assert [link.rsplit("/", 1)[1] for link in scripts] == [  # no jQuery: no map element uses it
        "leaflet.js",
        "topojson-client.min.js",
        "leaflet.markercluster.js",
    ]
    at.radio(key="karte").set_value("ohne Hintergrundkarte").run()
    assert "tile.openstreetmap" not in map_html(at)
    at.radio(key="ebene").set_value("Gemeinden").run()
    assert len(area_keys(at)) == 214 + 40  # Gemeinden and gemeindefreie Gebiete of Oberfranken


def test_partner_search_narrows_the_table(db_url):
    at = app().run()
    at.switch_page("views/partner.py").run()
    everyone = at.dataframe[0].value
    at.text_input(key="suche").input("caritas").run()
    found = at.dataframe[0].value
    assert 0 < len(found) < len(everyone)
    # every Caritas partner, and otherwise only names that say Caritas (a Jugendmigrationsdienst der Caritas)
    assert set(everyone.loc[everyone["Partnertyp"] == "Caritas", "Name"]) <= set(found["Name"])
    assert found["Name"].str.contains("caritas", case=False).where(found["Partnertyp"] != "Caritas", True).all()


def _table_with(at: AppTest, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_status_filter_narrows_the_kreis_table(db_url, engine):
    facts = queries.kreise(engine, "Oberbayern")
    at = app(regbez="Oberbayern").run()
    assert len(_table_with(at, "Konzept")) == len(facts) == 23
    at.multiselect(key="status").set_value(["unbekannt"]).run()
    assert not at.exception
    kreise = _table_with(at, "Konzept")
    assert len(kreise) == (facts["status"] == "unbekannt").sum() > 0 and set(kreise["Konzept"]) == {"unbekannt"}


def test_luecken_page_lists_and_charts(db_url, engine):
    facts = queries.kreise(engine, "Oberfranken")
    caritas = queries.partners(engine, "Oberfranken", ["Caritas"])  # the first type, chosen by default
    at = app(regbez="Oberfranken").run()
    at.switch_page("views/luecken.py").run()
    assert not at.exception, at.exception
    missing, demand, partnerless, models, per_regbez, figures = (df.value for df in at.dataframe)  # in page order
    assert list(per_regbez["Regierungsbezirk"])[-1] == "Bayern gesamt" and len(per_regbez) == 8  # always all
    assert len(figures) == len(facts) and set(models["Rang"]) == {1, 2, 3}
    assert len(partnerless) == len(set(facts["ags"]) - set(caritas["kreis_ags"]))
    assert len(missing) == (facts["status"] != "vorhanden").sum() and "vorhanden" not in set(missing["Konzept"])
    assert set(demand["Kreis"]) == set(facts.loc[facts["foerderfaehig"], "name"])
    assert any("Ohne bekanntes Jahr" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 2
    assert len(at.get("download_button")) >= 11  # CSV + Excel per list, and the Steckbrief


def test_an_old_schema_gets_a_clear_message(tmp_path, monkeypatch):
    from alembic import command

    from integra.store import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    command.upgrade(alembic_config(engine), "0001")
    engine.dispose()
    monkeypatch.setenv("INTEGRA_DATABASE_URL", f"sqlite:///{tmp_path / 'old.sqlite3'}")
    at = app().run()
    assert "python -m integra init" in at.error[0].value and not at.exception


def test_karte_offers_every_export_once_opened(db_url):
    """The exports and the table under the map are made only while their expander is open (issue 15)."""
    at = app(regbez="Oberfranken").run()
    at.switch_page("views/karte.py").run()
    assert not at.get("download_button") and not at.dataframe
    at.session_state["karte_export"] = at.session_state["karte_tabelle"] = True
    at.run()
    assert len(at.dataframe) == 1
    labels = {b.proto.label for b in at.get("download_button")}
    assert {
        "Partner CSV",
        "Partner Excel",
        "Partner GeoJSON",
        "Kreise GeoJSON",
        "Kreise CSV",
        "Karte als HTML (offline)",
        "Karte als PNG (4:3)",
        "Karte als PNG (16:9)",
    } <= labels


def test_long_lived_objects_are_hidden_from_the_garbage_collector(db_url):
    """Modules and geodata are frozen once per process, so full collections stay cheap during reruns."""
    at = app().run()
    assert not at.exception
    assert gc.get_freeze_count() > 100_000  # modules, geodata: about 300,000 objects


def test_an_unexpected_error_shows_a_german_message_with_an_id_not_a_traceback(db_url, engine):
    """M3: a failing page shows what to do and an error id; the traceback goes to the server log only."""
    import tomllib

    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE partners RENAME TO partners_weg"))
    at = app().run()
    at.switch_page("views/partner.py").run()
    assert not at.exception
    messages = [e.value for e in at.error]  # the page and the footer fail, each inside its boundary
    assert messages and all("Fehlernummer" in m and "Traceback" not in m and "partners" not in m for m in messages)
    config = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none" and config["client"]["disableDataExport"] is True


@pytest.mark.parametrize("page", ["views/uebersicht.py", "views/partner.py", "views/luecken.py"])
def test_tables_show_a_dash_not_none(db_url, page):
    """UX review #9: Streamlit's grid prints "None" for every missing value; the app shows "–"."""
    at = app().run()
    at.switch_page(page).run()
    frames = [df.value for df in at.dataframe]
    assert frames and all(not frame.isna().any().any() for frame in frames), page
    assert any((frame == "–").any().any() for frame in frames)  # the seed has gaps; they show as "–"


def test_shown_turns_gaps_into_one_placeholder():
    import pandas as pd

    from integra.formatting import shown

    frame = pd.DataFrame(
        {
            "Titel": ["A", None],
            "Jahr": [2018.0, float("nan")],
            "Quelle": ["https://a.de", None],
            "Rate": [1.5, float("nan")],
            "Zahl": [1, 2],
        }
    )
    out = shown(frame, links=["Quelle"])
    assert list(out["Titel"]) == ["A", "–"] and list(out["Jahr"]) == ["2018", "–"]
    assert list(out["Quelle"]) == ["https://a.de", ""] and list(out["Zahl"]) == [1, 2]


def _hidden_filters(at: AppTest) -> set[str]:
    """The shared filters a page hides (by the CSS rule sidebar_filters writes for it)."""
    rules = [h.proto.body for h in at.get("html") if "st-key-filter_" in h.proto.body]
    return {name for name in ("regbez", "typ", "status") for rule in rules if f".st-key-filter_{name}" in rule}


@pytest.mark.parametrize(
    ("page", "hidden"),
    [
        ("views/uebersicht.py", set()),
        ("views/karte.py", set()),
        ("views/partner.py", {"status"}),
        ("views/luecken.py", {"typ"}),
        ("views/hochladen.py", {"regbez", "typ", "status"}),
        ("views/redaktion.py", {"regbez", "typ", "status"}),
    ],
)
def test_each_page_shows_only_the_filters_it_applies(db_url, page, hidden):
    """UX review #16: Konzeptstatus on Partner, all filters on Hochladen and Redaktion did nothing."""
    at = app(regbez="Schwaben", status="vorhanden").run()
    at.switch_page(page).run()
    assert not at.exception and _hidden_filters(at) == hidden
    # hidden, not dropped: the choice is still there when the visitor returns to the map
    assert at.selectbox(key="regbez").value == "Schwaben" and at.multiselect(key="status").value == ["vorhanden"]


def test_status_presets_set_the_filter_in_one_click(db_url):
    at = app().run()
    at.pills(key="status_preset").set_value("mit Konzept").run()
    assert at.multiselect(key="status").value == ["vorhanden"] and at.pills(key="status_preset").value is None
    at.pills(key="status_preset").set_value("ohne Konzept").run()
    assert at.multiselect(key="status").value == ["in Erarbeitung", "kein Konzept", "unbekannt"]
    assert "keines" not in at.multiselect(key="status").options  # the glossary's word, also in the address
    at.pills(key="status_preset").set_value("alle").run()
    assert len(at.multiselect(key="status").value) == 4 and not at.exception


def test_a_steckbrief_link_opens_luecken_with_the_kreis_chosen(db_url):
    """UX review #13: the link in a Kreis popup (and in the Vorbild table) leads to the Steckbrief download."""
    at = app(steckbrief="Landkreis Erding").switch_page("views/luecken.py").run()  # the link's first run: Lücken
    assert not at.exception and at.selectbox(key="steckbrief").value == "Landkreis Erding"
    (button,) = [b for b in at.get("download_button") if b.proto.label == "Steckbrief herunterladen"]
    assert not button.proto.disabled
    models = next(t.value for t in at.dataframe if "Vorbild" in t.value.columns)
    links = [urlsplit(link) for link in models["Steckbrief"]]
    assert {link.path for link in links} == {"luecken"}
    assert [parse_qs(link.query)["steckbrief"] for link in links] == [[name] for name in models["Kreis"]]
    at = app(steckbrief="99999").switch_page("views/luecken.py").run()
    assert at.selectbox(key="steckbrief").value is None
    assert any("Steckbrief-Kreis „99999“" in i.value for i in at.info)


def test_uebersicht_and_luecken_show_the_same_regierungsbezirk_table(db_url):
    """Code review: two tables per Regierungsbezirk had drifted apart in columns and labels."""
    at = app(regbez="Schwaben").run()
    first = next(t.value for t in at.dataframe if "Bayern gesamt" in set(t.value.iloc[:, 0]))
    at.switch_page("views/luecken.py").run()
    second = next(t.value for t in at.dataframe if "Bayern gesamt" in set(t.value.iloc[:, 0]))
    assert first.equals(second) and len(first) == 8  # all seven and the total, whatever the filter
