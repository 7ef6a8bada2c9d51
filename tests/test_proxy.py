"""Scale-out for real: Debian's HAProxy with the README's deploy/haproxy.cfg in front of two app
processes on one PostgreSQL database, driven by Debian's Chromium.

Checks that a browser keeps its replica (sticky cookie), that a write through one replica shows up
on the other at its next rerun, that a SIGKILLed replica's visitors land on the other one without
data loss, and the proxy's limits (metrics blocked, body limit, connection bound, no session ids
in the log). Figures are printed, never asserted; every wait has a timeout.

Runs in the PostgreSQL phase of `make test` (scripts/run-tests.sh); on SQLite it is skipped.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from integra.auth import hash_password
from integra.config import PROJECT_DIR
from integra.devserver import RunningApp, free_port, running_app
from tests.browser import CHROMIUM, FLAGS, OFFLINE, confirmed, log_in, require_chromium
from tests.conftest import SERVER_URL, seed_rows

pytestmark = [
    pytest.mark.db,  # two app processes on one PostgreSQL database
    pytest.mark.skipif(
        not SERVER_URL,
        reason="braucht PostgreSQL (INTEGRA_TEST_DATABASE_URL): läuft in der PostgreSQL-Phase von make test",
    ),
]

HAPROXY = "/usr/sbin/haproxy"
CONFIG = PROJECT_DIR / "deploy" / "haproxy.cfg"
FILES = Path(__file__).parent / "files"
PASSWORD = "proxy-geheim-42"
COOKIE = "INTEGRA_INSTANZ"
PARTNERS = '[data-testid="stMetric"]:has-text("Partner (gewählte Typen)") [data-testid="stMetricValue"]'


@dataclass
class Cluster:
    url: str  # https through the proxy
    http_port: int
    apps: dict[str, RunningApp]  # "app1"/"app2" as named in the config
    log: Path  # HAProxy's log (stdout)
    config: str


def _proxy_config(apps: dict[str, RunningApp], http_port: int, https_port: int, pem: Path) -> str:
    """The README's file; only addresses, certificate and log target replaced (each must still be there)."""
    config = CONFIG.read_text(encoding="utf-8")
    port = {name: app.url.rsplit(":", 1)[1] for name, app in apps.items()}
    replacements = [
        ("log /dev/log local0", "log stdout format raw local0"),
        ("    chroot /var/lib/haproxy\n", ""),  # the test may run without root
        ("    user haproxy\n", ""),
        ("    group haproxy\n", ""),
        ("bind :80\n", f"bind 127.0.0.1:{http_port}\n"),
        ("bind :443 ssl crt /etc/haproxy/certs/integra.pem", f"bind 127.0.0.1:{https_port} ssl crt {pem}"),
        ("server app1 127.0.0.1:8501", f"server app1 127.0.0.1:{port['app1']}"),
        ("server app2 127.0.0.1:8502", f"server app2 127.0.0.1:{port['app2']}"),
        ("    server app3 127.0.0.1:8503 cookie app3\n", ""),
    ]
    for old, new in replacements:
        assert old in config, f"{CONFIG} passt nicht mehr zum Test: {old!r} fehlt"
        config = config.replace(old, new)
    return config


