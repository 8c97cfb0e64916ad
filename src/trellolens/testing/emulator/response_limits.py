"""Trello's response-size and database-time refusals, with thresholds a test chooses.

Trello documents both without numbers ("there may be limits enabled"): a request that returns too
many cards is refused with ``API_TOO_MANY_CARDS_REQUESTED``, and a token that spends too much
database time gets ``API_TOKEN_DB_LIMIT_EXCEEDED``. Here the first is a card count per response;
the second a budget of objects served per token in a sliding window (the cost of a request is the
number of objects in its answer). Both are off unless set.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trellolens.testing.emulator.rate_limits import retry_after

TOO_MANY_CARDS_STATUS = 403
TOO_MANY_CARDS_BODY = {
    "error": "API_TOO_MANY_CARDS_REQUESTED",
    "message": "Requested too many cards",
}
DB_LIMIT_STATUS = 429
DB_LIMIT_BODY = {
    "error": "API_TOKEN_DB_LIMIT_EXCEEDED",
    "message": "Database time limit exceeded",
}
_CARD_ROUTES = re.compile(r"^/1/(boards/[^/]+/cards(/[^/]+)?|lists/[^/]+/cards)/?$")


@dataclass(frozen=True)
class ResponseLimits:
    """None turns a limit off (the default)."""

    max_cards: int | None = None
    """A response with more cards than this is refused (403 ``API_TOO_MANY_CARDS_REQUESTED``)."""
    db_budget: int | None = None
    """Objects one token may be served in ``db_interval_s``; a request whose answer would pass it
    is refused (429 ``API_TOKEN_DB_LIMIT_EXCEEDED`` with ``retry-after``)."""
    db_interval_s: float = 10.0


def _items(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def cards_in(path: str, payload: object) -> int:
    """How many cards an answer holds: card routes, nested ``cards`` of a board or of lists."""
    if isinstance(payload, dict):
        return len(_items(payload.get("cards")))
    if isinstance(payload, list):
        if _CARD_ROUTES.match(path):
            return len(payload)
        return sum(len(_items(item.get("cards"))) for item in payload if isinstance(item, dict))
    return 0


def cost_of(payload: object) -> int:
    """Objects in an answer: itself, its nested arrays, and arrays nested one level further."""
    items = payload if isinstance(payload, list) else [payload]
    total = 0
    for item in items:
        total += 1
        if isinstance(item, dict):
            for value in item.values():
                for inner in _items(value):
                    total += 1
                    if isinstance(inner, dict):
                        total += sum(len(v) for v in inner.values() if isinstance(v, list))
    return total


class ResponseLimiter:
    """Applies ``ResponseLimits`` to answers about to be sent; thread-safe."""

    def __init__(
        self, limits: ResponseLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or ResponseLimits()
        self._clock = clock
        self._lock = threading.Lock()
        self._spent: dict[str, deque[tuple[float, int]]] = {}

    def reset(self) -> None:
        with self._lock:
            self._spent.clear()

    def check(
        self, token: str, path: str, payload: object
    ) -> tuple[int, dict[str, str], dict[str, str]] | None:
        """``(status, body, headers)`` of a refusal, or None (the answer's cost is then counted)."""
        limits = self.limits
        if limits.max_cards is not None and cards_in(path, payload) > limits.max_cards:
            return TOO_MANY_CARDS_STATUS, TOO_MANY_CARDS_BODY, {}
        if limits.db_budget is None:
            return None
        cost = cost_of(payload)
        with self._lock:
            now = self._clock()
            spent = self._spent.setdefault(token, deque())
            while spent and spent[0][0] <= now - limits.db_interval_s:
                spent.popleft()
            used = sum(amount for _, amount in spent)
            if used + cost <= limits.db_budget:
                spent.append((now, cost))
                return None
            wait = limits.db_interval_s
            for when, amount in spent:  # the time until enough of the budget frees up
                used -= amount
                if used + cost <= limits.db_budget:
                    wait = when + limits.db_interval_s - now
                    break
        return DB_LIMIT_STATUS, DB_LIMIT_BODY, {"retry-after": retry_after(wait)}
