"""A write in one process is seen by a running app in another process, without restart."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from integra import editing, queries
from integra.config import PROJECT_DIR
from integra.editing import ConceptChange
from integra.store import data_token, make_engine
from integra.vocab import PARTNER_TYPES
from tests.apptest import app, layer_data, map_html
from tests.test_maps import area_features

FILES = Path(__file__).parent / "files"


def test_every_write_renews_the_token(engine):
    first = data_token(engine)
    assert first  # the seed wrote one
    editing.set_concept(engine, ConceptChange("09471", "vorhanden"), "E")
    assert data_token(engine) not in ("", first)


def _cached_partner_total(at: AppTest) -> int:
    """Partners in the "Bayern gesamt" row of the per-Regierungsbezirk table, which the app caches."""
    table = next(df.value for df in at.dataframe if "Bayern gesamt" in set(df.value.iloc[:, 0]))
    total = table[table["Regierungsbezirk"] == "Bayern gesamt"]
    return int(total[list(PARTNER_TYPES)].sum(axis=1).item())


def test_an_import_in_another_process_shows_up_on_the_next_rerun(db_url):
    at = app().run()
    seeded = _cached_partner_total(at)
    assert seeded == len(queries.partners(make_engine(db_url))) > 0
    at.run()  # answered from the cache now
    done = subprocess.run(
        [sys.executable, "-m", "integra", "import-partners", str(FILES / "partner_cp1252_semikolon.csv")],
        cwd=PROJECT_DIR,
        env={"INTEGRA_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    at.run()
    assert _cached_partner_total(at) == seeded + 3  # the file's three new partners


def _tooltips(at: AppTest) -> set[str]:
    """The areas' tooltips as the browser makes them from the map script."""
    return {f["properties"]["t"] for d in layer_data(map_html(at)) if d.get("interactive") for f in area_features(d)}


def _builds(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Karte gebaut")]


def test_the_cached_map_is_reused_until_the_data_changes(db_url, engine, caplog):
    caplog.set_level(logging.INFO, logger="integra")
    at = app().run()
    at.switch_page("views/karte.py").run()
    first = map_html(at)
    assert "Landkreis Bamberg: Konzept unbekannt" in _tooltips(at)
    at.selectbox(key="regbez").select("Schwaben").run()
    at.selectbox(key="regbez").select("Ganz Bayern").run()
    assert map_html(at) == first and _builds(caplog) == [  # back to Bayern: served from the cache
        "Karte gebaut: Ganz Bayern, Kreise",
        "Karte gebaut: Schwaben, Kreise",
    ]
    editing.set_concept(engine, ConceptChange("09471", "vorhanden"), "E")
    at.run()
    assert any(tip.startswith("Landkreis Bamberg: Konzept vorhanden") for tip in _tooltips(at))
