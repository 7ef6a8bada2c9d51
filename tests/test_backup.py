"""Backups restore exactly; anything that is not one of our backups is refused and changes nothing."""

from __future__ import annotations

import gzip
import json

import pytest

from integra import backup, editing
from integra.backup import BackupRejected
from integra.editing import ConceptChange
from integra.store import head_revision
from tests.test_import import snapshot


def _data(tables: list) -> list:
    """All tables but the cache token, which a restore renews on purpose."""
    return [t for t in tables if t[0] != "data_state"]


def test_backup_and_restore_round_trip(engine):
    editing.save_kiz(engine, "09564", "vorgeschlagen", "KIZ Nürnberg", "E")
    saved, state = backup.dump(engine), snapshot(engine)
    editing.set_concept(engine, ConceptChange("09471", "vorhanden"), "E")
    assert _data(snapshot(engine)) != _data(state)
    counts = backup.restore(engine, saved)
    assert counts["regions"] == 2333 and counts["integration_centres"] == 1
    assert _data(snapshot(engine)) == _data(state)


@pytest.mark.parametrize(
    "data",
    [
        b"not gzip",
        gzip.compress(b"[1, 2]"),
        gzip.compress(json.dumps({"app": "andere-app", "schema": head_revision(), "tables": {}}).encode()),
        gzip.compress(json.dumps({"app": backup.APP_ID, "schema": "0001", "tables": {}}).encode()),
        gzip.compress(
            json.dumps({"app": backup.APP_ID, "schema": head_revision(), "tables": {"regions": []}}).encode()
        ),
    ],
)
def test_foreign_files_are_refused_and_nothing_changes(engine, data):
    state = snapshot(engine)
    with pytest.raises(BackupRejected):
        backup.restore(engine, data)
    assert snapshot(engine) == state


def test_a_broken_row_rolls_the_whole_restore_back(engine):
    payload = json.loads(gzip.decompress(backup.dump(engine)))
    payload["tables"]["partners"][0]["type"] = "Unbekannt"  # violates the CHECK constraint mid-restore
    state = snapshot(engine)
    with pytest.raises(Exception, match="CHECK|constraint"):
        backup.restore(engine, gzip.compress(json.dumps(payload).encode()))
    assert snapshot(engine) == state
