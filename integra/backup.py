"""Full backups of the store as one gzip'd JSON file, and restoring them all-or-nothing.

The format is portable between SQLite and PostgreSQL. A restore checks that the file is a
backup of this app and of the current schema before it touches anything; then it replaces
every table in one transaction, so a failure leaves the store as it was.
"""

from __future__ import annotations

import gzip
import json

from sqlalchemy import Engine, delete, func, insert, select, text

from integra import snapshots
from integra.models import Base, Region
from integra.store import head_revision, mark_changed, transaction

APP_ID = "integrationslandkarte-bayern"
# The cache token is not data: a restore gives the store a new one instead.
TABLES = [t for t in Base.metadata.sorted_tables if t.name != "data_state"]
_LEVEL_ORDER = {"regbez": 0, "kreis": 1, "gemeinde": 2}  # parents before children (regions refer to regions)


class BackupRejected(ValueError):
    """Not a backup of this app (or of another schema); the message is German."""


def dump(engine: Engine) -> bytes:
    tables = {}
    with engine.connect() as conn:
        for table in TABLES:
            tables[table.name] = [dict(row) for row in conn.execute(select(table)).mappings()]
    payload = {"app": APP_ID, "schema": head_revision(), "tables": tables}
    return gzip.compress(snapshots.to_json(payload).encode("utf-8"))


def _load(data: bytes) -> dict:
    try:
        payload = json.loads(gzip.decompress(data).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise BackupRejected("Die Datei ist keine Sicherung der Integrationslandkarte (kein gzip-JSON).") from exc
    if not isinstance(payload, dict) or payload.get("app") != APP_ID:
        raise BackupRejected("Die Datei ist keine Sicherung der Integrationslandkarte.")
    if payload.get("schema") != head_revision():
        raise BackupRejected(f"Die Sicherung hat Schema {payload.get('schema')}, die App braucht {head_revision()}.")
    tables = payload.get("tables")
    known = {t.name: t for t in TABLES}
    if not isinstance(tables, dict) or set(tables) != set(known):
        raise BackupRejected("Die Sicherung ist unvollständig: Tabellen fehlen oder sind unbekannt.")
    for name, rows in tables.items():
        columns = {c.key for c in known[name].columns}
        if not isinstance(rows, list) or any(not isinstance(r, dict) or set(r) - columns for r in rows):
            raise BackupRejected(f"Die Sicherung ist beschädigt (Tabelle {name}).")
    return tables


def restore(engine: Engine, data: bytes) -> dict[str, int]:
    """Replace the whole store by the backup; returns rows per table. Refuses foreign files unchanged."""
    tables = _load(data)
    tables["regions"] = sorted(tables["regions"], key=lambda r: _LEVEL_ORDER.get(r.get("level"), 3))
    with transaction(engine) as session:
        for table in reversed(TABLES):
            session.execute(delete(table))
        for table in TABLES:
            rows = [snapshots.revive(table, row) for row in tables[table.name]]
            if rows:
                session.execute(insert(table), rows)
        if session.get_bind().dialect.name == "postgresql":
            for table in TABLES:
                if "id" in table.c and table is not Region.__table__:
                    session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                         f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"))  # fmt: skip
        mark_changed(session)
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in TABLES}
