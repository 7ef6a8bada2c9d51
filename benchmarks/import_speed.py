"""Import throughput: 10,000 and 50,000 partner rows, parse + validate + locate + diff, then apply.

Run: `.venv/bin/python -m benchmarks.import_speed`. Builds the files from the PLZ gazetteer (real
Bavarian PLZ and places, a third with coordinates), imports them into a fresh seeded SQLite
database in a temporary folder and prints the times and the peak memory of this process.
"""

from __future__ import annotations

import random
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from integra import importer
from integra.cli import init_database
from integra.config import GEO_DIR
from integra.store import make_engine
from integra.tabular import read_table
from integra.vocab import PARTNER_TYPES


def partner_csv(rows: int, seed: int = 7) -> bytes:
    """A semicolon CSV in CP1252 as Excel writes it, with Bavarian PLZ/places and some coordinates."""
    rng = random.Random(seed)
    places = pd.read_csv(GEO_DIR / "plz_bayern.csv", dtype=str)
    places = places[places["kind"] == "regular"].to_dict("records")
    lines = ["Name;Träger;Straße;PLZ;Ort;Breite;Länge"]
    for i in range(rows):
        place = rng.choice(places)
        kind = rng.choice(PARTNER_TYPES)
        lat, lon = (place["lat"].replace(".", ","), place["lon"].replace(".", ",")) if i % 3 == 0 else ("", "")
        lines.append(f"{kind} Gruppe {i} {place['place']};{kind};Hauptstraße {i % 90 + 1};{place['plz']};"
                     f"{place['place']};{lat};{lon}")  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace")


def run(rows: int, url: str) -> None:
    data = partner_csv(rows)
    engine = make_engine(url)
    start = time.perf_counter()
    table = read_table(f"partner_{rows}.csv", data)
    parsed = time.perf_counter()
    plan = importer.plan_import(engine, table, data, only_valid=True)
    planned = time.perf_counter()
    importer.apply_import(engine, plan, "benchmark")
    applied = time.perf_counter()
    engine.dispose()
    print(f"{rows:>7,} Zeilen ({len(data) / 1e6:.1f} MB): lesen {parsed - start:.2f} s, prüfen+verorten+vergleichen "
          f"{planned - parsed:.2f} s, zusammen {planned - start:.2f} s; übernehmen {applied - planned:.2f} s; "
          f"gesamt {applied - start:.2f} s; neu {len(plan.inserts):,}, Fehler {len(plan.errors)}")  # fmt: skip


def main() -> None:
    for rows in (10_000, 50_000):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            init_database(url)
            run(rows, url)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Spitzenspeicher dieses Prozesses: {peak:.0f} MB")


if __name__ == "__main__":
    main()
