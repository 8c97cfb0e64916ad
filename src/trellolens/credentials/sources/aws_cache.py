"""A per-process cache of what AWS returned, refreshed at a jittered interval, shared by sessions.

Modelled on aws-secretsmanager-caching: each entry is refreshed at most once per interval, by one
thread, while the others wait for it and then reuse its result. An error is remembered too (for a
shorter time), so a thousand sessions do not turn one denied permission into a thousand calls.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from trellolens.credentials.model import SourceResult
from trellolens.errors import CredentialsError
from trellolens.settings.chain import DEFAULT_REFRESH_SECONDS as DEFAULT_REFRESH_SECONDS

Clock = Callable[[], float]
ERROR_RETRY_SECONDS = 30.0
JITTER = 0.1
"""Each interval is shortened by up to 10%, so processes started together do not poll together."""


@dataclass(frozen=True)
class Fetched:
    """The outcome of one refresh: a version marker plus the result, or an error message."""

    version: str | None
    result: SourceResult | None = None
    error: str | None = None


@dataclass
class _Entry:
    fetched: Fetched
    next_check: float


Refresh = Callable[[Fetched | None], Fetched]
"""Given the previous outcome (None the first time), fetch anew or return it unchanged."""


class PolledCache:
    """Thread-safe map from a location (service, region, endpoint, id) to its latest outcome."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, _Entry] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(
        self, key: Hashable, refresh: Refresh, *, interval: float, clock: Clock = time.monotonic
    ) -> SourceResult:
        entry = self._entries.get(key)
        if entry is None or clock() >= entry.next_check:
            with self._lock_for(key):
                entry = self._entries.get(key)
                if entry is None or clock() >= entry.next_check:
                    entry = self._refresh(key, refresh, entry, interval, clock)
        fetched = entry.fetched
        if fetched.error is not None:
            raise CredentialsError(fetched.error)
        assert fetched.result is not None
        return fetched.result

    def _refresh(
        self, key: Hashable, refresh: Refresh, entry: _Entry | None, interval: float, clock: Clock
    ) -> _Entry:
        fetched = refresh(None if entry is None else entry.fetched)
        found = fetched.result is not None and bool(fetched.result.values)
        # Errors and "nothing there" are re-checked sooner, so a fix shows up quickly.
        wait = interval if found else min(interval, ERROR_RETRY_SECONDS)
        wait *= 1.0 - JITTER * random.random()  # noqa: S311 -- jitter, not cryptography
        entry = _Entry(fetched=fetched, next_check=clock() + wait)
        self._entries[key] = entry
        return entry

    def _lock_for(self, key: Hashable) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def clear(self) -> None:
        """Forget every entry and its lock (tests; a deliberate refresh)."""
        with self._guard:
            self._entries.clear()
            self._locks.clear()


PROCESS_CACHE = PolledCache()
"""The cache every AWS source of this process shares unless given another."""
