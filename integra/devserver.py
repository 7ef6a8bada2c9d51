"""Start the real app (`streamlit run app.py`) on a free loopback port, for tests and benchmarks.

Browser tests and benchmarks must drive the same server a user gets, with their own database;
this is the one place that knows how to start it and wait until it answers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from integra.config import PROJECT_DIR


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class RunningApp:
    url: str  # base URL, e.g. http://127.0.0.1:41234
    pid: int  # of the server process (benchmarks read its memory)


@contextmanager
def running_app(
    database_url: str,
    log_path: Path | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    script: str = "server.py",
) -> Iterator[RunningApp]:
    """Yield the running app on `database_url`; stop exactly that process afterwards.

    `script` (relative to the project) lets a benchmark serve another page the same way.
    """
    port = free_port()
    env = {**os.environ, **(env or {}), "INTEGRA_DATABASE_URL": database_url}
    with open(log_path or os.devnull, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError(f"Streamlit startete nicht (Log: {log_path})") from None
                    time.sleep(0.3)
            yield RunningApp(f"http://127.0.0.1:{port}", proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
