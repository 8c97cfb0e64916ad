"""A board's card history, gathered newest first in pages of 1000, merged without duplicates.

Older pages are asked for with ``before=<date>``, the form Trello's reference documents for board
actions (a date; some guides show an action id). ``before`` is exclusive, so each page asks for
actions before the oldest date seen plus a millisecond: the actions of that millisecond come again
and are merged, rather than lost when a page ends in the middle of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from trellolens.errors import BoardFormatError, ResponseTooLargeError, TrelloError

ACTIONS_PAGE = 1000
"""Trello's largest page of actions, nested or not."""
SMALLEST_PAGE = 50
"""A page refused as too large is halved, down to this; refused at this size, loading stops."""
ACTION_FIELDS = "type,date,idMemberCreator,data"
"""Documented action fields only (an action's ``id`` always comes along)."""

Progress = Callable[[int], None]
"""Called with the number of history actions loaded so far, after each page."""
GetPage = Callable[[dict[str, str | int]], Any]
"""Fetches ``GET /1/boards/{id}/actions`` with these query parameters; returns decoded JSON."""
Build = Callable[[Any, int], Any]
"""Builds one decoded action (at this index of the history) into what the history keeps."""
OnRefusal = Callable[[ResponseTooLargeError], None]
"""Told of a refused page (e.g. to wait its ``retry_after``) before a smaller one is asked for."""


def malformed(path: str, problem: str) -> BoardFormatError:
    return BoardFormatError("Trello API response", path, problem)


def smaller_page(limit: int, refusal: ResponseTooLargeError, what: str) -> int:
    """Half of ``limit``; a ``TrelloError`` when the page is as small as it may get."""
    if limit <= SMALLEST_PAGE:
        raise TrelloError(
            f"Trello refuses even pages of {limit} for {what} ({refusal.reason} limit); "
            "try again later"
        ) from refusal
    return max(SMALLEST_PAGE, limit // 2)


class PageSize:
    """A page size that halves when Trello refuses a page. A database-time refusal is first
    retried at the same size (after its wait: the token's budget may just have been spent);
    a second one in a row halves it too."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._waited = False

    def refused(self, refusal: ResponseTooLargeError, what: str) -> None:
        if refusal.reason == "database" and not self._waited:
            self._waited = True
            return
        self._waited = False
        self.size = smaller_page(self.size, refusal, what)

    def served(self) -> None:
        self._waited = False


def _date(value: object) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    raise malformed("$.actions", "an action without a date")


def _trello_date(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ActionHistory:
    """Actions newest first, each once, up to an optional cap."""

    def __init__(self, first_page: list[Any], cap: int | None, build: Build | None = None) -> None:
        self.actions: list[Any] = []
        self._build = build
        """Turns each new action (and its index in ``actions``) into what ``actions`` keeps:
        the board's ``Action`` as its page arrives, so the history never exists as dicts."""
        self._seen: set[str] = set()
        self._cap = cap
        self.oldest: datetime | None = None
        self._at_oldest = 0
        """Actions seen at the ``oldest`` millisecond: the next page repeats them."""
        self.add(first_page)

    @property
    def cap_reached(self) -> bool:
        """The cap is reached (there may be older actions; they are not wanted)."""
        return self._cap is not None and len(self.actions) >= self._cap

    def _next_limit(self, page: int) -> int:
        if self._cap is None:
            return page
        wanted = self._cap - len(self.actions) + self._at_oldest
        return max(1, min(page, wanted))

    def add(self, page: list[Any]) -> bool:
        """Add a page; False when it brought nothing new (so paging stops)."""
        added = False
        for item in page:
            if self.cap_reached:
                break
            action_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(action_id, str):
                raise malformed("$.actions", "an action without an id")
            if action_id in self._seen:
                continue
            self._seen.add(action_id)
            when = _date(item.get("date"))
            build = self._build
            self.actions.append(item if build is None else build(item, len(self.actions)))
            added = True
            if self.oldest is None or when < self.oldest:
                self.oldest, self._at_oldest = when, 1
            elif when == self.oldest:
                self._at_oldest += 1
        return added

    def fetch_older(
        self,
        get_page: GetPage,
        types: str,
        progress: Progress | None,
        on_refusal: OnRefusal | None = None,
        *,
        from_start: bool = False,
    ) -> None:
        """Page back from the oldest action (or, ``from_start``, from the newest) until a short
        page, the cap, or nothing new. A page refused as too large is asked for again, smaller."""
        page_size = PageSize(ACTIONS_PAGE)
        full = True
        while full and not self.cap_reached and (from_start or self.oldest is not None):
            limit = self._next_limit(page_size.size)
            params: dict[str, str | int] = {
                "filter": types,
                "limit": limit,
                "fields": ACTION_FIELDS,
                "memberCreator": "false",
            }
            if self.oldest is not None:
                params["before"] = _trello_date(self.oldest + timedelta(milliseconds=1))
            try:
                page = get_page(params)
            except ResponseTooLargeError as refusal:
                page_size.size = min(page_size.size, limit)
                page_size.refused(refusal, "the board's history")
                if on_refusal is not None:
                    on_refusal(refusal)
                continue
            page_size.served()
            if not isinstance(page, list):
                raise malformed("$", "expected an array of actions")
            from_start = False
            full = self.add(page) and len(page) >= limit
            if progress is not None:
                progress(len(self.actions))
