"""The store: migrations, SQLite settings, idempotent init that keeps data, region counts."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, inspect, select, update

from integra.cli import init_database
from integra.config import PROJECT_DIR
from integra.models import Concept, Region
from integra.store import head_revision, make_engine, migrate, schema_revision, transaction

EXPECTED_KREISE = {"091": 23, "092": 12, "093": 10, "094": 13, "095": 12, "096": 12, "097": 14}


def test_migrations_run_from_empty_and_twice(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    assert schema_revision(engine) is None
    migrate(engine)
    migrate(engine)
    assert schema_revision(engine) == head_revision()
    assert {"regions", "concepts", "integration_centres", "partners"} <= set(inspect(engine).get_table_names())


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_and_foreign_keys(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_region_counts(engine):
    with engine.connect() as conn:
        kreise = dict(
            conn.execute(
                select(Region.parent_ags, func.count()).where(Region.level == "kreis").group_by(Region.parent_ags)
            ).all()
        )
        gemeinden = conn.scalar(select(func.count()).where(Region.level == "gemeinde", Region.is_gemeinde))
        gemeindefrei = conn.scalar(select(func.count()).where(Region.level == "gemeinde", ~Region.is_gemeinde))
        regbez = conn.scalar(select(func.count()).where(Region.level == "regbez"))
        kinds = dict(
            conn.execute(select(Region.kind, func.count()).where(Region.level == "kreis").group_by(Region.kind)).all()
        )
    assert kreise == EXPECTED_KREISE
    assert (regbez, gemeinden, gemeindefrei) == (7, 2056, 174)
    assert kinds == {"Landkreis": 71, "Kreisfreie Stadt": 25}


def test_init_again_keeps_stored_changes(db_url, engine):
    with transaction(engine) as session:
        session.execute(
            update(Concept).where(Concept.region_ags == "09471").values(status="vorhanden", title="Von Hand geändert")
        )
    assert init_database(db_url) is False
    with engine.connect() as conn:
        assert conn.scalar(select(Concept.title).where(Concept.region_ags == "09471")) == "Von Hand geändert"
        assert conn.scalar(select(func.count()).select_from(Region)) == 7 + 96 + 2230


def test_init_command_line_is_idempotent(tmp_path):
    env = {"INTEGRA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": ""}
    first = subprocess.run(
        [sys.executable, "-m", "integra", "init"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    )
    second = subprocess.run(
        [sys.executable, "-m", "integra", "init"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert "Startdaten geladen" in first.stdout
    assert "vorhandene Daten behalten" in second.stdout


@pytest.mark.sqlite_only
def test_upgrade_from_the_first_schema_keeps_the_data(tmp_path):
    from alembic import command

    from integra.store import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    command.upgrade(alembic_config(engine), "0001")  # a database made before partner imports existed
    with engine.begin() as conn:  # rows written with the columns of revision 0001 only
        conn.exec_driver_sql(
            "INSERT INTO regions (ags, name, kind, level, parent_ags, is_gemeinde) VALUES "
            "('094', 'Oberfranken', 'Regierungsbezirk', 'regbez', NULL, 0), "
            "('09461', 'Kreisfreie Stadt Bamberg', 'Kreisfreie Stadt', 'kreis', '094', 0), "
            "('09461000', 'Bamberg', 'Kreisfreie Stadt', 'gemeinde', '09461', 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO partners (name, type, gemeinde_ags, kreis_ags, lat, lon, precision, source_url) VALUES "
            "('Helferkreis Bamberg', 'Helferkreis', '09461000', '09461', 49.89, 10.89, 'Gemeinde', 'https://x.de')"
        )
        before = conn.exec_driver_sql("SELECT * FROM partners").all()
    migrate(engine)
    assert schema_revision(engine) == head_revision()
    with engine.connect() as conn:
        after = conn.exec_driver_sql("SELECT * FROM partners").all()
    assert [tuple(row)[: len(before[0])] for row in after] == [tuple(row) for row in before]
    assert after[0][-4:] == (None, None, None, None)  # email, phone, external_id, import_id added empty
