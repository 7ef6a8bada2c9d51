"""Full backups of the store as one signed, gzip'd JSON file, and restoring them all-or-nothing.

The format is portable between SQLite and PostgreSQL. A restore replaces every table in one
transaction, so a failure leaves the store as it was. A restore also bypasses every check of the
import, so the file has to pass all of these before the transaction starts:

* size: the gzip is inflated a chunk at a time and refused as soon as the JSON passes
  `MAX_JSON_BYTES` (a 1 MB gzip can hold 1 GiB; inflating it in one go cost 2.25 GB of memory);
* origin: an HMAC-SHA256 over the JSON bytes, keyed by the server's backup key, in a first line
  before the JSON (`integrationslandkarte-bayern backup hmac-sha256=<hex>`); it is checked before
  the JSON is parsed, since parsing 200 MB of forged JSON alone can take gigabytes of memory
  (found in review: a 204 KB file of nested empty lists peaked at 5.3 GB), and a file edited by
  hand is refused;
* content: every row has exactly its table's columns, each value of the column's type (ints are
  ints in the range PostgreSQL stores, dates parse, text fits its length and has no NUL), no
  primary key twice, no reference to a row that is not in the file, and the same
  Regierungsbezirke, Kreise and Gemeinden as the current store (the map, the import and every
  foreign key rest on them; an empty backup must not wipe them).

The database stays the last check (CHECK and UNIQUE constraints); what it refuses is reported as
`BackupRejected` with a German message as well, without SQL or values.

The backup key, first one found wins:

1. `INTEGRA_BACKUP_KEY` in the environment;
2. `backup_key` in the `[integra]` section of `.streamlit/secrets.toml` (beside the editor password);
3. a random key created once in `backup.key` (mode 0600) next to the SQLite database, or in
   `data/` for any other database.

Several app processes or servers on one PostgreSQL database must share the key through 1 or 2:
with key files each host signs with its own key and refuses the backups of the others. A backup
without a valid signature (made before signatures existed, or with another key) is refused;
an administrator can restore it with `python -m integra restore --unsigned-ok`, which skips the
signature check only. The web page never does: an editor account is not shell access to the server.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import json
import math
import os
import secrets
import tomllib
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Engine, Table, delete, func, insert, select, text
from sqlalchemy.exc import DataError, IntegrityError

from integra import snapshots
from integra.config import DATA_DIR, PROJECT_DIR
from integra.models import Base, Region
from integra.problems import Refused
from integra.store import head_revision, mark_changed, transaction

APP_ID = "integrationslandkarte-bayern"
# Not data: a restore gives the store a new cache token and leaves the login throttle (integra.auth) alone.
TABLES = [t for t in Base.metadata.sorted_tables if t.name not in {"data_state", "login_attempts"}]
_LEVELS = {"regbez": "Regierungsbezirke", "kreis": "Kreise", "gemeinde": "Gemeinden"}  # parents before children
HEADER = f"{APP_ID} backup hmac-sha256=".encode("ascii")
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"
KEY_FILE_NAME = "backup.key"
# The seeded store is 0.5 MB of JSON; with 20,000 imported partners and their import history it is
# 25 MB. 200 MiB leaves eight times that, and caps what a forged file can make a restore hold.
MAX_JSON_BYTES = 200 * 2**20
_CHUNK = 2**20
_INT_RANGE = range(-(2**31), 2**31)  # PostgreSQL INTEGER; SQLite would take more and PostgreSQL then refuse
_NOT_OURS = "Die Datei ist keine Sicherung der Integrationslandkarte (kein gzip-JSON)."


class BackupRejected(Refused):
    """Not a backup of this app, not signed by this server, or broken; the message is German."""


def backup_key(engine: Engine) -> bytes:
    """The key backups of `engine`'s store are signed with (order: see the module docstring)."""
    configured = os.environ.get("INTEGRA_BACKUP_KEY") or _secrets_key()
    if configured:
        return configured.encode("utf-8")
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    folder = Path(database).parent if database and database != ":memory:" else DATA_DIR
    return _key_file(folder / KEY_FILE_NAME)


def _secrets_key() -> str | None:
    try:
        with SECRETS_FILE.open("rb") as handle:
            return tomllib.load(handle).get("integra", {}).get("backup_key")
    except FileNotFoundError:
        return None


