"""Visitors' reports (issue 13): time from a report to the editors' queue, and the queue with 1,000 open.

Run alone: `.venv/bin/python -m benchmarks.report_queue`. A fresh seeded SQLite database; the reports
are filed through `reports.submit` (the form's path) for random Kreise and Gemeinden.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.common import fresh_database, median, millis, table
from integra import queries, reports
from integra.config import PROJECT_DIR
from integra.reports import MAX_PENDING, NoteReport, PartnerReport
from integra.store import make_engine

PASSWORD = "benchmark-geheim-1"
SOURCE = "https://example.org/quelle"
# Files one report from a process of its own, as a second app replica (or the command line) would.
_OTHER_PROCESS = (
    "import sys; from integra import reports; from integra.store import make_engine;"
    "print(reports.submit(make_engine(sys.argv[1]), reports.NoteReport('09475', sys.argv[2], sys.argv[3])))"
)


def _visible(engine, report_id: int) -> float:
    """Seconds until the editors' queue lists the report (polled as a rerun would read it)."""
    start = time.perf_counter()
    while not any(row["id"] == report_id for row in reports.listed(engine, "pending")):
        time.sleep(0.001)
    return time.perf_counter() - start


def _partner_figures(engine) -> list[list[str]]:
    """Partner reports: filing (read and located like an uploaded row) and accepting (a one-row import)."""
    partners = queries.partners(engine).head(10)
    filed, accepted = {"neu": [], "Korrektur": []}, {"neu": [], "Korrektur": []}
    for n, (pid, city) in enumerate(zip(partners["id"], partners["city"], strict=True)):
        for kind, report in (
            ("neu", PartnerReport(SOURCE, f"Helferkreis Benchmark {n}", "Helferkreis", city=str(city))),
            ("Korrektur", PartnerReport(SOURCE, f"Korrigiert {n}", "Caritas", city=str(city), partner_id=int(pid))),
        ):
            start = time.perf_counter()
            report_id = reports.submit(engine, report)
            filed[kind].append(time.perf_counter() - start)
            start = time.perf_counter()
            reports.accept(engine, report_id, "Benchmark")
            accepted[kind].append(time.perf_counter() - start)
    return [
        [f"Partner {kind}", len(filed[kind]), millis(median(filed[kind])), millis(median(accepted[kind]))]
        for kind in filed
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_database(Path(tmp))
        engine = make_engine(url)
        areas = list(queries.editable_regions(engine).values())
        partner_rows = _partner_figures(engine)
        rng = random.Random(13)
        same = []
        for n in range(20):
            start = time.perf_counter()
            report_id = reports.submit(engine, NoteReport(rng.choice(areas), f"Meldung {n}", SOURCE))
            same.append(time.perf_counter() - start + _visible(engine, report_id))
        other = []
        for n in range(5):
            done = subprocess.run(
                [sys.executable, "-c", _OTHER_PROCESS, url, f"anderer Prozess {n}", SOURCE],
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                check=True,
            )
            other.append(_visible(engine, int(done.stdout)))
        submits = []
        while len(reports.listed(engine, "pending")) < MAX_PENDING:
            start = time.perf_counter()
            reports.submit(engine, NoteReport(rng.choice(areas), f"Flut {rng.random()}", SOURCE))
            submits.append(time.perf_counter() - start)
        refused = 0
        try:
            reports.submit(engine, NoteReport(areas[0], "eine zu viel", SOURCE))
        except reports.ReportRefused:
            refused = 1
        start = time.perf_counter()
        listed = reports.listed(engine, "pending")
        listing = time.perf_counter() - start
        start = time.perf_counter()
        reports.pending_by_region(engine)
        counting = time.perf_counter() - start
        os.environ.update(INTEGRA_DATABASE_URL=url, INTEGRA_EDITOR_PASSWORD=PASSWORD)
        at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=120).run()
        at.switch_page("views/redaktion.py").run()
        at.text_input(key="login_name").input("Benchmark")
        at.text_input(key="login_password").input(PASSWORD)
        next(b for b in at.button if b.label == "Anmelden").click().run()
        start = time.perf_counter()
        at.run()
        page = time.perf_counter() - start
        laid_out = len([b for b in at.button if b.label == "Annehmen"])
        engine.dispose()
    table(
        "Meldungen: bis in der Warteschlange der Redaktion (Median)",
        ["Weg", "Meldungen", "Median", "max"],
        [
            ["derselbe Prozess (einreichen + erscheinen)", len(same), millis(median(same)), millis(max(same))],
            ["anderer Prozess (ab Ende des Einreichens)", len(other), millis(median(other)), millis(max(other))],
        ],
    )
    table(
        "Partner-Meldungen (Ort über den Offline-Lokator, Annehmen als Import mit einer Zeile)",
        ["Art", "Meldungen", "einreichen (Median)", "annehmen (Median)"],
        partner_rows,
    )
    table(
        f"Warteschlange mit {len(listed)} offenen Meldungen",
        ["Messung", "Wert"],
        [
            ["einreichen (Median über die Flut)", millis(median(submits))],
            ["Meldung Nr. 1.001", "abgelehnt (Obergrenze)" if refused else "angenommen (Fehler!)"],
            ["Liste lesen (reports.listed)", millis(listing)],
            ["Zahl je Gebiet (Popups)", millis(counting)],
            ["Redaktion-Seite neu laden (AppTest, angemeldet)", millis(page)],
            ["dort ausgelegte Meldungen", f"{laid_out} (der Rest wird gezählt)"],
        ],
    )


if __name__ == "__main__":
    main()
