"""Backups restore exactly; anything that is not an unchanged backup of this server is refused and changes nothing."""

from __future__ import annotations

import gzip
import json
import stat
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest

from integra import backup, editing
from integra.backup import BackupRejected
from integra.editing import ConceptChange
from integra.store import head_revision
from tests.test_import import snapshot

KEY = "test-sicherungsschluessel-0123456789"


@pytest.fixture(autouse=True)
def known_key(monkeypatch):
    """One known key, so tests can sign edited payloads (and PostgreSQL runs write no key file into data/)."""
    monkeypatch.setenv("INTEGRA_BACKUP_KEY", KEY)


def _data(tables: list) -> list:
    """All tables but the cache token, which a restore renews on purpose."""
    return [t for t in tables if t[0] != "data_state"]


def _payload(engine) -> dict:
    return json.loads(backup.unsealed(backup.dump(engine))[1])


def _signed(payload: dict) -> bytes:
    """The payload as a correctly signed backup: what only someone holding the key can make."""
    return backup.seal(payload, KEY.encode())


def _refused(engine, data: bytes, match: str, **options) -> str:
    state = snapshot(engine)
    with pytest.raises(BackupRejected, match=match) as refusal:
        backup.restore(engine, data, **options)
    assert snapshot(engine) == state
    return str(refusal.value)


def test_backup_and_restore_round_trip(engine):
    editing.save_kiz(engine, editing.KizChange("09564", "vorgeschlagen", "KIZ Nürnberg"), "E")
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
        gzip.compress(b"[" * 100_000),
        gzip.compress(json.dumps({"app": "andere-app", "schema": head_revision(), "tables": {}}).encode()),
        backup.seal({"app": backup.APP_ID, "schema": "0001", "tables": {}}, KEY.encode()),
        backup.seal({"app": backup.APP_ID, "schema": head_revision(), "tables": {"regions": []}}, KEY.encode()),
    ],
)
def test_foreign_files_are_refused_and_nothing_changes(engine, data):
    _refused(engine, data, "Sicherung")


