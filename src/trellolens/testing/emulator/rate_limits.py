"""Trello's request windows (per token, per key, and the ``/1/members`` route) with its headers.

Every ``/1`` answer carries ``x-rate-limit-api-{token,key}-{interval-ms,max,remaining}``; answers
under ``/1/members`` also carry ``x-rate-limit-member-{interval-ms,max,remaining}``. A 429 carries
``retry-after``: whole seconds until the window that refused has room again.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Trello's documented limits by default: 100 per token and 300 per key in 10 s, and 100
    requests per 900 s to ``/1/members`` (per token)."""

    token_max: int = 100
    key_max: int = 300
    interval_s: float = 10.0
    member_max: int = 100
    member_interval_s: float = 900.0
    member_headers: tuple[int, float] | None = None
    """What ``x-rate-limit-member-{max,interval-ms}`` advertise, if not the window enforced:
    ``RECORDED_MEMBER_HEADERS`` is what real Trello was seen to send."""


DOCUMENTED_MEMBER_HEADERS = (100, 900.0)
RECORDED_MEMBER_HEADERS = (200, 10.0)
"""Real Trello was recorded advertising 200 requests per 10 s on /1/members (a 2020 report),
while its documentation (and enforcement) says 100 per 900 s."""


TOKEN_LIMIT_BODY = {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
KEY_LIMIT_BODY = {"error": "API_KEY_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
MEMBER_LIMIT_BODY = {"error": "RATE_LIMIT_EXCEEDED", "message": "Exceeded rate limit to /1/member"}
MEMBERS_PREFIX = "/1/members"


def is_members_route(path: str) -> bool:
    """``/1/members`` and everything under it (``/1/members/me/boards`` included)."""
    return path == MEMBERS_PREFIX or path.startswith(MEMBERS_PREFIX + "/")


def retry_after(seconds: float) -> str:
    """Whole seconds, at least 1, as Trello's ``retry-after`` is written."""
    return str(max(1, math.ceil(seconds)))


@dataclass
class Admission:
    """What ``RateLimiter.admit`` decided: a 429 body (or None) and the headers to send."""

    refused: dict[str, str] | None
    headers: dict[str, str]


class RateLimiter:
    """Sliding windows: a request counts if it was accepted in the window's last interval.

    Refused requests (429) do not count, so a client that waits for the window gets through.
    """

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], deque[float]] = {}

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def _window(self, kind: str, name: str, now: float, interval: float) -> deque[float]:
        window = self._windows.setdefault((kind, name), deque())
        horizon = now - interval
        while window and window[0] <= horizon:
            window.popleft()
        return window

    def admit(self, key: str, token: str, path: str) -> Admission:
        """Counts the request in every window it belongs to when all of them have room."""
        limits = self.limits
        members = is_members_route(path)
        with self._lock:
            now = self._clock()
            key_window = self._window("key", key, now, limits.interval_s)
            token_window = self._window("token", token, now, limits.interval_s)
            member_window = self._window("member", token, now, limits.member_interval_s)
            refused: dict[str, str] | None = None
            wait = 0.0
            if len(token_window) >= limits.token_max:
                refused, wait = TOKEN_LIMIT_BODY, token_window[0] + limits.interval_s - now
            elif len(key_window) >= limits.key_max:
                refused, wait = KEY_LIMIT_BODY, key_window[0] + limits.interval_s - now
            elif members and len(member_window) >= limits.member_max:
                refused = MEMBER_LIMIT_BODY
                wait = member_window[0] + limits.member_interval_s - now
            else:
                key_window.append(now)
                token_window.append(now)
                if members:
                    member_window.append(now)
            headers = self.headers(
                limits.token_max - len(token_window), limits.key_max - len(key_window)
            )
            if members:
                headers.update(self.member_headers(limits.member_max - len(member_window)))
        if refused is not None:
            headers["retry-after"] = retry_after(wait)
        return Admission(refused, headers)

    def headers(self, token_remaining: int, key_remaining: int) -> dict[str, str]:
        interval_ms = str(round(self.limits.interval_s * 1000))
        return {
            "x-rate-limit-api-token-interval-ms": interval_ms,
            "x-rate-limit-api-token-max": str(self.limits.token_max),
            "x-rate-limit-api-token-remaining": str(max(token_remaining, 0)),
            "x-rate-limit-api-key-interval-ms": interval_ms,
            "x-rate-limit-api-key-max": str(self.limits.key_max),
            "x-rate-limit-api-key-remaining": str(max(key_remaining, 0)),
        }

    def member_headers(self, remaining: int) -> dict[str, str]:
        limits = self.limits
        shown_max, shown_interval = limits.member_headers or (
            limits.member_max,
            limits.member_interval_s,
        )
        return {
            "x-rate-limit-member-interval-ms": str(round(shown_interval * 1000)),
            "x-rate-limit-member-max": str(shown_max),
            "x-rate-limit-member-remaining": str(max(remaining, 0)),
        }
