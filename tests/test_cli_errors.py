"""Write commands that fail end with one German line (or the JSON error object), exit 1 and an unchanged store.

Never a traceback: SQLAlchemy's error text carries the SQL and the row values (security review L7, M5).
The commands run in-process, so an exception escaping `main` fails the test.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text

from integra import backup, cli, queries, store
from tests.test_import import snapshot

KEY = "cli-test-sicherungsschluessel-0123"
SQLITE_ONLY = pytest.mark.skipif(
    bool(os.environ.get("INTEGRA_TEST_DATABASE_URL")), reason="PRAGMA max_page_count is SQLite's way to fill a database"
)
LEAKS = ("INSERT", "parameters", "psycopg", "sqlalchemy", "\\u0000")


@pytest.fixture(autouse=True)
def known_key(monkeypatch):
    monkeypatch.setenv("INTEGRA_BACKUP_KEY", KEY)


def _full(real):
    """`connected` whose engines may not grow their SQLite file: "database or disk is full" on the first new page."""

    @contextmanager
    def connected(url=None):
        with real(url) as engine:
            event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA max_page_count = 1"))
            yield engine

    return connected


def partner_list(tmp_path, rows: int):
    path = tmp_path / "liste.csv"
    lines = "".join(f"Helferkreis {i};Helferkreis;Hauptstraße {i};96047;Bamberg\n" for i in range(rows))
    path.write_text("Name;Träger;Straße;PLZ;Ort\n" + lines, encoding="utf-8")
    return path


@SQLITE_ONLY
def test_import_into_a_full_database_gives_the_json_error_and_changes_nothing(engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "connected", _full(cli.connected))
    state = snapshot(engine)
    assert cli.main(["import-partners", str(partner_list(tmp_path, 3000)), "--json"]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["applied"] is False and report["inserted"] == 0
    full = "Die Datenbank ist voll (kein Speicherplatz mehr). Nichts geändert."
    assert report["errors"] == [{"row": None, "column": None, "message": full}]
    assert err == ""
    assert snapshot(engine) == state
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


@SQLITE_ONLY
def test_restore_into_a_full_database_says_so_in_one_line(
    engine, db_url, tmp_path, seeded_template, monkeypatch, capsys
):
    assert cli.main(["import-partners", str(partner_list(tmp_path, 3000))]) == 0
    saved = tmp_path / "gross.json.gz"
    assert cli.main(["backup", str(saved)]) == 0
    small = tmp_path / "klein.sqlite3"
    shutil.copy(seeded_template, small)
    monkeypatch.setenv("INTEGRA_DATABASE_URL", f"sqlite:///{small}")
    target = create_engine(f"sqlite:///{small}")
    state = snapshot(target)
    capsys.readouterr()
    monkeypatch.setattr(cli, "connected", _full(cli.connected))
    assert cli.main(["restore", str(saved)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"{saved}: Die Datenbank ist voll (kein Speicherplatz mehr). Nichts geändert.\n"
    assert snapshot(target) == state
    target.dispose()


def test_restore_refusals_are_one_german_line(engine, tmp_path, capsys):
    payload = json.loads(backup.unsealed(backup.dump(engine))[1])
    payload["tables"]["partners"][16]["kreis_ags"] = "09999"
    broken = tmp_path / "kaputt.json.gz"
    broken.write_bytes(backup.seal(payload, KEY.encode()))
    payload["tables"]["partners"][16]["kreis_ags"] = "09471"
    unsigned = tmp_path / "alt.json.gz"
    unsigned.write_bytes(gzip.compress(json.dumps(payload).encode()))
    state = snapshot(engine)
    assert cli.main(["restore", str(broken)]) == 1
    assert capsys.readouterr() == (
        "",
        f"{broken}: Die Sicherung ist beschädigt (Tabelle partners, Zeile 17): "
        "Spalte kreis_ags verweist auf einen fehlenden Eintrag. Nichts geändert.\n",
    )
    assert cli.main(["restore", str(unsigned)]) == 1
    out, err = capsys.readouterr()
    assert "nicht signiert" in err and "--unsigned-ok" in err and err.count("\n") == 1 and out == ""
    assert snapshot(engine) == state
    assert cli.main(["restore", str(unsigned), "--unsigned-ok"]) == 0
    out = capsys.readouterr().out
    partners = len(queries.partners(engine))
    assert (
        out.startswith(f"Wiederhergestellt aus {unsigned}: ")
        and "2333 regions" in out
        and f"{partners} partners" in out
    )


def test_import_with_a_nul_byte_never_shows_the_database_error(engine, tmp_path, capsys):
    """On PostgreSQL a NUL reaches the driver as DataError unless the reader refuses it first; either way: German."""
    path = partner_list(tmp_path, 200)
    path.write_bytes(path.read_bytes() + b"Helfer\x00kreis;Helferkreis;;96047;Bamberg\n")
    state = snapshot(engine)
    code = cli.main(["import-partners", str(path), "--json"])
    out, err = capsys.readouterr()
    if engine.dialect.name == "sqlite" and code == 0:
        pytest.skip("SQLite stores the NUL; the database refusal exists on PostgreSQL only")
    assert code == 1 and err == "" and not any(word in out for word in LEAKS)
    report = json.loads(out)
    assert not report["applied"] and report["errors"][0]["message"]
    assert snapshot(engine) == state


@pytest.mark.skipif(not os.environ.get("INTEGRA_TEST_DATABASE_URL"), reason="PostgreSQL refuses NUL, SQLite not")
def test_a_postgresql_data_error_becomes_a_german_line(engine):
    from sqlalchemy.exc import DataError

    with pytest.raises(DataError) as error, engine.connect() as conn:
        conn.execute(text("SELECT CAST(:value AS text)"), {"value": "Helfer\x00kreis"})
    assert store.db_failure(error.value) == (
        "Die Datenbank kann einen Wert nicht speichern (z. B. ein NUL-Zeichen im Text)."
    )


@pytest.mark.parametrize("command", ["undo-import 1", "backup sicherung.json.gz", "init"])
def test_an_unreachable_database_is_one_german_line(monkeypatch, tmp_path, capsys, command):
    monkeypatch.setenv("INTEGRA_DATABASE_URL", "postgresql+psycopg://integra:geheim@127.0.0.1:9/integra")
    monkeypatch.chdir(tmp_path)
    assert cli.main(command.split()) == 1
    out, err = capsys.readouterr()
    assert "Die Datenbank ist nicht erreichbar" in err and err.count("\n") == 1 and "geheim" not in out + err
