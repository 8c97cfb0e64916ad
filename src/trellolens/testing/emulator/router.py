"""A small method+path router: ``@route("GET", "/1/boards/{board}")`` handlers get a Context."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trellolens.testing.emulator.auth import Caller
from trellolens.testing.emulator.messages import NOT_FOUND, UNAUTHORIZED, ApiError, ApiRequest
from trellolens.testing.emulator.params import check_id
from trellolens.testing.emulator.shapes import BoardData
from trellolens.testing.emulator.state import EmulatorState


@dataclass(frozen=True)
class Context:
    state: EmulatorState
    request: ApiRequest
    caller: Caller

    @property
    def query(self) -> dict[str, str]:
        return self.request.query

    def board(self, board_id: str) -> BoardData:
        """The board by id or shortLink: 400 for a malformed id, 404 unknown, 401 not yours."""
        board = self.state.board(check_id(board_id, short_link_ok=True))
        if board is None:
            raise ApiError(404, NOT_FOUND)
        if self.caller.member_id not in board.access:
            raise ApiError(401, UNAUTHORIZED)
        return board

    def owner_of(
        self, index: dict[str, str], object_id: str, not_found: str = NOT_FOUND
    ) -> BoardData:
        """The board holding a card, list or checklist, checked like ``board``; ``not_found`` is
        the route's 404 text."""
        with self.state.lock:
            board_id = index.get(check_id(object_id))
        if board_id is None:
            raise ApiError(404, not_found)
        return self.board(board_id)


Handler = Callable[..., Any]
_routes: list[tuple[str, re.Pattern[str], Handler]] = []


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template.rstrip("/")) + "/?$")

    def register(handler: Handler) -> Handler:
        _routes.append((method, pattern, handler))
        return handler

    return register


def dispatch(ctx: Context) -> Any:
    """The handler's payload; 404 for what the emulator does not serve (never echoing the path,
    which may hold a token)."""
    method = ctx.request.method.upper()
    method = "GET" if method == "HEAD" else method
    for verb, pattern, handler in _routes:
        match = pattern.match(ctx.request.path)
        if match is not None and verb == method:
            return handler(ctx, **match.groupdict())
    raise ApiError(404, NOT_FOUND)
