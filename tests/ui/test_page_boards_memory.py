"""The Boards page keeps rows, not boards: once it has drawn one token's boards and another token's
set is shown, no model of the first set is alive (every one is collectable), and opening one of
the boards the page lists loads it once and keeps it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.ui.test_page_boards import boards_page
from trellolens.board import Board
from trellolens.connection import board_service
from trellolens.credentials import Secret
from trellolens.service import DASHBOARD_MAX_ACTIONS
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.trello import TrelloClient
from trellolens.ui.views.boards_tables import BOARD

OTHER_TOKEN = "ATTA" + "CANARY" * 10 + "BOARDSB"
OTHER_MEMBER = "5f00000000000000000b0b0b"
FIRST = [generate_export(lists=4, cards=20, actions=100, seed=80 + n) for n in range(3)]
SECOND = [generate_export(lists=4, cards=20, actions=100, seed=90 + n) for n in range(2)]


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    for number, export in enumerate([*FIRST, *SECOND], start=1):
        export["name"] = f"Memory board {number}"
    tokens = [TokenSpec(CANARY_TOKEN), TokenSpec(OTHER_TOKEN, member_id=OTHER_MEMBER)]
    emulator = TrelloEmulator(boards=FIRST, key=CANARY_KEY, tokens=tokens)
    for export in SECOND:
        emulator.add_board_of(export, OTHER_MEMBER)
    board_service().clear()
    with emulator.serve() as base_url:
        yield emulator, base_url
    board_service().clear()


def boards_alive(ids: set[str]) -> list[Board]:
    gc.collect()
    return [item for item in gc.get_objects() if isinstance(item, Board) and item.id in ids]


def test_switching_to_another_set_of_boards_leaves_the_old_models_collectable(
    served: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = served
    first_ids = {str(export["id"]) for export in FIRST}
    second_ids = {str(export["id"]) for export in SECOND}
    at = boards_page(base_url, {"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert set(at.dataframe[0].value[BOARD]) == {export["name"] for export in FIRST}
    at = boards_page(base_url, {"api_key": CANARY_KEY, "token": OTHER_TOKEN})
    assert set(at.dataframe[0].value[BOARD]) == {export["name"] for export in SECOND}
    assert boards_alive(first_ids) == []  # nothing keeps the first set's models
    assert boards_alive(second_ids) == []  # nor the set on screen: the page keeps rows
    loads = [r for r in emulator.requests if r.path.startswith("/1/boards/")]
    assert len(loads) == len(FIRST) + len(SECOND)  # each board loaded once


def test_a_board_opened_from_the_page_is_loaded_once_and_kept(
    served: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = served
    boards_page(base_url, {"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    board_id = str(FIRST[0]["id"])
    with TrelloClient(Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=base_url) as client:
        opened = board_service().board(client, board_id, max_actions=DASHBOARD_MAX_ACTIONS)
        del opened
        assert len(boards_alive({board_id})) == 1  # pinned: the overview's next rerun finds it
        board_service().board(client, board_id, max_actions=DASHBOARD_MAX_ACTIONS)
    assert len([r for r in emulator.requests if r.path == f"/1/boards/{board_id}"]) == 2
