"""Rows as JSON and back, with dates intact: the memory behind undo and backups."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Date, DateTime, Table


def to_json(row: dict[str, object]) -> str:
    return json.dumps(
        row, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v), ensure_ascii=False, sort_keys=True
    )


def revive(table: Table, values: dict[str, object]) -> dict[str, object]:
    """JSON values back to column types (ISO text -> date/datetime); unknown keys are dropped."""
    out = {}
    for column in table.columns:
        if column.key not in values:
            continue
        value = values[column.key]
        if value is not None and isinstance(column.type, DateTime):
            value = dt.datetime.fromisoformat(str(value))
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(str(value))
        out[column.key] = value
    return out


def from_json(table: Table, text: str | None) -> dict[str, object]:
    """The row stored by `to_json`; a change without its before/after snapshot cannot be replayed."""
    if text is None:
        raise ValueError(f"Kein gespeicherter Stand für {table.name}")
    return revive(table, json.loads(text))
