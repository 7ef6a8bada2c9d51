"""What every benchmark needs: a fresh seeded database, synthetic partners, Chromium, a table printer.

Benchmarks measure and print; they never pass or fail on a time. Figures go into README.md.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from integra import importer
from integra.cli import init_database
from integra.config import GEO_DIR
from integra.store import make_engine
from integra.tabular import read_table
from integra.vocab import PARTNER_TYPES

RUNS = 5  # browser timings are the median of this many page loads


def fresh_database(folder: Path) -> str:
    """A migrated and seeded SQLite file in `folder`; returns its URL."""
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    init_database(url)
    return url


def partner_csv(rows: int, seed: int = 7) -> bytes:
    """A semicolon CSV in CP1252 as Excel writes it, with real Bavarian PLZ/places, a third with coordinates."""
    rng = random.Random(seed)
    places = pd.read_csv(GEO_DIR / "plz_bayern.csv", dtype=str)
    places = places[places["kind"] == "regular"].to_dict("records")
    lines = ["Name;Träger;Straße;PLZ;Ort;Breite;Länge"]
    for i in range(rows):
        place = rng.choice(places)
        kind = rng.choice(PARTNER_TYPES)
        lat, lon = (place["lat"].replace(".", ","), place["lon"].replace(".", ",")) if i % 3 == 0 else ("", "")
        lines.append(
            f"{kind} Gruppe {i} {place['place']};{kind};Hauptstraße {i % 90 + 1};{place['plz']};"
            f"{place['place']};{lat};{lon}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace")


def add_partners(url: str, rows: int) -> None:
    """Import `rows` synthetic partners through the real importer (as an upload would)."""
    engine = make_engine(url)
    data = partner_csv(rows)
    plan = importer.plan_import(engine, read_table(f"partner_{rows}.csv", data), data, only_valid=True)
    importer.apply_import(engine, plan, "benchmark")
    engine.dispose()


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 25 values is the 24th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[min(rank, len(ordered)) - 1]


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a Markdown table (pasted as is into README.md)."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")


def seconds(value: float) -> str:
    return f"{value:.2f} s".replace(".", ",")


def millis(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def megabytes(value: float) -> str:
    return f"{value / 1e6:.2f} MB".replace(".", ",")


def ratio(baseline: float, app: float) -> str:
    return f"{baseline / app:.1f}".replace(".", ",")
