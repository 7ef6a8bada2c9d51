"""Shared pieces of the real-browser tests: Debian's Chromium, its flags, the app on a copy of the seed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from integra.devserver import running_app
from integra.web.mapframe import ROUTE_PREFIX

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google hosts, which fail here.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME = f'iframe[src*="{ROUTE_PREFIX}"]'
OFFLINE = "karte=ohne+Hintergrundkarte"


def map_frame(page: Page) -> Frame:
    """The frame of the page's map, for scripts evaluated in it (locators use MAP_FRAME), with the map
    as `window.map` for them (folium names it `map_<id>`)."""
    frame = next(frame for frame in page.frames if ROUTE_PREFIX in frame.url)
    found = "() => window.L && Object.values(window).find(v => v instanceof L.Map)"
    frame.wait_for_function(found)
    frame.evaluate(f"() => {{ window.map = ({found})(); }}")
    return frame


def require_chromium() -> None:
    """`make test` installs Debian's chromium; a missing browser must fail the run, never skip it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} fehlt: `make test` installiert Debians chromium", pytrace=False)


@contextmanager
def served_copy(seeded_template: Path, folder: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The real app on a free port, on a private copy of the seeded database in `folder`."""
    shutil.copy(seeded_template, folder / "integra.sqlite3")
    with running_app(f"sqlite:///{folder / 'integra.sqlite3'}", folder / "streamlit.log", env=env) as app:
        yield app.url


def log_in(page, name: str, password: str) -> None:
    """Fill the editors' login form of the page on screen and submit it (the labels users see)."""
    page.get_by_label("Ihr Name (wird bei Ihren Änderungen vermerkt)").fill(name)
    page.get_by_label("Redaktionspasswort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


# Zoom the map until the partner whose title contains the text is a marker of its own (as a user would);
# evaluate it in the map's frame with the text as argument.
SHOW_PARTNER = """(text) => {
    let shown = false;
    window.map.eachLayer(group => {
        if (shown || !group.zoomToShowLayer) { return; }
        const marker = group.getLayers().find(m => (m.options.title || '').includes(text));
        if (marker) { group.zoomToShowLayer(marker); shown = true; }
    });
    return shown;
}"""


def confirmed(page, text: str):
    """The success box a write leaves after its rerun (`widgets.saved`); a toast repeats the same words."""
    return page.get_by_test_id("stAlertContentSuccess").filter(has_text=text)
