"""Boards held only while someone uses them: the Boards page's, which shows rows, not boards."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trellolens.board import Board

Loose = tuple["Board", float, "str | None"]
"""A board, when it was loaded (epoch seconds) and its shared version."""


class LooseBoards:
    """Boards by key, each gone once nobody holds it (weak references)."""

    def __init__(self) -> None:
        self._held: dict[Hashable, tuple[weakref.ref[Board], float, str | None]] = {}
        self._lock = threading.RLock()  # a callback may run inside it (the collector)

    def get(self, key: Hashable) -> Loose | None:
        with self._lock:
            entry = self._held.get(key)
        if entry is None:
            return None
        board = entry[0]()
        return None if board is None else (board, entry[1], entry[2])

    def put(self, key: Hashable, loose: Loose) -> None:
        def forget(dead: weakref.ref[Board]) -> None:
            with self._lock:
                if key in self._held and self._held[key][0] is dead:
                    del self._held[key]

        entry = (weakref.ref(loose[0], forget), loose[1], loose[2])
        with self._lock:
            self._held[key] = entry

    def pop(self, key: Hashable) -> Loose | None:
        found = self.get(key)
        with self._lock:
            self._held.pop(key, None)
        return found

    def drop(self, matches: Callable[[Hashable], bool]) -> None:
        with self._lock:
            for key in [key for key in self._held if matches(key)]:
                del self._held[key]

    def clear(self) -> None:
        with self._lock:
            self._held.clear()