def _wait_for(condition, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Zeitüberschreitung ({timeout} s): {what}")
        time.sleep(step)


@pytest.fixture(scope="module")
def cluster(pg_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not os.access(HAPROXY, os.X_OK):
        pytest.fail(f"{HAPROXY} fehlt: `make test` installiert Debians haproxy", pytrace=False)
    require_chromium()
    folder = tmp_path_factory.mktemp("proxy")
    name = f"integra_proxy_{os.getpid()}"
    server = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    database_url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    # as README „Betrieb mit mehreren Instanzen“: same password hash and cookie secret everywhere
    env = {
        "INTEGRA_EDITOR_PASSWORD_HASH": hash_password(PASSWORD),
        "INTEGRA_BASEMAP": "ohne",
        "STREAMLIT_SERVER_COOKIE_SECRET": os.urandom(32).hex(),
        "INTEGRA_TRUSTED_PROXY": "1",
    }
    pem = folder / "integra.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pem.write_bytes((folder / "cert.pem").read_bytes() + (folder / "key.pem").read_bytes())
    try:
        with ExitStack() as stack:
            apps = {
                f"app{i}": stack.enter_context(running_app(database_url, folder / f"app{i}.log", env=env))
                for i in (1, 2)
            }
            http_port, https_port = free_port(), free_port()
            config = _proxy_config(apps, http_port, https_port, pem)
            (folder / "haproxy.cfg").write_text(config, encoding="utf-8")
            log = folder / "haproxy.log"
            with open(log, "w") as out:
                proxy = subprocess.Popen(
                    [HAPROXY, "-db", "-f", str(folder / "haproxy.cfg")], stdout=out, stderr=subprocess.STDOUT
                )
            stack.callback(lambda: (proxy.terminate(), proxy.wait(timeout=15)))
            url = f"https://127.0.0.1:{https_port}"
            _wait_for(lambda: _status(url, "/_stcore/health") == 200 or proxy.poll() is not None, 30, "HAProxy startet")
            assert proxy.poll() is None, log.read_text()
            yield Cluster(url, http_port, apps, log, config)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _connection(url: str) -> http.client.HTTPSConnection:
    host, port = url.removeprefix("https://").split(":")
    return http.client.HTTPSConnection(host, int(port), timeout=10, context=ssl._create_unverified_context())


def _status(url: str, path: str) -> int:
    try:
        conn = _connection(url)
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return 0


def _requests(log: Path, skip: int = 0) -> list[tuple[str, str]]:
    """(server, request) of HAProxy's request lines after the first `skip` (not its own messages)."""
    found = re.findall(r' integra_web~? integra/(\S+) .* (\w+ "[^"]*")$', log.read_text(), re.MULTILINE)
    return found[skip:]


def _instance(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == COOKIE)


def _choose(page, regbez: str) -> None:
    page.get_by_role("combobox", name="Regierungsbezirk").click()
    page.get_by_role("option", name=regbez).click()


def test_sticky_sessions_shared_data_and_failover(cluster: Cluster, capsys):
    from playwright.sync_api import expect, sync_playwright

    figures: list[str] = []
    seeded = str(len(seed_rows("partner.csv")))  # the test database holds the frozen test seed
    # partners of the seed in Unterfranken (Kreis keys 096…); the import adds three there
    before = sum(row["kreis_ags"].startswith("096") for row in seed_rows("partner.csv"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        viewport = {"width": 1400, "height": 1000}
        ctx_a = browser.new_context(ignore_https_errors=True, viewport=viewport)
        a = ctx_a.new_page()
        earlier = len(_requests(cluster.log))  # the fixture's own health request

        # (1) A gets a replica by cookie and keeps it across reloads (each one a new websocket)
        a.goto(f"{cluster.url}/?{OFFLINE}")
        expect(a.locator(PARTNERS)).to_have_text(seeded, timeout=60_000)
        home = _instance(ctx_a)
        other = {"app1": "app2", "app2": "app1"}[home]
        for _ in range(3):
            a.reload()
            expect(a.locator(PARTNERS)).to_have_text(seeded, timeout=60_000)
            assert _instance(ctx_a) == home
        # only A has talked to the proxy so far: every request of it went to its replica
        _wait_for(
            lambda: sum("/_stcore/stream" in r for _, r in _requests(cluster.log, earlier)) >= 3,
            15,
            "drei geschlossene Websockets im HAProxy-Log",
        )
        seen = _requests(cluster.log, earlier)
        assert {server for server, _ in seen} == {home}, seen
        figures.append(f"Sitzung A: Cookie {COOKIE}={home}, 4 Seitenaufrufe, {len(seen)} Anfragen, alle an {home}")

        # B is pinned to the other replica by the same cookie and caches two views there
        ctx_b = browser.new_context(ignore_https_errors=True, viewport=viewport)
        ctx_b.add_cookies([{"name": COOKIE, "value": other, "url": cluster.url}])
        b = ctx_b.new_page()
        b.goto(f"{cluster.url}/?{OFFLINE}")
        expect(b.locator(PARTNERS)).to_have_text(seeded, timeout=60_000)
        _choose(b, "Unterfranken")
        expect(b.locator(PARTNERS)).to_have_text(str(before), timeout=15_000)
        _choose(b, "Ganz Bayern")
        expect(b.locator(PARTNERS)).to_have_text(seeded, timeout=15_000)

        # (2) an editor imports three Unterfranken partners through A's replica ...
        uploads: list[str] = []
        a.on("request", lambda r: "/_stcore/upload_file/" in r.url and uploads.append(r.url))
        a.goto(f"{cluster.url}/hochladen?{OFFLINE}")
        log_in(a, "Proxy-Test", PASSWORD)
        expect(a.get_by_text("Angemeldet als")).to_be_visible(timeout=30_000)
        a.locator('input[type="file"]').set_input_files(str(FILES / "partner_cp1252_semikolon.csv"))
        expect(a.get_by_text("4. Vorschau")).to_be_visible(timeout=30_000)
        a.get_by_role("button", name="Übernehmen").click()
        expect(confirmed(a, "Import 1 übernommen")).to_be_visible(timeout=30_000)
        assert _instance(ctx_a) == home and _instance(ctx_b) == other

        # ... and B's replica shows them at B's next rerun, although both views were cached there
        started = time.monotonic()
        _choose(b, "Unterfranken")
        expect(b.locator(PARTNERS)).to_have_text(str(before + 3), timeout=30_000)
        figures.append(
            f"Import über {home}, sichtbar auf {other} beim nächsten Klick: Unterfranken {before} -> "
            f"{before + 3} nach {time.monotonic() - started:.2f} s"
        )
        _choose(b, "Ganz Bayern")
        expect(b.locator(PARTNERS)).to_have_text(str(int(seeded) + 3), timeout=30_000)

        # (3) A's replica dies. A's open page opens a new websocket through the proxy, which sends it to
        # the other replica; there it is a new session: the page shows the data again after a reload
        # (or the next click), the editor has to log in again.
        with a.expect_websocket(timeout=60_000):
            killed = time.monotonic()
            os.kill(cluster.apps[home].pid, signal.SIGKILL)
        reconnected = time.monotonic() - killed
        _wait_for(
            lambda: f"Server integra/{home} is DOWN" in cluster.log.read_text(), 30, f"HAProxy meldet {home} DOWN"
        )
        marked_down = time.monotonic() - killed
        started = time.monotonic()
        a.reload()
        expect(a.get_by_label("Redaktionspasswort")).to_be_visible(timeout=60_000)
        login_again = time.monotonic() - started
        assert _instance(ctx_a) == other
        a.goto(f"{cluster.url}/?regbez=Unterfranken&{OFFLINE}")
        expect(a.locator(PARTNERS)).to_have_text(str(before + 3), timeout=60_000)  # nothing lost
        figures.append(
            f"SIGKILL {home}: A nach {reconnected:.2f} s neu verbunden (über {other}), HAProxy meldet DOWN "
            f"nach {marked_down:.2f} s; Neuladen bis Anmeldeformular {login_again:.2f} s, Import erhalten"
        )
        b.reload()
        expect(b.locator(PARTNERS)).to_have_text(str(int(seeded) + 3), timeout=60_000)
        browser.close()

    # the upload URL carries the Streamlit session id; the log keeps only the route
    session_ids = {re.search(r"/_stcore/upload_file/([^/]+)/", url).group(1) for url in uploads}
    log_text = cluster.log.read_text()
    assert session_ids and "/_stcore/upload_file/-" in log_text
    assert not [sid for sid in session_ids if sid in log_text], session_ids
    with capsys.disabled():
        print("\n[proxy] " + "\n[proxy] ".join(figures))


def test_proxy_limits(cluster: Cluster, capsys):
    # metrics only internally; HSTS on https; http redirects to https
    assert _status(cluster.url, "/_stcore/metrics") == 404
    conn = _connection(cluster.url)
    conn.request("GET", "/_stcore/health")
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    plain = http.client.HTTPConnection("127.0.0.1", cluster.http_port, timeout=10)
    plain.request("GET", "/karte")
    response = plain.getresponse()
    assert response.status == 301 and response.getheader("Location", "").startswith("https://")
    # a body over the upload limit is refused before it reaches the app
    conn = _connection(cluster.url)
    conn.putrequest("PUT", "/_stcore/upload_file/x/y")
    conn.putheader("Content-Length", str(12 * 1024 * 1024))
    conn.endheaders()
    assert conn.getresponse().status == 413
    # per-source connection bound: connections beyond it are closed at once
    limit = int(re.search(r"sc0_conn_cur gt (\d+)", cluster.config).group(1))
    port = int(cluster.url.rsplit(":", 1)[1])
    sockets, refused = [], 0
    for _ in range(limit + 20):
        try:
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        except ConnectionResetError:
            refused += 1
    for sock in sockets:
        sock.settimeout(0.05)
        try:
            refused += sock.recv(1) == b""
        except TimeoutError:
            pass  # still open: accepted, waiting for the TLS handshake
        except ConnectionResetError:
            refused += 1
    for sock in sockets:
        sock.close()
    assert refused >= 20, refused
    with capsys.disabled():
        print(
            f"\n[proxy] {limit + 20} gleichzeitige Verbindungen von einer Adresse: {refused} abgewiesen "
            f"(Grenze {limit}); /_stcore/metrics 404, Body > 11 MB 413, HSTS gesetzt"
        )
