"""Nagle's algorithm off on the server's connections (issue 15: 44 ms for every small answer)."""

from __future__ import annotations

import os
import socket
import sys

import pytest

from integra.web.sockets import no_delay_on_listening_sockets

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd; Linux is the target")


def _accepted_no_delay(listener: socket.socket) -> int:
    with socket.create_connection(listener.getsockname()) as _client:
        accepted, _ = listener.accept()
        with accepted:
            return accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_a_listening_socket_bound_like_streamlits_passes_no_delay_to_its_connections():
    """Streamlit binds with protocol number 0, for which asyncio skips TCP_NODELAY on accepted sockets."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # as streamlit's _bind_socket does
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert listener.proto == 0 and _accepted_no_delay(listener) == 0
        assert no_delay_on_listening_sockets() >= 1
        assert _accepted_no_delay(listener) == 1


def test_the_scan_leaves_a_blocking_socket_blocking():
    """A Python socket made from a duplicate turns the shared file non-blocking under a default timeout."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(5)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
            listener.settimeout(None)
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            no_delay_on_listening_sockets()
            assert listener.getblocking() and os.get_blocking(listener.fileno())
    finally:
        socket.setdefaulttimeout(previous)
