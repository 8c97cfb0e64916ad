"""One board's snapshot: one request (the board with its newest actions), then older history
pages; or, when Trello refuses the one request as too large or too costly, the board in parts.

``TrelloClient.board_snapshot`` builds a ``Snapshot`` and runs it. The import of the board model
and parser starts on a thread while the first request is on its way (a short command such as
`trellolens fetch` saves about 20 ms).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from trellolens.errors import ResponseTooLargeError
from trellolens.trello.history import ACTION_FIELDS, ActionHistory, Progress, malformed
from trellolens.trello.rate_limit import DATABASE, Limiter, Notice
from trellolens.trello.requester import Params
from trellolens.trello.split_board import SplitLoader

if TYPE_CHECKING:
    from trellolens.board import Board

PARSER_MODULE = "trellolens.board.export_file"
BOARD_FIELDS = "name,closed,url,shortUrl,dateLastActivity"
"""Documented board fields only: ``id`` is not a field value (it always comes along)."""

Get = Callable[[str, Params, str, float, Notice | None], Any]
"""The client's GET: path, parameters, what it is (for messages), deadline, notice."""
Parse = Callable[[object, str], "Board"]


@dataclass
class Snapshot:
    """One board's snapshot request; ``run()`` it once."""

    get: Get
    limiter: Limiter
    board_path: str
    board_id: str
    types: str
    first_page: int
    max_actions: int | None
    until: float
    split_until: float
    """The deadline once the board comes in parts (longer, unless the caller set one)."""
    progress: Progress | None = None
    notice: Notice | None = None

    @property
    def source(self) -> str:
        return f"Trello board {self.board_id}"

    def refused(self, refusal: ResponseTooLargeError) -> None:
        """Trello refused for database time: the token's window pauses as long as it said."""
        if refusal.reason == DATABASE and refusal.retry_after > 0:
            self.limiter.pause("token", refusal.retry_after, DATABASE)

    def run(self) -> Board:
        params = board_params(self.types, self.first_page)
        parser = parser_loaded_meanwhile()
        try:
            payload = self.get(
                self.board_path, params, f"board {self.board_id}", self.until, self.notice
            )
        except ResponseTooLargeError as refusal:
            if self.notice is not None:
                self.notice(
                    f"Trello refused board {self.board_id} in one request ({refusal.reason} "
                    "limit): loading it in parts"
                )
            self.refused(refusal)
            return self.in_parts(params, parser())
        parse_board = parser()
        if not isinstance(payload, dict):
            raise malformed("$", "expected a board object")
        actions = payload.get("actions") or []
        if not isinstance(actions, list):
            raise malformed("$.actions", "expected an array")
        from trellolens.board.export_file import action_builder

        # Each page of history becomes compact Actions as it arrives (peak memory).
        history = ActionHistory(actions, self.max_actions, action_builder(self.source))
        if self.progress is not None:
            self.progress(len(history.actions))
        if len(actions) < self.first_page or history.cap_reached:
            # A short first page is the whole history; a cap reached may have left some out.
            board = parse_board(payload, self.source)
            return replace(board, history_complete=not history.cap_reached)
        payload["actions"] = []
        return self.with_older_history(payload, history, parse_board)

    def in_parts(self, params: Params, parse_board: Parse) -> Board:
        def get(path: str, query: dict[str, str | int], what: str) -> Any:
            return self.get(self.board_path + path, query, what, self.split_until, self.notice)

        def wait(seconds: float) -> None:  # a refusal for database time
            self.limiter.pause("token", seconds, DATABASE)

        from trellolens.board.export_file import action_builder, card_builder

        loader = SplitLoader(self.board_id, get, wait, self.notice)
        shell, cards, history = loader.load(
            dict(params),
            self.types,
            self.max_actions,
            self.progress,
            card_builder(self.source),
            action_builder(self.source),
        )
        return replace(
            parse_board(shell, self.source),
            cards=tuple(cards),
            actions=tuple(history.actions),
            history_complete=not history.cap_reached,
        )

    def with_older_history(
        self, payload: dict[str, Any], history: ActionHistory, parse_board: Parse
    ) -> Board:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="trellolens-parse") as pool:
            # Lists, cards and checklists are built while older actions are on their way.
            board = pool.submit(parse_board, payload, self.source)

            def get_page(params: Params) -> Any:
                what = f"the history of board {self.board_id}"
                return self.get(f"{self.board_path}/actions", params, what, self.until, self.notice)

            history.fetch_older(get_page, self.types, self.progress, self.refused)
            return replace(
                board.result(),
                actions=tuple(history.actions),
                history_complete=not history.cap_reached,
            )


def parser_loaded_meanwhile() -> Callable[[], Parse]:
    """Start importing the board model and parser on a thread; the returned function waits for
    them and gives ``parse_board``."""
    loading: threading.Thread | None = None
    if PARSER_MODULE not in sys.modules:
        loading = threading.Thread(target=_import_quietly, name="trellolens-import", daemon=True)
        loading.start()

    def parser() -> Parse:
        if loading is not None:
            loading.join()
        from trellolens.board.export_file import parse_board  # raises here if it failed there

        return parse_board

    return parser


def _import_quietly() -> None:
    with contextlib.suppress(Exception):  # the caller's own import reports it
        importlib.import_module(PARSER_MODULE)


def board_params(types: str, first_page: int) -> dict[str, str | int]:
    return {
        "fields": BOARD_FIELDS,
        "lists": "all",
        "cards": "all",
        "checklists": "all",
        "labels": "all",
        "labels_limit": 1000,
        "members": "all",
        "customFields": "true",
        "card_customFieldItems": "true",
        "actions": types,
        "actions_limit": first_page,
        "action_fields": ACTION_FIELDS,
        "action_memberCreator": "false",
    }
