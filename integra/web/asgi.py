"""What the server's middleware and routes share: the ASGI types and the gzip check of a request."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Awaitable[None]]

_GZIP_REFUSED = re.compile(r"(?:^|,)\s*gzip\s*;\s*q\s*=\s*0(?:\.0*)?\s*(?:,|$)")


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether a request's Accept-Encoding allows gzip (`gzip;q=0` refuses it)."""
    accepted = accept_encoding.lower()
    return "gzip" in accepted and not _GZIP_REFUSED.search(accepted)
