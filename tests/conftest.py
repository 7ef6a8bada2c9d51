"""Shared fixtures: a real, seeded SQLite file per test (copied from one seeded template)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from integra.cli import init_database
from integra.store import make_engine


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database created and seeded by the real `init` path; tests work on copies of it."""
    path = tmp_path_factory.mktemp("template") / "integra.sqlite3"
    init_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A private seeded database, also set as INTEGRA_DATABASE_URL for code that reads the setting."""
    path = tmp_path / "integra.sqlite3"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("INTEGRA_DATABASE_URL", url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def page(tmp_path: Path):
    """A fresh headless Debian Chromium page (Playwright; its own browser download is never used)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, FLAGS, require_chromium

    require_chromium()
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                        headless=True, args=FLAGS,
                                                        viewport={"width": 1400, "height": 1000})  # fmt: skip
        yield context.pages[0]
        context.close()
