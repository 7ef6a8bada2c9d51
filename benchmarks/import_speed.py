"""Import throughput: 10,000 and 50,000 partner rows (parse, validate, locate, diff, apply).

Run alone: `.venv/bin/python -m benchmarks.import_speed`. Each size goes into a fresh seeded
SQLite database; the CSV is CP1252 with real Bavarian PLZ and places, a third with coordinates.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import fresh_database, partner_csv, seconds, table
from integra import importer
from integra.store import make_engine
from integra.tabular import read_table

HEADER = ["Zeilen", "lesen", "prüfen + verorten + vergleichen", "übernehmen", "gesamt", "Zeilen/s", "Fehler"]


def measure(rows: int) -> list[object]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(fresh_database(Path(tmp)))
        data = partner_csv(rows)
        start = time.perf_counter()
        parsed_table = read_table(f"partner_{rows}.csv", data)
        parsed = time.perf_counter()
        plan = importer.plan_import(engine, parsed_table, data, only_valid=True)
        planned = time.perf_counter()
        importer.apply_import(engine, plan, "benchmark")
        applied = time.perf_counter()
        engine.dispose()
    total = applied - start
    return [
        f"{rows:,}".replace(",", "."),
        seconds(parsed - start),
        seconds(planned - parsed),
        seconds(applied - planned),
        seconds(total),
        f"{rows / total:,.0f}".replace(",", "."),
        len(plan.errors),
    ]


def main() -> None:
    table("Import (CSV, CP1252)", HEADER, [measure(rows) for rows in (10_000, 50_000)])


if __name__ == "__main__":
    main()
