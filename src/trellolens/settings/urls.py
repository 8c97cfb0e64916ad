"""The addresses settings hold, checked: Trello's API and auth server, and the Redis URL.

Credentials only go over https (or to this machine: the emulator), and a Redis off this machine
needs a password. Light on purpose (no httpx, no redis-py); ``trello``'s client, py-trello's
session, the shared state and the doctor all check their URL here. Nothing here reads the
environment: ``Settings`` does, and hands the value down.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from trellolens.errors import ConfigError, SharedStateError
from trellolens.loopback import is_loopback

DEFAULT_BASE_URL = "https://api.trello.com/1"
BASE_URL_VARIABLE = "TRELLO_API_BASE_URL"
DEFAULT_AUTH_BASE_URL = "https://auth.atlassian.com"
AUTH_BASE_URL_VARIABLE = "TRELLO_AUTH_BASE_URL"
"""Where OAuth 2.0's ``/authorize`` and ``/oauth/token`` live (Atlassian's, or the emulator)."""
REDIS_URL_VARIABLE = "TRELLOLENS_REDIS_URL"
"""Where the replicas keep their shared state; unset, everything stays in process memory."""
REDIS_SCHEMES = frozenset({"redis", "rediss"})


def check_base_url(
    url: str, variable: str = BASE_URL_VARIABLE, default: str = DEFAULT_BASE_URL
) -> str:
    """``url`` without a trailing slash; credentials only ever go over https (or to this machine).

    ``variable`` and ``default`` name the setting in the message (the API's or the auth server's).
    """
    parts = urlsplit(url)
    plain_ok = parts.scheme == "http" and is_loopback(parts.hostname)
    if not (parts.scheme == "https" or plain_ok) or not parts.hostname:
        raise ConfigError(
            f"{variable} must be an https:// URL such as {default} "
            "(plain http:// only to 127.0.0.1 or localhost, e.g. the Trello emulator)"
        )
    if parts.username or parts.password or parts.query:
        raise ConfigError(f"{variable} must not hold a user, password or query")
    return url.rstrip("/")


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
    if parts.scheme not in REDIS_SCHEMES or not host:
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
