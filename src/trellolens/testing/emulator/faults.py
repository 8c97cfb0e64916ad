"""Faults injected on demand: latency, 429 storms, 5xx, timeouts, dropped connections, cut bodies.

Each kind is a counter consumed by the next requests (a storm may also last S seconds). When several
kinds are armed, the earlier one in this order wins: storm, 5xx, timeout, drop, truncate.
``refuse_board`` is not consumed: every request for that board gets 403 until ``clear``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SERVER_ERRORS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class Injection:
    kind: str  # "storm", "server_error", "timeout", "drop", "truncate"
    status: int = 0
    storm_kind: str = "token"
    seconds: float = 0.0
    honest_length: bool = False
    retry_after: float | None = None


def _count(n: int, what: str) -> int:
    if n < 0:
        raise ValueError(f"{what} must be 0 or more, got {n}")
    return n


class Faults:
    """Armed faults, shared by every thread of the server. Methods return self to chain."""

    def __init__(self, latency_ms: float = 0, clock: Callable[[], float] = time.monotonic) -> None:
        self._base_latency_ms = float(latency_ms)
        self._clock = clock
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> Faults:
        """Disarm everything; latency goes back to the emulator's ``latency_ms``."""
        with self._lock:
            self._latency_ms = self._base_latency_ms
            self._storm_requests = 0
            self._storm_until = 0.0
            self._storm_kind = "token"
            self._storm_retry_after: float | None = None
            self._server_errors = 0
            self._server_status = 500
            self._timeouts = 0
            self._timeout_s = 30.0
            self._drops = 0
            self._truncations = 0
            self._honest_length = False
            self._refused_boards: set[str] = set()
        return self

    def refuse_board(self, board_id: str) -> Faults:
        """Every request for this board (``/1/boards/{board_id}`` and below) gets 403, as for a
        board the token's member may no longer read; other boards answer as usual."""
        with self._lock:
            self._refused_boards.add(board_id)
        return self

    def refuses(self, path: str) -> bool:
        """Whether ``path`` is under a board ``refuse_board`` named."""
        parts = path.split("/")
        if len(parts) < 4 or parts[:3] != ["", "1", "boards"]:
            return False
        with self._lock:
            return parts[3] in self._refused_boards

    def latency(self, ms: float) -> Faults:
        """Every request waits ``ms`` milliseconds before it is answered."""
        if ms < 0:
            raise ValueError(f"latency must be 0 ms or more, got {ms}")
        with self._lock:
            self._latency_ms = float(ms)
        return self

    @property
    def latency_s(self) -> float:
        return self._latency_ms / 1000

    def rate_limit_storm(
        self,
        requests: int | None = None,
        seconds: float | None = None,
        kind: str = "token",
        retry_after: float | None = None,
    ) -> Faults:
        """429 with Trello's body for the next ``requests`` requests or ``seconds`` seconds.

        ``kind`` "member" is a storm of the ``/1/members`` window: only requests under
        ``/1/members`` get it (``RATE_LIMIT_EXCEEDED``). The 429s say ``retry-after``: the
        ``retry_after`` given, else what is left of a timed storm (a counted one sends none).
        """
        if kind not in ("token", "key", "member"):
            raise ValueError(f'storm kind must be "token", "key" or "member", got {kind!r}')
        if (requests is None) == (seconds is None):
            raise ValueError("give exactly one of requests=N or seconds=S for a 429 storm")
        with self._lock:
            self._storm_kind = kind
            self._storm_retry_after = retry_after
            if requests is not None:
                self._storm_requests = _count(requests, "requests")
            if seconds is not None:
                self._storm_until = self._clock() + max(seconds, 0.0)
        return self

    def server_errors(self, n: int, status: int = 500) -> Faults:
        if status not in SERVER_ERRORS:
            raise ValueError(f"status must be one of {sorted(SERVER_ERRORS)}, got {status}")
        with self._lock:
            self._server_errors = _count(n, "n")
            self._server_status = status
        return self

    def timeouts(self, n: int, seconds: float = 30.0) -> Faults:
        """The server holds the next ``n`` requests ``seconds`` long, then hangs up."""
        with self._lock:
            self._timeouts = _count(n, "n")
            self._timeout_s = seconds
        return self

    def drop_connections(self, n: int) -> Faults:
        with self._lock:
            self._drops = _count(n, "n")
        return self

    def truncate_bodies(self, n: int, honest_length: bool = False) -> Faults:
        """Send half the body. By default with the full Content-Length (the peer hangs up
        mid-body); ``honest_length=True`` sends a complete HTTP message of cut JSON."""
        with self._lock:
            self._truncations = _count(n, "n")
            self._honest_length = honest_length
        return self

    def take(self, members_route: bool = False) -> Injection | None:
        """The fault for the request being handled now, if any (and consume it);
        ``members_route``: the request is under ``/1/members`` (where member storms apply)."""
        with self._lock:
            now = self._clock()
            storm = self._storm_requests > 0 or now < self._storm_until
            if storm and (self._storm_kind != "member" or members_route):
                self._storm_requests = max(self._storm_requests - 1, 0)
                left = max(self._storm_until - now, 0.0)  # a timed storm says when it ends
                return Injection(
                    "storm",
                    429,
                    storm_kind=self._storm_kind,
                    seconds=left,
                    retry_after=self._storm_retry_after,
                )
            if self._server_errors > 0:
                self._server_errors -= 1
                return Injection("server_error", self._server_status)
            if self._timeouts > 0:
                self._timeouts -= 1
                return Injection("timeout", seconds=self._timeout_s)
            if self._drops > 0:
                self._drops -= 1
                return Injection("drop")
            if self._truncations > 0:
                self._truncations -= 1
                return Injection("truncate", honest_length=self._honest_length)
        return None
