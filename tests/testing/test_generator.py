"""The board generator: sizes, reproducibility, realistic moves, round trip through the parser."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from trellolens.board import parse_board, parse_board_bytes
from trellolens.testing import generate_board, generate_export


def test_sizes_and_exact_action_count() -> None:
    board = generate_board(
        lists=6, cards=150, actions=1200, labels=4, members=3, checklists_per_card=1.0, seed=9
    )
    assert len(board.lists) == 6
    assert len(board.cards) == 150
    assert len(board.actions) == 1200
    assert len(board.labels) == 4
    assert len(board.members) == 3
    assert len(board.checklists) > 50
    kinds = Counter(action.type for action in board.actions)
    assert kinds["createCard"] == 150


def test_seeded_and_reproducible() -> None:
    assert generate_board(seed=11) == generate_board(seed=11)
    assert generate_board(seed=11) != generate_board(seed=12)
    assert generate_export(seed=3) == generate_export(seed=3)


def test_round_trip_through_the_parser() -> None:
    board = generate_board(cards=60, actions=500, checklists_per_card=0.5, seed=5)
    raw = json.dumps(generate_export(cards=60, actions=500, checklists_per_card=0.5, seed=5))
    assert parse_board_bytes(raw.encode()) == board
    assert parse_board(json.loads(raw)) == board


def test_moves_are_mostly_forward_with_some_back_and_skips() -> None:
    board = generate_board(lists=6, cards=400, actions=4000, seed=1)
    order = {lst.id: i for i, lst in enumerate(board.lists)}
    steps = Counter(
        order[a.list_after_id] - order[a.list_before_id]
        for a in board.actions
        if a.list_after_id and a.list_before_id
    )
    total = sum(steps.values())
    assert steps[1] > total / 2
    assert steps[-1] > total / 50
    assert steps[2] > total / 50
    closed = [c for c in board.cards if c.closed]
    assert closed
    done_id = board.lists[-1].id
    assert sum(c.list_id == done_id for c in closed) > len(closed) / 2
    # Newest first, like Trello; the history spans months.
    dates = [a.date for a in board.actions]
    assert dates == sorted(dates, reverse=True)
    assert (dates[0] - dates[-1]).days > 100


def test_truncated_history_keeps_the_newest_actions() -> None:
    whole = generate_board(cards=50, actions=400, seed=2)
    cut = generate_board(cards=50, actions=400, seed=2, truncate_history_at=100)
    assert cut.actions == whole.actions[:100]
    assert cut.cards == whole.cards


def test_bad_sizes() -> None:
    with pytest.raises(ValueError, match="at least cards"):
        generate_board(cards=10, actions=5)
    with pytest.raises(ValueError, match="at least 2 lists"):
        generate_board(lists=1)