def _key_file(path: Path) -> bytes:
    """The key in `path`, created once with mode 0600; linked into place so no process reads it half-written."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first; its key counts
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def _signature(body: bytes, key: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")


def seal(payload: dict, key: bytes) -> bytes:
    """`payload` signed with `key`, as the gzip'd file that `restore` accepts: signature line, then JSON."""
    body = snapshots.to_json(payload).encode("utf-8")
    return gzip.compress(HEADER + _signature(body, key) + b"\n" + body)


def unsealed(data: bytes) -> tuple[bytes | None, bytes]:
    """(signature or None, JSON bytes) of a backup file; a file without the signature line is unsigned."""
    raw = _inflate(data)
    if not raw.startswith(HEADER):
        return None, bytes(raw)
    head, _, body = bytes(raw).partition(b"\n")
    return head[len(HEADER) :], body


def dump(engine: Engine) -> bytes:
    """Every data table of the store as one signed backup file."""
    tables = {}
    with engine.connect() as conn:
        for table in TABLES:
            tables[table.name] = [dict(row) for row in conn.execute(select(table)).mappings()]
    return seal({"app": APP_ID, "schema": head_revision(), "tables": tables}, backup_key(engine))


def _inflate(data: bytes) -> bytearray:
    """The gzip's content, inflated a chunk at a time so that a bomb is refused at the bound, not after it."""
    inflater = zlib.decompressobj(wbits=31)  # gzip framing; the trailer's CRC and length are checked
    out, pending = bytearray(), data
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break  # the file ends before the gzip stream does
            if len(out) + len(chunk) > MAX_JSON_BYTES:
                raise BackupRejected(
                    f"Die Sicherung ist entpackt größer als {MAX_JSON_BYTES // 2**20} MB; "
                    "so große Sicherungen nimmt die App nicht an."
                )
            out += chunk
    except zlib.error as exc:
        raise BackupRejected(_NOT_OURS) from exc
    if not inflater.eof or inflater.unused_data:
        raise BackupRejected(_NOT_OURS)
    return out


def _verify(signature: bytes | None, body: bytes, key: bytes) -> None:
    if signature is None:
        raise BackupRejected(
            "Die Sicherung ist nicht signiert (älteres Format). Bitte eine neue Sicherung "
            "herunterladen; ist diese Datei sicher unverändert, kann ein Administrator sie mit "
            "„python -m integra restore --unsigned-ok DATEI“ einspielen."
        )
    if not hmac.compare_digest(signature, _signature(body, key)):
        raise BackupRejected(
            "Die Signatur der Sicherung stimmt nicht: die Datei wurde verändert oder mit einem "
            "anderen Sicherungsschlüssel (INTEGRA_BACKUP_KEY) erstellt."
        )


def _load(engine: Engine, data: bytes, require_signature: bool) -> dict:
    signature, body = unsealed(data)
    if require_signature:
        _verify(signature, body, backup_key(engine))  # before parsing: forged JSON never reaches json.loads
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise BackupRejected(_NOT_OURS) from exc
    if not isinstance(payload, dict) or payload.get("app") != APP_ID:
        raise BackupRejected("Die Datei ist keine Sicherung der Integrationslandkarte.")
    if payload.get("schema") != head_revision():
        raise BackupRejected(f"Die Sicherung hat Schema {payload.get('schema')}, die App braucht {head_revision()}.")
    tables = payload.get("tables")
    if not isinstance(tables, dict) or set(tables) != {t.name for t in TABLES}:
        raise BackupRejected("Die Sicherung ist unvollständig: Tabellen fehlen oder sind unbekannt.")
    return tables


def _broken(table: Table, reason: str, number: int | None = None) -> BackupRejected:
    where = f"Tabelle {table.name}, Zeile {number}" if number else f"Tabelle {table.name}"
    return BackupRejected(f"Die Sicherung ist beschädigt ({where}): {reason}.")


def _value(column: Column, value: object) -> object:
    """`value` as the column's Python type; ValueError with a German reason if it cannot go into the column."""
    if value is None:
        if column.nullable:
            return None
        raise ValueError(f"Spalte {column.key} ist leer")
    kind = column.type.python_type
    if kind in (dt.date, dt.datetime):
        try:
            return kind.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"Spalte {column.key} ist kein gültiges Datum") from None
    if kind is float:
        fits = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    elif kind is int:
        fits = type(value) is int and value in _INT_RANGE
    elif kind is str:
        length = getattr(column.type, "length", None)
        fits = isinstance(value, str) and "\x00" not in value and (length is None or len(value) <= length)
    else:
        fits = type(value) is kind
    if not fits:
        raise ValueError(f"Spalte {column.key} hat einen unpassenden Wert")
    return value


