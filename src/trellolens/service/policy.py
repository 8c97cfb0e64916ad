"""How long what Trello sent is kept: the one TTL policy of the library, the dashboard and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

BOARD_TTL_SECONDS = 600
"""A board is loaded from Trello again at most this often per token (sooner on a new version)."""
BOARD_LIST_TTL_SECONDS = 300
"""Trello allows 100 requests per 15 minutes to /1/members: the board list is kept this long."""
TOKEN_INFO_TTL_SECONDS = 60
"""What Trello says about a token (scopes, expiry) is asked again after this long."""
DASHBOARD_MAX_ACTIONS = 50_000
"""History actions the dashboard loads per board (50 paged requests at most)."""


@dataclass(frozen=True)
class CachePolicy:
    """The TTLs of a ``BoardService`` (seconds) and how many entries each cache holds."""

    board_seconds: float = BOARD_TTL_SECONDS
    board_list_seconds: float = BOARD_LIST_TTL_SECONDS
    token_info_seconds: float = TOKEN_INFO_TTL_SECONDS
    boards_held: int = 32
    tokens_held: int = 64
    proofs_held: int = 1024
    """(token, board) pairs remembered as allowed: a token shown a shared board proved access."""
