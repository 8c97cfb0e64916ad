"""A Trello emulator served over real HTTP, with the board it serves and clients of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from trellolens.board import Board
from trellolens.credentials import Secret
from trellolens.testing import TrelloEmulator
from trellolens.trello import RetryPolicy, TrelloClient, WindowRegistry

QUICK_RETRY = RetryPolicy(base_delay=0.05, rate_limit_delay=0.2, max_delay=2.0)


@dataclass
class Served:
    emulator: TrelloEmulator
    base_url: str
    export: dict[str, Any]
    board: Board

    def client(self, **options: Any) -> TrelloClient:
        """A client of the served emulator with its own rate-limit windows."""
        options.setdefault("registry", WindowRegistry())
        options.setdefault("retry", QUICK_RETRY)
        return TrelloClient(
            Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=self.base_url, **options
        )
