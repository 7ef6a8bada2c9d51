"""TCP_NODELAY for the server's connections: without it every small answer waited 40 ms.

Streamlit (1.67, Starlette server) binds its listening socket itself, with protocol number 0, and
asyncio only switches off Nagle's algorithm on accepted sockets whose protocol is IPPROTO_TCP
(cpython#148783 shows the same check). So each response written in two parts (headers, then a small
body) and each burst of websocket frames waited for the browser's delayed acknowledgement, 40 ms on
Linux: 44 ms for `/_stcore/health` against 0.5 ms for a 150 KB script (benchmarks/race.py, issue 15).
Accepted sockets inherit the option from the listening socket on Linux, so setting it there once,
before the first visitor, is enough.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

NO_DELAY = "Verbindungen ohne Nagle-Verzögerung (TCP_NODELAY), lauschende Sockets"  # the server log's line
_FDS = Path("/proc/self/fd")  # Linux; elsewhere nothing is changed


def no_delay_on_listening_sockets() -> int:
    """Set TCP_NODELAY on every listening TCP socket of this process; returns how many there were."""
    count = 0
    for entry in _FDS.iterdir() if _FDS.is_dir() else ():
        try:
            if os.readlink(entry).startswith("socket:") and _no_delay(int(entry.name)):
                count += 1
        except OSError:  # the descriptor closed meanwhile (the scan races with the process)
            continue
    return count


def _no_delay(descriptor: int) -> bool:
    """TCP_NODELAY on the socket behind `descriptor` if it is a listening TCP socket.

    Through a duplicate, whose Python socket object may switch the shared file to non-blocking (a
    default timeout set by any library does): its flags are put back as they were.
    """
    duplicate = os.dup(descriptor)
    flags = fcntl.fcntl(duplicate, fcntl.F_GETFL)
    try:
        sock = socket.socket(fileno=duplicate)
    except OSError:
        os.close(duplicate)
        raise
    with sock:
        listening = (
            sock.family in (socket.AF_INET, socket.AF_INET6)
            and sock.type == socket.SOCK_STREAM
            and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        )
        if listening:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        fcntl.fcntl(duplicate, fcntl.F_SETFL, flags)
    return bool(listening)
