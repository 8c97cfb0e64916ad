"""A board too large for one request, loaded in parts: Trello's advice for its size limits.

When Trello refuses the one-request snapshot (``API_TOO_MANY_CARDS_REQUESTED``, or
``API_TOKEN_DB_LIMIT_EXCEEDED``), the board comes in this order:

1. the board with its lists, labels, members and custom fields (no cards, no history);
2. its open cards, then its archived cards, in pages of up to 1000 by card id (newest first,
   ``before=`` the oldest so far), each card with its checklists and custom field items;
3. its history, in pages of 1000 (``history.ActionHistory``).

Each page's cards and actions are handed to the caller's builders as the page arrives (the
board's compact ``Card`` and ``Action``), so the pages' dicts go with their page: the board never
exists whole as decoded JSON beside its model.

A page refused as too large is asked for again at half the size (down to 50); a refusal for
database time first waits the ``retry-after`` Trello gave and tries the same size once more. Every request goes through the same
rate-limit windows as any other, and each finished page is announced to ``notice``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from trellolens.errors import ResponseTooLargeError
from trellolens.trello.history import ACTIONS_PAGE, ActionHistory, PageSize, Progress, malformed
from trellolens.trello.rate_limit import Notice

CARDS_PAGE = 1000
"""Trello's largest ``limit`` for cards."""

Build = Callable[[Any, int], Any]
"""Turns one decoded card or action (and its index) into what is kept of it."""
Get = Callable[[str, dict[str, str | int], str], Any]
"""GETs a path (relative to the board's) with parameters; ``what`` names it in messages."""
Wait = Callable[[float], None]


class SplitLoader:
    """Loads one board in parts; see the module docstring."""

    def __init__(
        self,
        board_id: str,
        get: Get,
        wait: Wait,
        notice: Notice | None,
        name: str | None = None,
    ) -> None:
        self.board_id = board_id
        self._get = get
        self._wait = wait
        self._notice = notice
        self._label = f"board {board_id}" if name is None else name
        self._said = ""

    def _say(self, line: str) -> None:
        """Announce ``line``, unless it was the last one said (an empty last page adds nothing)."""
        if self._notice is not None and line != self._said:
            self._said = line
            self._notice(line)

    def _refused(self, refusal: ResponseTooLargeError) -> None:
        if refusal.reason == "database" and refusal.retry_after > 0:
            self._wait(refusal.retry_after)

    def board(self, board_params: dict[str, str | int]) -> dict[str, Any]:
        """The board without cards, checklists or history."""
        params = {
            name: value
            for name, value in board_params.items()
            if not name.startswith(("card", "checklist", "action")) and name != "cards"
        }
        what = f"{self._label} (without its cards)"
        try:
            payload = self._get("", params, what)
        except ResponseTooLargeError as refusal:
            if refusal.reason != "database":
                raise  # nothing left to split
            self._refused(refusal)  # the token's budget was spent: wait, then once more
            payload = self._get("", params, what)
        if not isinstance(payload, dict):
            raise malformed("$", "expected a board object")
        return payload

    def cards(
        self, card_filter: str, description: str, keep: Callable[[dict[str, Any]], Any]
    ) -> list[Any]:
        """Every card of ``card_filter`` (open, closed), with checklists and custom field items,
        each as ``keep`` makes it when its page arrives."""
        found: dict[str, Any] = {}
        size = PageSize(CARDS_PAGE)
        oldest: str | None = None
        while True:
            limit = size.size
            params: dict[str, str | int] = {
                "limit": limit,
                "checklists": "all",
                "customFieldItems": "true",
            }
            if oldest is not None:
                params["before"] = oldest
            what = f"the {description} cards of {self._label}"
            try:
                page = self._get(f"/cards/{card_filter}", params, what)
            except ResponseTooLargeError as refusal:
                size.refused(refusal, what)
                self._refused(refusal)
                continue
            size.served()
            if not isinstance(page, list):
                raise malformed("$", "expected an array of cards")
            before = len(found)
            for index, card in enumerate(page):
                card_id = card.get("id") if isinstance(card, dict) else None
                if not isinstance(card_id, str):
                    raise malformed(f"$[{index}]", "a card without an id")
                if card_id not in found:
                    found[card_id] = keep(card)
                oldest = card_id if oldest is None else min(oldest, card_id)
            self._say(f"Loading {self._label} in parts: {len(found)} {description} cards")
            if len(page) < limit:
                return list(found.values())
            if len(found) == before:  # a full page of cards already seen: paging went nowhere
                raise malformed("$", f"before={oldest} brought no older cards")

    def history(
        self,
        types: str,
        max_actions: int | None,
        progress: Progress | None,
        build: Build | None = None,
    ) -> ActionHistory:
        history = ActionHistory([], max_actions, build)

        def get_page(params: dict[str, str | int]) -> Any:
            return self._get("/actions", params, f"the history of {self._label}")

        def reported(count: int) -> None:
            self._say(f"Loading {self._label} in parts: {count} history actions")
            if progress is not None:
                progress(count)

        if max_actions != 0:
            history.fetch_older(get_page, types, reported, self._refused, from_start=True)
        return history

    def load(
        self,
        board_params: dict[str, str | int],
        types: str,
        max_actions: int | None,
        progress: Progress | None,
        build_card: Build | None = None,
        build_action: Build | None = None,
    ) -> tuple[dict[str, Any], list[Any], ActionHistory]:
        """The board payload (its checklists included; no cards, no actions), its cards (as
        ``build_card`` makes each; the dicts without it) and its history (``build_action``'s)."""
        payload = self.board(board_params)
        checklists: dict[str, Any] = {}
        numbers = itertools.count()

        def keep(card: dict[str, Any]) -> Any:
            for checklist in card.pop("checklists", None) or []:
                if isinstance(checklist, dict) and isinstance(checklist.get("id"), str):
                    checklists.setdefault(checklist["id"], checklist)
            return card if build_card is None else build_card(card, next(numbers))

        cards = self.cards("open", "open", keep)
        cards += self.cards("closed", "archived", keep)
        payload["cards"] = []
        payload["checklists"] = list(checklists.values())
        payload["actions"] = []
        return payload, cards, self.history(types, max_actions, progress, build_action)


__all__ = ["ACTIONS_PAGE", "CARDS_PAGE", "SplitLoader"]
