"""How often a sign-in may start: a few per minute per browser session and per client address.

Each start makes a signed request-token call with the app's key, so clicking Sign in and Cancel
in a loop (or a script doing it) must not turn the app into a key-burning relay.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

PER_SESSION = 3
PER_ADDRESS = 10
WINDOW_SECONDS = 60.0
MAX_ADDRESSES = 10_000
THROTTLED = "Too many sign-ins started in the last minute; wait a minute, then sign in again."


class StartThrottle:
    """At most ``limit`` starts per key within ``window`` seconds (a sliding window)."""

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._lock = threading.Lock()
        self._starts: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Count a start for ``key`` and say whether it is within the limit (refusals not counted)."""
        now = self.clock()
        with self._lock:
            if len(self._starts) >= MAX_ADDRESSES:
                self._prune(now)
            starts = self._starts.setdefault(key, deque())
            while starts and now - starts[0] > self.window:
                starts.popleft()
            if len(starts) >= self.limit:
                return False
            starts.append(now)
            return True

    def _prune(self, now: float) -> None:
        for key, starts in list(self._starts.items()):
            if not starts or now - starts[-1] > self.window:
                del self._starts[key]
        if len(self._starts) >= MAX_ADDRESSES:  # still full: forget the oldest half
            for key in list(self._starts)[: MAX_ADDRESSES // 2]:
                del self._starts[key]


SESSIONS = StartThrottle(PER_SESSION)
ADDRESSES = StartThrottle(PER_ADDRESS)


def may_start(session_id: str, address: str | None) -> bool:
    """Both limits hold (the address limit is counted only when the session's allows)."""
    return SESSIONS.allow(f"session:{session_id}") and ADDRESSES.allow(
        f"address:{address or 'loopback'}"
    )
