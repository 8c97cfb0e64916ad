"""The Boards page: every open board of the token at a glance, against the emulator's server."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, PAGES, TIMEOUT_SECONDS, page_text
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board, generate_export
from trellolens.trello import BoardSummary
from trellolens.ui.data.portfolio import BoardRow, board_row, load_rows
from trellolens.ui.views.boards_tables import BOARD, COLUMNS, OPEN

BOARDS_PAGE = str(PAGES / "boards.py")


def exports() -> list[dict[str, Any]]:
    boards = []
    for index in range(4):
        export = generate_export(lists=5, cards=30, actions=300, seed=60 + index)
        export["name"] = f"Portfolio board {index + 1}"
        boards.append(export)
    archived = generate_export(lists=3, cards=5, actions=20, seed=69)
    archived["name"], archived["closed"] = "Archived board", True
    return [*boards, archived]


EXPORTS = exports()


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = TrelloEmulator(boards=EXPORTS, key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emulator.serve() as base_url:
        yield emulator, base_url


def boards_page(base_url: str, trello: dict[str, str] | None = None) -> AppTest:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    os.environ["TRELLO_API_BASE_URL"] = base_url
    os.environ["TRELLOLENS_ACCESS"] = "open"
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    if trello is not None:
        at.secrets["trello"] = trello
    at.switch_page(BOARDS_PAGE).run()
    assert not at.exception
    return at


def test_every_open_board_has_a_row_with_its_flow_and_a_link(
    served: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = served
    at = boards_page(base_url, {"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    table = at.dataframe[0].value
    links = dict(zip(table[BOARD], table[OPEN], strict=True))  # most recently active first
    assert links == {export["name"]: f"./?board={export['id']}" for export in EXPORTS[:4]}
    for column in ("wip", "done_7_days", "done_30_days"):
        assert table[COLUMNS[column]].notna().all()
    assert not table[COLUMNS["problem"]].any()
    assert "4 open boards" in page_text(at)
    (progress,) = at.get("progress")
    assert progress.proto.value == 100
    assert progress.proto.text == "Loaded 4 of 4 boards"
    loads = [r.path for r in emulator.requests if r.path.startswith("/1/boards/")]
    assert sorted(loads) == sorted(f"/1/boards/{export['id']}" for export in EXPORTS[:4])
    at.run()  # kept per token: a rerun asks Trello for nothing
    assert len([r for r in emulator.requests if r.path.startswith("/1/boards/")]) == 4
    assert_no_canary(everything_rendered(at))


def test_a_board_the_emulator_refuses_gets_its_reason_while_the_others_load(
    served: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = served
    refused = EXPORTS[1]["id"]
    emulator.faults.refuse_board(refused)
    at = boards_page(base_url, {"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    table = at.dataframe[0].value.set_index(BOARD)
    problem = str(table.loc["Portfolio board 2", COLUMNS["problem"]])
    assert "the token may not read board" in problem
    assert "\n" not in problem
    others = table.drop(index="Portfolio board 2")
    assert not others[COLUMNS["problem"]].any()
    assert others[COLUMNS["wip"]].notna().all()
    assert "1 could not be shown" in page_text(at)
    statuses = {r.path: r.status for r in emulator.requests if r.path.startswith("/1/boards/")}
    assert statuses.pop(f"/1/boards/{refused}") == 403
    assert set(statuses.values()) == {200}
    assert_no_canary(everything_rendered(at))


def test_without_credentials_the_page_says_what_to_do(served: tuple[TrelloEmulator, str]) -> None:
    emulator, base_url = served
    at = boards_page(base_url)
    assert "No Trello credentials are configured yet" in page_text(at)
    assert not at.dataframe
    assert not emulator.requests


def test_rows_come_back_in_the_order_given_and_report_progress() -> None:
    boards = [generate_board(lists=4, cards=20, actions=200, seed=seed) for seed in (1, 2, 3)]
    by_id = {board.id: board for board in boards}
    summaries = [BoardSummary(board.id, board.name) for board in boards]
    seen: list[tuple[int, int]] = []
    as_of = max(a.date for b in boards for a in b.actions)
    rows = load_rows(summaries, by_id.__getitem__, as_of, lambda d, t: seen.append((d, t)))
    assert [row.board_id for row in rows] == [b.id for b in boards]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert rows[0] == board_row(boards[0], as_of)
    assert isinstance(rows[0], BoardRow)


def test_the_open_board_link_is_pinned_so_a_wide_table_keeps_it_in_sight(
    served: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = served
    at = boards_page(base_url, {"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    config = json.loads(at.dataframe[0].proto.columns)
    assert config[OPEN]["pinned"] is True
    assert config[OPEN]["type_config"]["display_text"] == "Open board"
