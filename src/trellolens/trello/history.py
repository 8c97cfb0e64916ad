"""A board's card history, gathered newest first in pages of 1000, merged without duplicates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trellolens.errors import BoardFormatError

ACTIONS_PAGE = 1000
"""Trello's largest page of actions, nested or not."""
ACTION_FIELDS = "id,type,date,idMemberCreator,data"

Progress = Callable[[int], None]
"""Called with the number of history actions loaded so far, after each page."""
GetPage = Callable[[dict[str, str | int]], Any]
"""Fetches ``GET /1/boards/{id}/actions`` with these query parameters; returns decoded JSON."""


def malformed(path: str, problem: str) -> BoardFormatError:
    return BoardFormatError("Trello API response", path, problem)


class ActionHistory:
    """Actions newest first, each once, up to an optional cap."""

    def __init__(self, first_page: list[Any], cap: int | None) -> None:
        self.actions: list[Any] = []
        self._seen: set[str] = set()
        self._cap = cap
        self.oldest_id: str | None = None
        self.add(first_page)

    @property
    def complete(self) -> bool:
        """The cap is reached (there may be older actions; they are not wanted)."""
        return self._cap is not None and len(self.actions) >= self._cap

    def _next_limit(self) -> int:
        if self._cap is None:
            return ACTIONS_PAGE
        return max(1, min(ACTIONS_PAGE, self._cap - len(self.actions)))

    def add(self, page: list[Any]) -> bool:
        """Add a page; False when it brought nothing new (so paging stops)."""
        added = False
        for item in page:
            if self.complete:
                break
            action_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(action_id, str):
                raise malformed("$.actions", "an action without an id")
            self.oldest_id = action_id
            if action_id in self._seen:
                continue
            self._seen.add(action_id)
            self.actions.append(item)
            added = True
        return added

    def fetch_older(self, get_page: GetPage, types: str, progress: Progress | None) -> None:
        """Page ``before=`` the oldest action until a short page, the cap, or nothing new."""
        full = True
        while full and not self.complete and self.oldest_id is not None:
            limit = self._next_limit()
            page = get_page(
                {
                    "filter": types,
                    "limit": limit,
                    "before": self.oldest_id,
                    "fields": ACTION_FIELDS,
                    "memberCreator": "false",
                }
            )
            if not isinstance(page, list):
                raise malformed("$", "expected an array of actions")
            full = self.add(page) and len(page) >= limit
            if progress is not None:
                progress(len(self.actions))
