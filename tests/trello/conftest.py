"""A Trello emulator served over real HTTP for the module, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.credentials.conftest import CANARY_KEY, CANARY_TOKEN
from trellolens.board import Board, parse_board
from trellolens.credentials import Secret
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
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


@pytest.fixture(scope="module")
def served_emulator() -> Iterator[Served]:
    export = generate_export(lists=6, cards=300, actions=2600, seed=11)
    emulator = TrelloEmulator(boards=[export], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emulator.serve() as base_url:
        yield Served(emulator, base_url, export, parse_board(export))


@pytest.fixture
def served(served_emulator: Served) -> Served:
    served_emulator.emulator.reset(boards=True)
    return served_emulator
