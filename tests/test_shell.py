"""The document Streamlit sends before its scripts run: German, titled, and saying that it loads."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit

from integra.config import PROJECT_DIR
from integra.web.shell import LAZY_ELEMENTS, LOADING, PAGE_PATHS, german_shell, resource_hints

INDEX = Path(streamlit.__file__).with_name("static") / "index.html"


def test_streamlits_index_becomes_the_german_shell():
    """UX review #20: a white page for 2.5 s on a cold start, and `<html lang="en">` until the scripts ran."""
    html = german_shell(INDEX.read_text(encoding="utf-8"))
    assert '<html lang="de">' in html and "<title>Integrationslandkarte Bayern</title>" in html
    assert f"{LOADING}</p></div>" in html and "You need to enable JavaScript" not in html
    assert 'lang="en"' not in html


def test_the_shell_knows_every_page_address():
    """The base address is the page address without a page of app.py (a deep link skips Streamlit's miss)."""
    app = (PROJECT_DIR / "app.py").read_text(encoding="utf-8")
    assert set(PAGE_PATHS) == set(re.findall(r'url_path="([a-z]+)"', app))
    assert "BACKEND_BASE_URL" in german_shell(INDEX.read_text(encoding="utf-8"))


def test_the_resource_hints_name_files_that_exist():
    """Issue 15: the shell preloads element scripts; an upgrade of Streamlit that renames them must fail
    here, not silently fetch nothing."""
    hints = "".join(resource_hints())
    assert all(f'href="./static/js/{name}.' in hints for name in LAZY_ELEMENTS)
    for href in re.findall(r'href="\./([^"]+)"', hints):
        assert href.startswith("static/js/") and (INDEX.parent / href).is_file(), href
    shell = german_shell(INDEX.read_text(encoding="utf-8"))
    assert 'rel="modulepreload"' in shell and 'rel="prefetch"' not in shell  # see shell.LAZY_ELEMENTS
