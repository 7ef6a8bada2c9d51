"""The server: Streamlit's ASGI app around `app.py`, started by `streamlit run server.py` (Makefile).

Some things need the server rather than a page script: work before the first visitor (boundaries read
and Nagle's delay switched off before it accepts connections, `integra.web.sockets`; every module
imported and the start views of the Karte built right after, `integra.web.warm`; a cold start took
seconds on the first page), the German document Streamlit sends before its scripts run, which says
that the map is loading (`integra.web.shell`), and Streamlit's scripts compressed and served from
memory (`integra.web.statics`).
`app.py` stays the page script, so AppTest runs the same pages without a server.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import streamlit as st
from starlette.middleware import Middleware

from integra import geodata
from integra.web import maproutes, serving, shell, sockets, statics, warm

log = logging.getLogger("integra")


@asynccontextmanager
async def _warm(_app: st.App) -> AsyncIterator[None]:
    serving.install()  # the server's log, from here on
    log.info("%s: %d", sockets.NO_DELAY, sockets.no_delay_on_listening_sockets())
    await anyio.to_thread.run_sync(geodata.preload)
    # Before the first visitor (0.1 s), not in the background: a visit right after the start then finds
    # Streamlit's scripts compressed, instead of compressing them while the start views are built.
    await anyio.to_thread.run_sync(lambda: statics.STREAMLIT_ASSETS.warm(shell.first_visit_files()))
    warm.prepare_in_background()
    yield


app = st.App(
    Path(__file__).with_name("app.py"),
    lifespan=_warm,
    routes=maproutes.ROUTES,
    middleware=[Middleware(shell.GermanShell), Middleware(statics.CompressedStatics)],
)
