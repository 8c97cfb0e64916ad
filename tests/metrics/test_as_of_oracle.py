"""Rewinding to an as-of time equals computing on the board as it was exported at that time.

The oracle rebuilds that export independently, with a plain loop per card over the actions, and
lets the metrics compute it "now" (its newest action is at or before the as-of time, so nothing
is rewound there).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from trellolens.board import Action, Board
from trellolens.metrics import FlowMetrics, compute_flow_metrics, default_workflow
from trellolens.testing import generate_board

CREATION = {
    "createCard",
    "copyCard",
    "emailCard",
    "convertToCardFromCheckItem",
    "moveCardToBoard",
}


def exported_at(board: Board, as_of: datetime) -> Board:
    """The board as an export taken at ``as_of`` would show it.

    Actions dated after ``as_of`` are gone. A card exists from its first entering action when it
    has a creation-type one, else from its id's timestamp (or its first move, if earlier). Its
    list is the target of its last entering action up to ``as_of``; with none, the list its first
    later move left, else its current list. It is archived when it is archived now and its
    archiving (the updateCard with ``old.closed == false``, else its last activity) came by then.
    """
    entering: dict[str, list[Action]] = defaultdict(list)
    archived_at: dict[str, datetime] = {}
    for action in board.actions:
        card_id = action.card_id or ""
        if action.type in CREATION or action.list_after_id is not None:
            entering[card_id].append(action)
        elif action.type == "updateCard" and action.old_closed is False:
            archived_at[card_id] = max(action.date, archived_at.get(card_id, action.date))
    cards = []
    for card in board.cards:
        events = sorted(entering[card.id], key=lambda a: (a.date, a.id))
        moves = [a for a in events if a.type not in CREATION]
        if any(a.type in CREATION for a in events):
            born = events[0].date
        else:
            born = min([d for d in (card.created, *(a.date for a in moves[:1])) if d is not None])
        if born > as_of:
            continue
        until = [a for a in events if a.date <= as_of]
        later = [a for a in moves if a.date > as_of]
        if until:
            last = until[-1]
            list_id = last.list_id if last.type in CREATION else last.list_after_id
        elif later:
            list_id = later[0].list_before_id
        else:
            list_id = card.list_id
        archived = archived_at.get(card.id, card.date_last_activity)
        closed = card.closed and archived is not None and archived <= as_of
        cards.append(replace(card, list_id=list_id or "", closed=closed))
    actions = tuple(a for a in board.actions if a.date <= as_of)
    return replace(board, cards=tuple(cards), actions=actions)


def assert_same_metrics(rewound: FlowMetrics, oracle: FlowMetrics) -> None:
    for field in ("cycle_times", "weekly_throughput", "wip", "wip_over_time", "cfd"):
        pd.testing.assert_frame_equal(getattr(rewound, field), getattr(oracle, field))
    pd.testing.assert_frame_equal(rewound.time_in_list, oracle.time_in_list)
    pd.testing.assert_series_equal(rewound.daily_throughput, oracle.daily_throughput)
    assert rewound.cycle_time_percentiles == oracle.cycle_time_percentiles
    assert sorted(rewound.open_due_dates) == sorted(oracle.open_due_dates)
    quality, expected = rewound.data_quality, oracle.data_quality
    assert quality.cards_in_ignored_lists == expected.cards_in_ignored_lists


@st.composite
def board_and_as_of(draw: st.DrawFn) -> tuple[Board, datetime]:
    cards = draw(st.integers(0, 50))
    board = generate_board(
        lists=draw(st.integers(2, 6)),
        cards=cards,
        actions=cards + draw(st.integers(0, 250)),
        months=draw(st.integers(1, 6)),
        seed=draw(st.integers(0, 2**32)),
        truncate_history_at=draw(st.none() | st.integers(0, 150)),
    )
    # Exact action dates and card-id seconds (and a microsecond either side) test the edges.
    edges = sorted({a.date for a in board.actions} | {c.created for c in board.cards if c.created})
    if len(edges) > 0 and draw(st.booleans()):
        nudge = timedelta(microseconds=draw(st.sampled_from([-1, 0, 1])))
        return board, draw(st.sampled_from(edges)) + nudge
    first = edges[0] if edges else datetime.fromisoformat("2024-01-01T00:00:00+00:00")
    last = edges[-1] if edges else first
    fraction = draw(st.floats(-0.05, 1.05))
    return board, first + (last - first) * fraction


@settings(max_examples=60, deadline=None)
@given(board_and_as_of())
def test_rewinding_equals_the_export_taken_at_that_time(case: tuple[Board, datetime]) -> None:
    board, as_of = case
    workflow = default_workflow(board)
    rewound = compute_flow_metrics(board, workflow, as_of)
    oracle = compute_flow_metrics(exported_at(board, as_of), workflow, as_of)
    assert_same_metrics(rewound, oracle)
    moment = pd.Timestamp(as_of)
    assert (rewound.cycle_times["done"] <= moment).all()
    assert (rewound.cycle_times["days"] >= 0).all()
    assert (rewound.wip["age_days"] >= 0).all()
    if len(rewound.cfd):
        assert rewound.cfd.iloc[-1, -1] == rewound.done_count
        assert rewound.wip_over_time["wip"].iloc[-1] == len(rewound.wip)


def test_the_oracle_is_the_identity_at_the_newest_action() -> None:
    board = generate_board(cards=60, actions=400, seed=11, truncate_history_at=250)
    newest = max(action.date for action in board.actions)
    assert exported_at(board, newest) == board
    workflow = default_workflow(board)
    assert_same_metrics(
        compute_flow_metrics(board, workflow, newest), compute_flow_metrics(board, workflow)
    )
