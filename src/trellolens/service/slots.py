"""Keyed slots that each load once (single-flight) and are kept for a TTL, LRU-bounded."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Slot(Generic[T]):
    """One key's value; hold ``lock`` while loading it, so concurrent callers wait for one load."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    value: T | None = None
    loaded_at: float = 0.0
    version: str | None = None
    """The board's shared version when loaded (a webhook bumps it); None without Redis."""
    stale: bool = False
    """Set by ``invalidate``: the next use loads again, from the value held."""


class SlotStore(Generic[T]):
    """Slots by key: a value is kept ``ttl`` seconds from its load; the least recently used slot
    goes when more than ``max_entries`` are held."""

    def __init__(self, ttl: float, max_entries: int, clock: Callable[[], float]) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._slots: OrderedDict[Hashable, Slot[T]] = OrderedDict()
        self._lock = threading.Lock()

    def slot(self, key: Hashable) -> Slot[T]:
        with self._lock:
            found = self._slots.get(key)
            if found is None:
                found = self._slots[key] = Slot()
                while len(self._slots) > self.max_entries:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(key)
            return found

    def peek(self, key: Hashable) -> Slot[T] | None:
        """The slot of ``key`` if there is one; neither made nor moved in the LRU order."""
        with self._lock:
            return self._slots.get(key)

    def fresh(self, slot: Slot[T], version: str | None = None) -> bool:
        """Whether ``slot`` holds a value young enough, of ``version`` (when there is one)."""
        if slot.value is None or slot.stale:
            return False
        if version is not None and version != slot.version:
            return False
        return self._clock() - slot.loaded_at < self.ttl

    def keep(self, slot: Slot[T], value: T, version: str | None = None) -> T:
        slot.value, slot.version, slot.stale = value, version, False
        slot.loaded_at = self._clock()
        return value

    def get_or_load(
        self,
        key: Hashable,
        load: Callable[[], T],
        held_on: tuple[type[BaseException], ...] = (),
    ) -> T:
        """The value kept for ``key``, else ``load()``'s (kept only when it returns). When
        ``load`` raises one of ``held_on``, the value held (however old) is returned instead, if
        there is one."""
        slot = self.slot(key)
        with slot.lock:
            if self.fresh(slot) and slot.value is not None:
                return slot.value
            try:
                value = load()
            except held_on:
                if slot.value is None:
                    raise
                return slot.value
            return self.keep(slot, value)

    def invalidate(self, matches: Callable[[Hashable], bool]) -> int:
        """Mark the slots whose key ``matches`` stale; how many."""
        with self._lock:
            chosen = [slot for key, slot in self._slots.items() if matches(key)]
        for slot in chosen:
            slot.stale = True
        return len(chosen)

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()
