"""One redis-py connection pool per Redis URL and process, made on first use.

The URL is ``Settings.redis_url`` (``TRELLOLENS_REDIS_URL`` or ``[trellolens] redis_url``), handed
down by the caller.

redis-py is imported here only, and only when the setting is present. Connect and read timeouts
are short: an unreachable Redis must not hold a visitor's page for long (``health.py``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from trellolens.shared.settings import KEY_PREFIX, check_redis_url

if TYPE_CHECKING:
    from redis import Redis

CONNECT_TIMEOUT = 1.0
SOCKET_TIMEOUT = 3.0
"""A busy machine may take a moment to answer; an unreachable Redis is noticed at connect."""
_lock = threading.Lock()
_clients: dict[str, Redis] = {}


def redis_client(url: str | None) -> Redis | None:
    """The process's client for ``url`` (``Settings.redis_url``); None when none is set.

    ``SharedStateError`` (one line, no password) when the URL is not acceptable.
    """
    if not url:
        return None
    with _lock:
        client = _clients.get(url)
        if client is None:
            check_redis_url(url)
            from redis import Redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = _clients[url] = Redis.from_url(
                url,
                socket_timeout=SOCKET_TIMEOUT,
                socket_connect_timeout=CONNECT_TIMEOUT,
                retry=Retry(NoBackoff(), 0),
                health_check_interval=30,
            )
        return client


def reset_clients() -> None:
    """Close every pool (tests, or after a fork)."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def key(*parts: str) -> str:
    """``trellolens:part:part``: every key of this app is namespaced."""
    return KEY_PREFIX + ":".join(parts)


def redis_errors() -> tuple[type[BaseException], ...]:
    """What an unreachable or failing Redis raises (redis-py is loaded once a client exists)."""
    from redis.exceptions import RedisError

    return (RedisError, OSError)
