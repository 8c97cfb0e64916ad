"""The board-access service: credentials' client -> per-token, single-flight, versioned cache.

``TrelloConnection``, the dashboard and the CLI reach boards only through ``BoardService``; its
TTLs are one ``CachePolicy`` (``policy.py``).
"""

from __future__ import annotations

from trellolens.service.board_service import (
    BoardService,
    Callbacks,
    LoadedBoard,
    LoadWatch,
    Watch,
    Who,
    who,
)
from trellolens.service.policy import (
    BOARD_LIST_TTL_SECONDS,
    BOARD_TTL_SECONDS,
    DASHBOARD_MAX_ACTIONS,
    TOKEN_INFO_TTL_SECONDS,
    CachePolicy,
)

__all__ = [
    "BOARD_LIST_TTL_SECONDS",
    "BOARD_TTL_SECONDS",
    "DASHBOARD_MAX_ACTIONS",
    "TOKEN_INFO_TTL_SECONDS",
    "BoardService",
    "CachePolicy",
    "Callbacks",
    "LoadWatch",
    "LoadedBoard",
    "Watch",
    "Who",
    "who",
]
