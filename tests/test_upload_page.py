"""The "Daten hochladen" page under AppTest: login, upload, preview, apply, undo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from integra.models import ImportRun, Partner
from tests.apptest import button, click, layer_data, login, metric, page

FILES = Path(__file__).parent / "files"
PASSWORD = "richtig-geheim-123"


def _page(**query: str) -> AppTest:
    at = page("views/hochladen.py", **query)
    assert not at.exception, at.exception
    return at


def _login(at: AppTest, password: str) -> AppTest:
    return login(at, password, "Erika Test")


def test_without_password_the_page_is_read_only(db_url, monkeypatch):
    monkeypatch.delenv("INTEGRA_EDITOR_PASSWORD", raising=False)
    at = _page()
    assert any("Ändern ist gesperrt" in i.value and "Administration" in i.value for i in at.info)
    assert any("hash-password" in m.value for m in at.expander[0].markdown)  # setup steps folded away
    assert len(at.get("file_uploader")) == 0


def test_wrong_passwords_are_refused_and_slowed_down(db_url, monkeypatch):
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", PASSWORD)
    at = _page()
    for _ in range(3):
        _login(at, "falsch")
        assert at.error[0].value == "Passwort falsch."
    _login(at, PASSWORD)  # even the right one has to wait now
    assert "warten" in at.error[0].value
    assert len(at.get("file_uploader")) == 0


@pytest.fixture
def logged_in(db_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", PASSWORD)
    at = _login(_page(), PASSWORD)
    assert not at.exception and not at.error
    return at


def _plain(markdown: str) -> str:
    """A message as the user reads it: user text in messages is markdown-escaped (formatting.md_text)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def test_upload_preview_apply_and_undo(logged_in, engine):
    at = logged_in
    with engine.connect() as conn:
        seeded = conn.scalar(select(func.count()).select_from(Partner))
    data = (FILES / "partner_cp1252_semikolon.csv").read_bytes()
    at.file_uploader(key="upload_0").set_value(("partner_cp1252_semikolon.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="map_name").value == "Name" and at.selectbox(key="map_type").value == "Träger"
    assert (metric(at, "neu"), metric(at, "geändert"), metric(at, "werden entfernt")) == ("3", "0", "0")
    # The small map of the new points travels in the page: an upload not yet imported gets no address.
    (preview,) = [frame.proto.srcdoc for frame in at.get("iframe") if "leaflet" in frame.proto.srcdoc]
    (points,) = [d["rows"] for d in layer_data(preview) if d.get("cluster")]
    assert len(points) == 3 and not [frame for frame in at.get("iframe") if frame.proto.src]
    click(at, "Übernehmen")
    assert any("Import 1 übernommen" in s.value for s in at.success), [e.value for e in at.error]
    assert not at.get("file_uploader")[0].value and not any(b.label == "Übernehmen" for b in at.button)  # preview gone
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Partner)) == seeded + 3
        assert conn.scalar(select(ImportRun.user_name)) == "Erika Test"
    history = next(df.value for df in at.dataframe if "SHA-256" in df.value.columns)
    assert list(history["Datei"]) == ["partner_cp1252_semikolon.csv"]
    assert button(at, "Rückgängig machen").disabled  # only after the confirmation tick
    at.checkbox(key="undo_confirm_1_1").check().run()
    click(at, "Rückgängig machen")
    assert any("Import Nr. 1 (partner_cp1252_semikolon.csv) rückgängig gemacht" in _plain(s.value) for s in at.success)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Partner)) == seeded


def test_undo_offers_the_newest_import_and_an_unchanged_file_is_no_import(logged_in, engine):
    """UX review #3 and #15: undo pre-selected an older import; a second apply recorded an empty one."""
    at = logged_in
    for generation, name in enumerate(["a.csv", "b.csv"]):
        body = f"Name;PLZ;Ort\nHelferkreis {name};96047;Bamberg\n".encode()
        at.file_uploader(key=f"upload_{generation}").set_value((name, body, "text/csv")).run()
        click(at, "Übernehmen")
    (undo,) = [s for s in at.selectbox if s.label == "Import rückgängig machen"]
    assert undo.value == 2 and undo.options[0].startswith("Nr. 2 – b.csv – ")
    at.file_uploader(key="upload_2").set_value(
        ("b.csv", b"Name;PLZ;Ort\nHelferkreis b.csv;96047;Bamberg\n", "text/csv")
    ).run()
    assert button(at, "Übernehmen").disabled
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ImportRun)) == 2


def test_errors_block_until_only_valid_is_chosen(logged_in, engine):
    at = logged_in
    body = "Name;PLZ;Ort\nTestkreis Bamberg;96047;Bamberg\nTestkreis Berlin;10115;Berlin\n"
    at.file_uploader(key="upload_0").set_value(("fehler.csv", body.encode(), "text/csv")).run()
    errors = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert errors.iloc[0].to_dict() == {"Zeile": 3, "Spalte": "PLZ", "Problem": "PLZ 10115 liegt nicht in Bayern"}
    assert button(at, "Übernehmen").disabled
    at.checkbox(key="only_valid").check().run()
    # UX review #15: the red box kept asking for the tick that was already set
    assert not at.error and any("1 Zeile mit Fehlern" in _plain(w.value) for w in at.warning)
    click(at, "Übernehmen")
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(Partner.name.like("Testkreis B%"))) == 1


def test_a_bad_file_gets_a_german_message(logged_in):
    at = logged_in
    at.file_uploader(key="upload_0").set_value(("liste.csv", b"\x89PNG\x00\x00\x00", "text/csv")).run()
    shown = _plain(at.error[0].value)
    assert shown.startswith("liste.csv:") and "keine reine Textdatei" in shown


def test_the_preview_map_follows_the_basemap_of_the_address(db_url, monkeypatch):
    """Walkthrough: the preview loaded OpenStreetMap tiles at a meeting without internet (`karte=ohne …`),
    and without the map's CSS its credits and the phone's gesture hint lay unstyled over the map."""
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", PASSWORD)
    at = _login(_page(karte="ohne Hintergrundkarte"), PASSWORD)
    data = (FILES / "partner_cp1252_semikolon.csv").read_bytes()
    at.file_uploader(key="upload_0").set_value(("partner_cp1252_semikolon.csv", data, "text/csv")).run()
    (preview,) = [frame.proto.srcdoc for frame in at.get("iframe") if "leaflet" in frame.proto.srcdoc]
    assert "tile.openstreetmap" not in preview and "leaflet.markercluster" in preview
    assert ".integra-gesture-hint{display:none" in preview  # the map's own CSS (credits, phone hint) is there
