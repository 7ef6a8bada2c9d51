"""All benchmarks in one run, one table each: `make bench` (or `.venv/bin/python -m benchmarks`).

1. the Karte page against a naive `st_folium` page (time to the first polygon, payload, first visit
   after a start), then the map alone against a naive `explore()` baseline (bytes, build, browser),
2. filter reruns, the Karte page in Chromium and the app server's peak memory with 20,000 partners,
3. import throughput for 10,000 and 50,000 rows,
4. visitors' reports: time to the editors' queue, the queue with 1,000 open,
5. 25 concurrent browser sessions (load test).
Takes about 10 minutes on 2 cores. Prints; never fails on a time.
"""

from __future__ import annotations

import os
import platform
from datetime import date

from benchmarks import app_server, compare, import_speed, load, report_queue


def main() -> None:
    print(f"# Messung {date.today():%d.%m.%Y}: {os.cpu_count()} Kerne, Python {platform.python_version()}")
    compare.main()
    app_server.main()
    import_speed.main()
    report_queue.main()
    load.main()


if __name__ == "__main__":
    main()
