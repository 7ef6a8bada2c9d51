"""Many viewers at once: 25 browser sessions open the Karte and switch the Regierungsbezirk together.

Run alone: `.venv/bin/python -m benchmarks.load [Sitzungen]`. Loopback only: one real
`streamlit run` on a fresh seeded SQLite database, one headless Chromium with one isolated
context (own cookies, own Streamlit session and websocket) per viewer, all started at once.
Each session opens `/karte`, waits for all 96 Kreise, picks a Regierungsbezirk in the sidebar
(the seven in turn) and waits for that district's Kreise. Bounded: 25 sessions by default
(at most 50), 180 s per step, 600 s for the whole run; a session that fails or times out is
counted as an error, never retried.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, async_playwright, expect

from benchmarks.common import fresh_database, percentile, seconds, table
from integra.devserver import running_app
from integra.vocab import REGIERUNGSBEZIRKE
from tests.browser import CHROMIUM, FLAGS, MAP_FRAME

SESSIONS = 25
MAX_SESSIONS = 50
STEP_MS = 180_000
RUN_SECONDS = 600
KREISE_PER_REGBEZ = {
    "Oberbayern": 23,
    "Niederbayern": 12,
    "Oberpfalz": 10,
    "Oberfranken": 13,
    "Mittelfranken": 12,
    "Unterfranken": 12,
    "Schwaben": 14,
}


# Many pages in one browser: without these Chromium throttles all but the focused page, and the
# measured times would be the browser's queueing, not the app's.
CROWD_FLAGS = [
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
]


@dataclass
class Outcome:
    to_map: float | None = None
    to_switch: float | None = None
    error: str | None = None


async def viewer(browser: Browser, base: str, regbez: str) -> Outcome:
    outcome = Outcome()
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(f"{base}/karte?karte=ohne+Hintergrundkarte", timeout=STEP_MS)
        polygons = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")
        await expect(polygons).to_have_count(96, timeout=STEP_MS)
        outcome.to_map = time.perf_counter() - start
        start = time.perf_counter()
        await page.get_by_role("combobox", name="Regierungsbezirk").click(timeout=STEP_MS)
        await page.get_by_role("option", name=regbez).click(timeout=STEP_MS)
        await expect(polygons).to_have_count(KREISE_PER_REGBEZ[regbez], timeout=STEP_MS)
        outcome.to_switch = time.perf_counter() - start
    except Exception as exc:
        outcome.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    finally:
        await context.close()
    return outcome


async def crowd(base: str, sessions: int) -> tuple[list[Outcome], float]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS + CROWD_FLAGS)
        start = time.perf_counter()
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(viewer(browser, base, REGIERUNGSBEZIRKE[i % 7]) for i in range(sessions))),
            timeout=RUN_SECONDS,
        )
        wall = time.perf_counter() - start
        await browser.close()
    return list(outcomes), wall


def _spread(values: list[float]) -> list[str]:
    if not values:
        return ["–", "–", "–"]
    return [seconds(percentile(values, 0.50)), seconds(percentile(values, 0.95)), seconds(max(values))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(folder: Path, sessions: int = SESSIONS) -> list[list[object]]:
    url = fresh_database(folder)
    with running_app(url, folder / "streamlit.log") as app:
        before = cpu_seconds(app.pid)
        outcomes, wall = asyncio.run(crowd(app.url, sessions))
        server_cpu = cpu_seconds(app.pid) - before
    errors = [o.error for o in outcomes if o.error]
    for error in sorted(set(errors)):
        print(f"  Fehler ({errors.count(error)}×): {error}")
    return [
        [
            "Karte öffnen bis 96 Kreise",
            *_spread([o.to_map for o in outcomes if o.to_map is not None]),
            len([o for o in outcomes if o.to_map is None]),
        ],
        [
            "Regierungsbezirk wechseln bis dessen Kreise",
            *_spread([o.to_switch for o in outcomes if o.to_switch is not None]),
            len([o for o in outcomes if o.to_switch is None]),
        ],
        [f"alle {sessions} Sitzungen zusammen (Wandzeit)", seconds(wall), "", "", len(errors)],
        ["davon CPU-Zeit des App-Servers", seconds(server_cpu), "", "", ""],
    ]


def main() -> None:
    sessions = min(int(sys.argv[1]) if len(sys.argv) > 1 else SESSIONS, MAX_SESSIONS)
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(Path(tmp), sessions)
    table(
        f"Last: {sessions} gleichzeitige Browser-Sitzungen (Loopback)", ["Schritt", "p50", "p95", "max", "Fehler"], rows
    )


if __name__ == "__main__":
    main()
