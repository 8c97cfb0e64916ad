"""``TRELLOLENS_REDIS_URL``: where the replicas keep their shared state, checked before use.

Cached boards are private data: off this machine Redis must require a password (and should be
reached over TLS, ``rediss://``). A URL is described in messages without its password.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from trellolens.errors import SharedStateError
from trellolens.loopback import is_loopback

REDIS_URL_VARIABLE = "TRELLOLENS_REDIS_URL"
KEY_PREFIX = "trellolens:"
"""Every key this app writes starts with this (and has a TTL)."""
SCHEMES = frozenset({"redis", "rediss"})


def redis_url_from_environment() -> str | None:
    """The configured URL, or None when the app keeps its state in process memory."""
    return os.environ.get(REDIS_URL_VARIABLE, "").strip() or None


def describe_redis_url(url: str) -> str:
    """``rediss://host:6379/0``: scheme, host, port and database, never a user or password."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        host = parts.hostname or "?"
    except ValueError:
        return "an unreadable URL"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check_redis_url(url: str) -> str:
    """``url`` if it is usable; else ``SharedStateError`` in one line naming the setting."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        raise SharedStateError(
            f"{REDIS_URL_VARIABLE} is not a URL like rediss://user:password@host:6379/0"
        ) from None
    if parts.scheme not in SCHEMES or not host:
        raise SharedStateError(
            f"{REDIS_URL_VARIABLE} must be a redis:// or rediss:// URL with a host, "
            "like rediss://user:password@host:6379/0"
        )
    if not parts.password and not is_loopback(host):
        raise SharedStateError(
            f"{REDIS_URL_VARIABLE} names a Redis on {host} without a password: cached boards are "
            "private, so use rediss://user:password@host:6379/0 (no password only on 127.0.0.1)"
        )
    return url
