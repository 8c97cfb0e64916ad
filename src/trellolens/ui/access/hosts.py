"""Which host names a request may use to reach a loopback-bound app (DNS rebinding).

A page on ``http://evil.example:8501`` whose name resolves to 127.0.0.1 reaches a server that
listens on loopback only, and the browser treats it as evil.example's own origin. Only the
``Host`` header (and ``Origin`` on the websocket) tell the two apart, so ``local`` access admits a
request only when both name a loopback host or one the owner lists in ``allowed_hosts``.
Pure functions, no Streamlit; the setting itself is parsed in ``trellolens.settings.hosts``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from trellolens.loopback import is_loopback
from trellolens.settings.hosts import normal_host

_HOST_HEADER = re.compile(r"(?P<host>\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(?P<port>[0-9]{1,5}))?")


def host_of_header(value: str | None) -> str | None:
    """The host of a ``Host`` header (``name:port``, ``[::1]:port``), normalised, or ``None``."""
    if value is None:
        return None
    match = _HOST_HEADER.fullmatch(value.strip())
    return normal_host(match.group("host")) if match else None


def host_of_origin(value: str | None) -> str | None:
    """The host of an ``Origin`` header (``http://name:port``), normalised, or ``None``."""
    if not value or not value.isascii():
        return None
    try:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or parts.path or parts.query:
            return None
        _ = parts.port  # raises ValueError for a malformed port
        hostname = parts.netloc.rpartition("@")[2]
    except ValueError:
        return None
    return host_of_header(hostname)


def host_allowed(host: str | None, allowed: tuple[str, ...]) -> bool:
    return host is not None and (is_loopback(host) or host in allowed)


def request_names_an_allowed_host(headers: Mapping[str, str], allowed: tuple[str, ...]) -> bool:
    """``Host`` present and allowed, and ``Origin`` (when sent) allowed too."""
    lowered = {name.lower(): value for name, value in headers.items()}
    if not host_allowed(host_of_header(lowered.get("host")), allowed):
        return False
    origin = lowered.get("origin")
    return origin is None or host_allowed(host_of_origin(origin), allowed)
