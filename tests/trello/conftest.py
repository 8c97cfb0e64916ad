"""A Trello emulator served over real HTTP for the module, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.helpers.emulator import Served
from trellolens.board import parse_board
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export


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