def _row(table: Table, number: int, row: object) -> dict[str, object]:
    if not isinstance(row, dict):
        raise _broken(table, "keine Zeile", number)
    missing = [c.key for c in table.columns if c.key not in row]
    if missing or len(row) != len(table.columns):
        raise _broken(table, f"Spalte {missing[0]} fehlt" if missing else "unbekannte Spalte", number)
    try:
        return {c.key: _value(c, row[c.key]) for c in table.columns}
    except ValueError as exc:
        raise _broken(table, str(exc), number) from None


def _checked(tables: dict) -> dict[str, list[dict[str, object]]]:
    """Every row converted to its column types, with unique keys and references inside the file."""
    rows: dict[str, list[dict[str, object]]] = {}
    for table in TABLES:
        if not isinstance(tables[table.name], list):
            raise _broken(table, "keine Liste von Zeilen")
        rows[table.name] = [_row(table, n, row) for n, row in enumerate(tables[table.name], 1)]
    targets = {
        (fk.column.table.name, fk.column.key): {r[fk.column.key] for r in rows[fk.column.table.name]}
        for table in TABLES
        for fk in table.foreign_keys
    }
    for table in TABLES:
        keys: set[tuple] = set()
        for number, row in enumerate(rows[table.name], 1):
            key = tuple(row[c.key] for c in table.primary_key)
            if key in keys:
                raise _broken(table, "Schlüssel doppelt", number)
            keys.add(key)
            for fk in table.foreign_keys:
                value = row[fk.parent.key]
                if value is not None and value not in targets[fk.column.table.name, fk.column.key]:
                    raise _broken(table, f"Spalte {fk.parent.key} verweist auf einen fehlenden Eintrag", number)
    return rows


def _counted(regions: set[tuple[Any, Any]]) -> str:
    """'7 Regierungsbezirke, 96 Kreise, 2230 Gemeinden' for a set of (level, ags)."""
    levels = Counter(level for level, _ in regions)
    return ", ".join(f"{levels[code]} {name}" for code, name in _LEVELS.items())


def _check_regions(engine: Engine, regions: list[dict[str, object]]) -> None:
    """The backup must hold exactly the regions of the current store (seeded from the shipped geodata)."""
    with engine.connect() as conn:
        here = {(level, ags) for level, ags in conn.execute(select(Region.level, Region.ags))}
    if not here:
        raise BackupRejected("Die Datenbank hat keine Gebiete; bitte zuerst „python -m integra init“ ausführen.")
    there = {(r["level"], r["ags"]) for r in regions}
    if there != here:
        raise BackupRejected(
            f"Die Sicherung enthält nicht die Gebiete dieser Datenbank ({_counted(here)}), sondern {_counted(there)}."
        )


def restore(engine: Engine, data: bytes, *, require_signature: bool = True) -> dict[str, int]:
    """Replace the whole store by the backup; returns rows per table.

    A file that is foreign, unsigned, edited or broken raises BackupRejected (German) with the store
    unchanged; only a failure of the database itself (disk full, connection lost) raises SQLAlchemy's error.
    """
    tables = _checked(_load(engine, data, require_signature))
    _check_regions(engine, tables["regions"])
    tables["regions"].sort(key=lambda r: list(_LEVELS).index(r["level"]))  # type: ignore[arg-type]
    with transaction(engine) as session:
        for table in reversed(TABLES):
            session.execute(delete(table))
        for table in TABLES:
            try:
                if tables[table.name]:
                    session.execute(insert(table), tables[table.name])
            except IntegrityError as exc:
                raise _broken(
                    table,
                    "eine Zeile verletzt eine Regel der Datenbank (unbekannter Status oder Typ, doppelter Eintrag)",
                ) from exc
            except DataError as exc:
                raise _broken(table, "ein Wert passt nicht in seine Spalte") from exc
        if session.get_bind().dialect.name == "postgresql":
            for table in TABLES:
                if "id" in table.c and table is not Region.__table__:
                    session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
        mark_changed(session)
        counts = {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}
        if counts != {name: len(rows) for name, rows in tables.items()}:
            raise BackupRejected("Die Datenbank hat nicht alle Zeilen der Sicherung übernommen.")
        return counts
