"""Sign-ins in flight in this process, each bound to the browser that started it.

``expect`` records a request token with the browser cookie of the session that asked for it;
``arrive`` (the callback route) accepts Trello's verifier only when the callback brings the same
browser cookie. A callback from any other browser is ``foreign``: refused, and the entry stays as
it was, so the starting browser can still finish. ``take`` hands the verifier to the starting
session, which alone holds the request token's secret. Neither the request token nor the
verifier is a credential without that secret; the browser cookie never leaves this map.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

SIGNIN_TTL_SECONDS = 600.0
Outcome = Literal["approved", "denied", "expired", "unknown", "foreign"]
OUTCOMES: tuple[Outcome, ...] = ("approved", "denied", "expired", "unknown", "foreign")


@dataclass
class _Expected:
    started: float
    browser: str = field(repr=False)
    arrived: bool = False
    verifier: str | None = field(default=None, repr=False)


class CallbackBoard:
    """Request tokens in flight, the browser each belongs to, and the verifier a callback brought."""

    def __init__(self, ttl: float = SIGNIN_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._expected: dict[str, _Expected] = {}

    def __repr__(self) -> str:
        return f"CallbackBoard(<{len(self._expected)} in flight>)"

    def expect(self, request_token: str, browser: str) -> None:
        now = time.monotonic()
        with self._lock:
            for token, entry in list(self._expected.items()):
                if now - entry.started > self.ttl:
                    del self._expected[token]
            self._expected[request_token] = _Expected(now, browser)

    def arrive(self, request_token: str, verifier: str | None, browser: str | None) -> Outcome:
        """Record a callback once; one from another browser changes nothing (``foreign``)."""
        with self._lock:
            entry = self._expected.get(request_token)
            if entry is None or entry.arrived:
                return "unknown"
            if not browser or not hmac.compare_digest(entry.browser, browser):
                return "foreign"
            if time.monotonic() - entry.started > self.ttl:
                del self._expected[request_token]
                return "expired"
            entry.arrived, entry.verifier = True, verifier
            return "approved" if verifier else "denied"

    def take(self, request_token: str) -> tuple[bool, str | None]:
        """(arrived, verifier) for the starting session; an arrived entry is removed."""
        with self._lock:
            entry = self._expected.get(request_token)
            if entry is None or not entry.arrived:
                return False, None
            del self._expected[request_token]
            return True, entry.verifier

    def forget(self, request_token: str) -> None:
        with self._lock:
            self._expected.pop(request_token, None)


CALLBACKS = CallbackBoard()
