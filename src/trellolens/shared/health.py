"""Whether Redis answers: one warning when it stops, one line when it is back.

While it is down, callers use process memory and ask again only after ``RETRY_SECONDS``, so a
Redis outage costs each rerun nothing rather than a connect timeout.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("trellolens.shared")

RETRY_SECONDS = 2.0
UNREACHABLE = (
    "Redis (TRELLOLENS_REDIS_URL) is unreachable: rate limits and the board cache are kept in "
    "this process only until it is back"
)


class RedisHealth:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self.problem = ""

    def reset(self) -> None:
        """Forget any outage without a log line (tests)."""
        with self._lock:
            self._down_since = None
            self._retry_at = 0.0
            self.problem = ""

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def should_try(self) -> bool:
        """False while Redis is known to be down and the next probe is not due yet."""
        with self._lock:
            return self._down_since is None or time.monotonic() >= self._retry_at

    def failed(self, error: BaseException) -> None:
        """Record an outage (``error``'s type only: its text may name the host)."""
        with self._lock:
            now = time.monotonic()
            self._retry_at = now + RETRY_SECONDS
            if self._down_since is None:
                self._down_since = now
                self.problem = type(error).__name__
                log.warning("%s (%s)", UNREACHABLE, self.problem)

    def succeeded(self) -> None:
        with self._lock:
            if self._down_since is not None:
                log.warning("Redis (TRELLOLENS_REDIS_URL) answers again: shared state resumed")
            self._down_since = None
            self.problem = ""

    def notice(self) -> str | None:
        """The one-line warning for the Security page while Redis is down, else None."""
        return f"{UNREACHABLE} ({self.problem})." if self.down else None


HEALTH = RedisHealth()
"""The process's view of its Redis."""
