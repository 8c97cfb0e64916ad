"""Generated boards, whole and with their history cut off as Trello's 1000-action export does."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from trellolens.metrics import compute_flow_metrics, metrics_to_json
from trellolens.testing import generate_board


def test_cut_off_history_is_reported_and_cards_still_counted() -> None:
    whole = generate_board(cards=120, actions=900, seed=7)
    cut = generate_board(cards=120, actions=900, seed=7, truncate_history_at=300)
    kept = {a.card_id for a in cut.actions if a.type == "createCard"}
    expected = sorted(c.id for c in cut.cards if c.id not in kept)
    metrics = compute_flow_metrics(cut)
    quality = metrics.data_quality
    assert quality.cards_without_creation_event == len(expected) > 0
    assert sorted(quality.card_ids_without_creation_event) == expected
    assert quality.actions_may_be_truncated
    assert not compute_flow_metrics(whole).data_quality.actions_may_be_truncated
    # Same board state: the same cards are done and in progress, whatever the history holds.
    full = compute_flow_metrics(whole)
    assert set(metrics.cycle_times["card_id"]) == set(full.cycle_times["card_id"])
    assert set(metrics.wip["card_id"]) == set(full.wip["card_id"])
    assert (metrics.cycle_times["days"] >= 0).all()


def test_card_without_any_action_starts_at_its_id_time_in_its_list() -> None:
    board = generate_board(cards=40, actions=200, seed=2, truncate_history_at=20)
    touched = {a.card_id for a in board.actions}
    silent = [c for c in board.cards if c.id not in touched and not c.closed]
    assert silent
    metrics = compute_flow_metrics(board)
    in_progress = metrics.wip.set_index("card_id")
    for card in silent:
        if card.id in in_progress.index:
            assert card.created is not None
            assert in_progress.loc[card.id, "started"] == pd.Timestamp(card.created)


def test_exactly_1000_actions_may_be_truncated() -> None:
    board = generate_board(cards=50, actions=1000, seed=1)
    assert compute_flow_metrics(board).data_quality.actions_may_be_truncated


def test_as_of_override_moves_ages_not_history() -> None:
    board = generate_board(cards=80, actions=600, seed=4)
    base = compute_flow_metrics(board)
    later = compute_flow_metrics(board, as_of=base.as_of + timedelta(days=10))
    assert later.wip["age_days"].to_numpy() == pytest.approx(base.wip["age_days"].to_numpy() + 10)
    assert len(later.cfd) == len(base.cfd) + 10
    assert later.daily_throughput.iloc[-10:].sum() == 0
    assert metrics_to_json(later)["as_of"].startswith(str((base.as_of + timedelta(days=10)).date()))


def test_throughput_in_last_and_overdue() -> None:
    board = generate_board(cards=200, actions=1500, seed=5)
    metrics = compute_flow_metrics(board)
    done = metrics.cycle_times["done"]
    as_of = pd.Timestamp(metrics.as_of)
    assert metrics.throughput_in_last(30) == int(
        ((done > as_of - pd.Timedelta(days=30)) & (done <= as_of)).sum()
    )
    assert metrics.throughput_in_last(10_000) == len(metrics.cycle_times)
    expected = sum(
        1
        for c in board.cards
        if c.due and not c.due_complete and not c.closed and c.due < metrics.as_of
    )
    assert metrics.overdue_count(metrics.as_of) == expected
