"""Shared fixtures: a real, seeded database per test.

SQLite by default: a copy of one seeded file. With INTEGRA_TEST_DATABASE_URL set (a PostgreSQL
server URL, as `make test` sets it for its second run) each test gets its own PostgreSQL database,
cloned from one seeded template database; an unreachable server fails the run.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from integra.cli import init_database
from integra.store import make_engine
from tests import apptest

# Every page script of the app, read from app.py's navigation (a new page is covered without a list to keep).
APP_PAGES = re.findall(r'st\.Page\(\s*"(views/[a-z]+\.py)"', (Path(__file__).parents[1] / "app.py").read_text("utf-8"))
DATABASE_FIXTURES = {"engine", "db_url"}
# Test databases are seeded from a frozen copy of data/seed/ (see its README): new research changes
# data/seed/, not the numbers the tests expect.
TEST_SEED = Path(__file__).parent / "files" / "seed"


def seed_rows(name: str) -> list[dict[str, str]]:
    """The rows of one file of the frozen test seed: what every test database was seeded with."""
    with (TEST_SEED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the store as `db`: `make test` runs those again on PostgreSQL, so a
    new database test cannot be left out of a hand-kept list."""
    for item in items:
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database created and seeded by the real `init` path; tests work on copies of it."""
    path = tmp_path_factory.mktemp("template") / "integra.sqlite3"
    init_database(f"sqlite:///{path}", seed_dir=TEST_SEED)
    return path


SERVER_URL = os.environ.get("INTEGRA_TEST_DATABASE_URL")
_numbers = itertools.count()


def _server() -> Engine:
    """Admin connection to the test server (CREATE/DROP DATABASE cannot run in a transaction)."""
    return create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database created, migrated and seeded by the real `init` path, cloned per test."""
    name = f"integra_template_{os.getpid()}"
    server = _server()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    init_database(make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False), seed_dir=TEST_SEED)
    yield name
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private seeded database, also set as INTEGRA_DATABASE_URL for code that reads the setting."""
    if SERVER_URL:
        template = request.getfixturevalue("pg_template")
        name = f"integra_test_{os.getpid()}_{next(_numbers)}"
        server = _server()
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    else:
        path = tmp_path / "integra.sqlite3"
        shutil.copy(request.getfixturevalue("seeded_template"), path)
        url = f"sqlite:///{path}"
    monkeypatch.setenv("INTEGRA_DATABASE_URL", url)
    yield url
    if SERVER_URL:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


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
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        yield context.pages[0]
        context.close()


EDITOR_PASSWORD = "redaktion-geheim-7"


@pytest.fixture
def editor_page(db_url: str, monkeypatch: pytest.MonkeyPatch):
    """The Redaktion page under AppTest, logged in as the editor „Erika“ (its forms and queue)."""
    monkeypatch.setenv("INTEGRA_EDITOR_PASSWORD", EDITOR_PASSWORD)
    at = apptest.login(apptest.page("views/redaktion.py"), EDITOR_PASSWORD)
    assert not at.exception and not at.error, at.exception
    return at
