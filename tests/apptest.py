"""Helpers for the real app under `streamlit.testing.v1.AppTest`, shared by every AppTest module.

Like `tests/browser.py` for the browser: one definition of how a test opens the app, logs in,
finds a metric or button, and reads the map document the page shows.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from integra.config import PROJECT_DIR
from integra.web import mapframe

APP = str(PROJECT_DIR / "app.py")


def app(timeout: float = 60, **query: str) -> AppTest:
    """The app with `query` in its address, not yet run (a test may still switch the page first)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def page(path: str, **query: str) -> AppTest:
    """The app run once on the start page, then on `path` (as a visitor who follows the navigation)."""
    at = app(**query).run()
    return at.switch_page(path).run()


def button(at: AppTest, label: str, key: str | None = None) -> Button:
    """The button with this label (and key, where several share a label, as in the report queue)."""
    return next(b for b in at.button if b.label == label and key in (None, b.key))


def click(at: AppTest, label: str, key: str | None = None) -> AppTest:
    return button(at, label, key).click().run()


def login(at: AppTest, password: str, name: str = "Erika") -> AppTest:
    """Fill in and send the editors' login form of the page `at` shows."""
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    return click(at, "Anmelden")


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def map_html(at: AppTest) -> str:
    """The document of the page's one map frame, as the server serves it at the frame's address."""
    (src,) = [frame.proto.src for frame in at.get("iframe") if frame.proto.src.startswith(mapframe.ROUTE_PREFIX)]
    document = mapframe.published(urlsplit(src).path.removeprefix(mapframe.ROUTE_PREFIX).removesuffix(".html"))
    assert document is not None, src
    return document.body.decode("utf-8")


def layer_data(script: str) -> list[dict]:
    """The JSON data of every `integra.maplayers` element in a map script or page (one line each)."""
    return [json.loads(m) for m in re.findall(r"^\}\)\((\{.*\})\);$", script, flags=re.M)]


def area_keys(at: AppTest) -> list[str]:
    """The keys (AGS) of the areas the page's map colours, as its script carries them."""
    return [row[0] for d in layer_data(map_html(at)) if "topo" in d and d["interactive"] for row in d["rows"]]
