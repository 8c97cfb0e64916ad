"""board_to_export writes what parse_board reads back to an equal Board."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from trellolens.board import Board, board_to_export, load_board, parse_board
from trellolens.board.model import Card


def _round_trip(board: Board) -> Board:
    # Through real JSON text, as `trellolens fetch --out` and the emulator use it.
    return parse_board(json.loads(json.dumps(board_to_export(board))), source="round trip")


@pytest.mark.parametrize("fixture", ["scrum_export", "hermes_export"])
def test_round_trip_keeps_the_board(fixture: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(fixture)
    board = load_board(path)
    again = _round_trip(board)

    assert again == board
    # Action.data is compare=False: check it on its own.
    assert [action.data for action in again.actions] == [action.data for action in board.actions]
    assert again.labels == board.labels
    assert again.checklists == board.checklists
    assert _round_trip(again) == board


def test_round_trip_keeps_odd_dates() -> None:
    plus_two = timezone(timedelta(hours=2))
    card = Card(
        id="c",
        name="C",
        list_id="l",
        due=datetime(2020, 5, 1, 12, 0, 0, 123456, tzinfo=UTC),
        start=datetime(2020, 5, 1, 14, 0, tzinfo=plus_two),
    )
    board = Board(id="b", name="B", cards=(card,))
    again = _round_trip(board)
    assert again == board
    assert again.cards[0].start is not None
    assert again.cards[0].start.tzinfo is UTC
