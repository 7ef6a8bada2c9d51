"""Limits on what a visitor's browser can make the server do or see.

Streamlit trusts every websocket client: any client may send the `clear_cache` message that
the developer menu uses, which empties every `st.cache_*` of the process for all visitors
(security review H2: rebuilds on every rerun, and each clear once leaked the cached engine's
file descriptors until new visitors were refused). And an exception in a page script is shown
to the visitor with its traceback (M3: paths, SQL, row data). Both are closed here; `app.py`
calls `install` once per process and runs every page inside `error_boundary`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import streamlit as st
from streamlit.runtime.app_session import AppSession

log = logging.getLogger("integra")


def _ignore_clear_cache(session: AppSession) -> None:
    """Stands in for Streamlit's handler: caches follow the data token, never a client's request."""
    log.warning("clear_cache eines Clients ignoriert")


@cache
def install() -> None:
    """Once per process: log to stderr and refuse client-triggered cache clearing.

    Streamlit has no setting for the latter (its menu item only shows in developer mode, but
    the server accepts the message from anybody), so its handler is replaced; a test sends the
    message over a real websocket and checks that the cached map survives.
    """
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    AppSession._handle_clear_cache_request = _ignore_clear_cache  # type: ignore[method-assign, assignment]


@contextmanager
def error_boundary() -> Iterator[None]:
    """Run a page; an unexpected error becomes a German message with an id, the details go to the log.

    Streamlit's own control flow (`st.rerun`, `st.stop`) derives from BaseException and passes.
    """
    try:
        yield
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        log.exception("Fehler %s", error_id)
        st.error(
            f"Hier ist leider etwas schiefgegangen (Fehlernummer {error_id}). Bitte die Seite neu laden oder einen "
            "anderen Filter wählen; bleibt der Fehler, die Fehlernummer an die Redaktion melden."
        )