def test_damaged_copies_of_a_real_backup_are_refused(engine):
    good = backup.dump(engine)
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x55
    for data in (good[: len(good) // 2], good[:-1], good[:-8], bytes(flipped), good + b"Nachtrag", good + good):
        _refused(engine, data, "keine Sicherung|Signatur")


def _gzip_bomb(mib: int) -> bytes:
    """`mib` MiB of spaces as a valid gzip of about `mib` KiB, built without ever holding the spaces.

    Deflate output up to a full flush refers to nothing before it, so one compressed MiB can be repeated.
    """
    block = b" " * 2**20
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = deflater.compress(block) + deflater.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final, empty block
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, no time, best compression
    return header + piece * mib + end + struct.pack("<II", crc, (mib << 20) % 2**32)


def _peak_while_refused(engine, data: bytes, match: str) -> int:
    """Peak Python memory (bytes) of a refused restore of `data`."""
    tracemalloc.start()
    try:
        _refused(engine, data, match)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_is_refused_at_the_bound_without_inflating_it(engine):
    assert gzip.decompress(_gzip_bomb(2)) == b" " * 2**21  # the construction makes real gzip
    bomb = _gzip_bomb(1024)
    assert len(bomb) < 1.1e6  # 1 MB on disk, 1 GiB inside
    peak = _peak_while_refused(engine, bomb, "größer als 200 MB")
    assert peak < backup.MAX_JSON_BYTES * 1.2 < 2**30 / 4, peak  # the bound plus slack, never the gigabyte


def test_a_backup_edited_by_hand_is_refused(engine):
    signature, body = backup.unsealed(backup.dump(engine))
    payload = json.loads(body)
    payload["tables"]["partners"][0]["name"] = "<script>alert(1)</script> {{ 7*7 }}"
    edited = backup.HEADER + signature + b"\n" + json.dumps(payload).encode()  # the old signature line kept
    _refused(engine, gzip.compress(edited), "Signatur der Sicherung stimmt nicht")


def test_a_forged_json_bomb_is_refused_before_it_is_parsed(engine):
    """Found in review: 200 MB of nested empty lists (a 204 KB gzip) cost 5.3 GB in json.loads before refusal."""
    body = b'{"app":"x","t":[' + b"[]," * (20 * 2**20) + b"[]]}"
    forged = gzip.compress(backup.HEADER + b"0" * 64 + b"\n" + body, compresslevel=9)
    peak = _peak_while_refused(engine, forged, "Signatur der Sicherung stimmt nicht")
    assert peak < 4 * len(body), peak  # the bytes and a copy; json.loads would need ~20 times their size


def test_a_backup_signed_with_another_key_is_refused(engine):
    payload = _payload(engine)
    _refused(engine, backup.seal(payload, b"ein-anderer-server"), "anderen Sicherungsschl")


def test_an_unsigned_backup_needs_the_admin_flag_and_is_still_checked(engine):
    payload = _payload(engine)
    unsigned = gzip.compress(json.dumps(payload).encode())
    assert "--unsigned-ok" in _refused(engine, unsigned, "nicht signiert")
    payload["tables"]["partners"][0]["id"] = "eins"
    _refused(engine, gzip.compress(json.dumps(payload).encode()), "Zeile 1", require_signature=False)
    editing.set_concept(engine, ConceptChange("09471", "vorhanden"), "E")
    assert backup.restore(engine, unsigned, require_signature=False)["partners"] == len(payload["tables"]["partners"])


@pytest.mark.parametrize("keep", [0, 2332], ids=["all-empty", "one-gemeinde-missing"])
def test_a_signed_backup_without_the_regions_is_refused(engine, keep):
    payload = _payload(engine)
    payload["tables"] = {name: [] for name in payload["tables"]}
    payload["tables"]["regions"] = _payload(engine)["tables"]["regions"][:keep]
    message = _refused(engine, _signed(payload), "nicht die Gebiete")
    assert "(7 Regierungsbezirke, 96 Kreise, 2230 Gemeinden)" in message


def _set(table: str, index: int, column: str, value: object):
    def edit(tables: dict) -> None:
        tables[table][index][column] = value

    return edit


def _drop(table: str, index: int, column: str):
    return lambda tables: tables[table][index].pop(column)


def _same_id(tables: dict) -> None:
    tables["partners"][1]["id"] = tables["partners"][0]["id"]


def _same_region(tables: dict) -> None:
    tables["concepts"][1]["region_ags"] = tables["concepts"][0]["region_ags"]


@pytest.mark.parametrize(
    ("edit", "where", "reason"),
    [
        (_set("partners", 16, "kreis_ags", "09999"), "partners, Zeile 17", "kreis_ags verweist auf einen fehlenden"),
        (_set("partners", 0, "import_id", 5), "partners, Zeile 1", "import_id verweist"),
        (_drop("partners", 0, "name"), "partners, Zeile 1", "Spalte name fehlt"),
        (_set("partners", 0, "name", None), "partners, Zeile 1", "Spalte name ist leer"),
        (_set("partners", 0, "extra", 1), "partners, Zeile 1", "unbekannte Spalte"),
        (_same_id, "partners, Zeile 2", "Schlüssel doppelt"),
        (_set("partners", 0, "id", "1"), "partners, Zeile 1", "Spalte id hat einen unpassenden Wert"),
        (_set("partners", 0, "updated_at", "gestern"), "partners, Zeile 1", "updated_at ist kein gültiges Datum"),
        (_set("concepts", 3, "checked_on", 20240101), "concepts, Zeile 4", "checked_on ist kein gültiges Datum"),
        (_set("concepts", 0, "year", 2**40), "concepts, Zeile 1", "year hat einen unpassenden Wert"),
        (_set("partners", 0, "lat", True), "partners, Zeile 1", "lat hat einen unpassenden Wert"),
        (_set("partners", 0, "plz", "960471"), "partners, Zeile 1", "plz hat einen unpassenden Wert"),
        (_set("partners", 0, "city", "Bam\x00berg"), "partners, Zeile 1", "city hat einen unpassenden Wert"),
        (_set("regions", 0, "is_gemeinde", "nein"), "regions, Zeile 1", "is_gemeinde hat einen unpassenden"),
        (lambda tables: tables["partners"].__setitem__(0, [1, 2]), "partners, Zeile 1", "keine Zeile"),
        (_set("partners", 0, "type", "Unbekannt"), "partners", "verletzt eine Regel der Datenbank"),  # CHECK
        (_same_region, "concepts", "verletzt eine Regel der Datenbank"),  # UNIQUE
    ],
)
def test_a_broken_signed_backup_is_refused_in_german_before_anything_changes(engine, edit, where, reason):
    payload = _payload(engine)
    edit(payload["tables"])
    message = _refused(engine, _signed(payload), "Die Sicherung ist beschädigt")
    assert f"(Tabelle {where})" in message and reason in message
    assert not any(word in message for word in ("INSERT", "SELECT", "parameters", "sqlalchemy", "\x00"))


def test_the_key_file_is_created_once_next_to_the_database_and_private(engine, monkeypatch, tmp_path):
    monkeypatch.delenv("INTEGRA_BACKUP_KEY")
    monkeypatch.setattr(backup, "SECRETS_FILE", tmp_path / "keine-secrets.toml")
    monkeypatch.setattr(backup, "DATA_DIR", tmp_path / "data")  # where non-SQLite stores keep it
    folder = Path(engine.url.database).parent if engine.dialect.name == "sqlite" else tmp_path / "data"
    saved = backup.dump(engine)
    key_file = folder / backup.KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_text()) == 64
    assert backup.backup_key(engine) == key_file.read_text().encode()
    assert backup.restore(engine, saved)["regions"] == 2333
    monkeypatch.setenv("INTEGRA_BACKUP_KEY", KEY)  # a shared key (replicas) wins over the file
    _refused(engine, saved, "Signatur")


def test_the_key_can_come_from_secrets_toml(engine, monkeypatch, tmp_path):
    monkeypatch.delenv("INTEGRA_BACKUP_KEY")
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('[integra]\nbackup_key = "aus-secrets-toml-0123456789"\n', encoding="utf-8")
    monkeypatch.setattr(backup, "SECRETS_FILE", secrets_file)
    assert backup.backup_key(engine) == b"aus-secrets-toml-0123456789"
    payload = _payload(engine)
    restored = backup.restore(engine, backup.seal(payload, b"aus-secrets-toml-0123456789"))
    assert restored["partners"] == len(payload["tables"]["partners"]) > 0
