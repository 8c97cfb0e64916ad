"""Trello's per-token and per-key request windows, with its ``x-rate-limit-*`` headers."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Trello's documented limits by default: 100 per token and 300 per key in 10 s."""

    token_max: int = 100
    key_max: int = 300
    interval_s: float = 10.0


TOKEN_LIMIT_BODY = {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
KEY_LIMIT_BODY = {"error": "API_KEY_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}


class RateLimiter:
    """Sliding windows: a request counts if it was accepted in the last ``interval_s`` seconds.

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

    def _window(self, kind: str, name: str, now: float) -> deque[float]:
        window = self._windows.setdefault((kind, name), deque())
        horizon = now - self.limits.interval_s
        while window and window[0] <= horizon:
            window.popleft()
        return window

    def admit(self, key: str, token: str) -> tuple[dict[str, str] | None, dict[str, str]]:
        """(429 body or None, headers). Counts the request when it is admitted."""
        limits = self.limits
        with self._lock:
            now = self._clock()
            key_window = self._window("key", key, now)
            token_window = self._window("token", token, now)
            refused: dict[str, str] | None = None
            if len(token_window) >= limits.token_max:
                refused = TOKEN_LIMIT_BODY
            elif len(key_window) >= limits.key_max:
                refused = KEY_LIMIT_BODY
            else:
                key_window.append(now)
                token_window.append(now)
            headers = self.headers(
                limits.token_max - len(token_window), limits.key_max - len(key_window)
            )
        return refused, headers

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
