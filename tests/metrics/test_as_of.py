"""An as-of time before the newest action rewinds the board: hand-checked on both real exports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.metrics.fixture_workflows import HERMES_FLOW, SCRUM_FLOW
from trellolens.board import Board, load_board
from trellolens.metrics import (
    FlowMetrics,
    compute_flow_metrics,
    default_as_of,
    workflow_from_names,
)
from trellolens.testing import generate_board

END_OF_JANUARY = datetime(2018, 1, 31, 23, 59, 59, 999999, tzinfo=UTC)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.fixture
def scrum(scrum_export: Path) -> Board:
    return load_board(scrum_export)


@pytest.fixture
def hermes(hermes_export: Path) -> Board:
    return load_board(hermes_export)


def scrum_as_of(board: Board, as_of: datetime | None) -> FlowMetrics:
    return compute_flow_metrics(board, workflow_from_names(board, SCRUM_FLOW), as_of)


def hermes_as_of(board: Board, as_of: datetime) -> FlowMetrics:
    return compute_flow_metrics(board, workflow_from_names(board, HERMES_FLOW), as_of)


def test_scrum_as_of_end_of_january_counts_by_hand(scrum: Board) -> None:
    # Counted by hand with a small script over the raw JSON, independent of trellolens: for each
    # card, take the actions createCard/copyCard/convertToCardFromCheckItem/moveCardToBoard
    # (target data.list) and updateCard with data.listAfter dated <= 2018-01-31T23:59:59.999Z,
    # sort them by (date, id), and read the card's list at the as-of time off the last one.
    # 54 of the 81 cards existed; 12 of them sat in Done, 3 in Doing and 4 in Review, none of
    # those 7 archived by then (archivings: updateCard with data.old.closed == false).
    # Every card has its creation action, so no id-timestamp fallback was needed.
    metrics = scrum_as_of(scrum, END_OF_JANUARY)
    assert metrics.done_count == 12  # not the 28 in Done at export time
    assert len(metrics.wip) == 7
    assert (metrics.cycle_times["done"] <= pd.Timestamp(END_OF_JANUARY)).all()
    assert (metrics.wip["age_days"] >= 0).all()
    assert (metrics.wip["started"] <= pd.Timestamp(END_OF_JANUARY)).all()
    last = metrics.cfd.iloc[-1]
    assert last["date"] == END_OF_JANUARY.date()
    assert last["Done"] == 12
    assert last["Review"] == 12 + 4
    assert metrics.wip_over_time["wip"].iloc[-1] == 7
    assert metrics.daily_throughput.index[-1] == END_OF_JANUARY.date()
    assert int(metrics.weekly_throughput["count"].sum()) == 12


@pytest.mark.parametrize(
    "as_of",
    [
        datetime(2017, 12, 1, tzinfo=UTC),
        datetime(2017, 12, 25, tzinfo=UTC),
        END_OF_JANUARY,
        datetime(2018, 3, 1, 12, tzinfo=UTC),
    ],
)
def test_nothing_from_after_the_as_of_time(scrum: Board, as_of: datetime) -> None:
    metrics = scrum_as_of(scrum, as_of)
    moment = pd.Timestamp(as_of)
    assert (metrics.cycle_times["done"] <= moment).all()
    assert (metrics.cycle_times["started"] <= metrics.cycle_times["done"]).all()
    assert (metrics.wip["age_days"] >= 0).all()
    assert (metrics.wip["started"] <= moment).all()
    born = {card.id: card.created for card in scrum.cards}
    seen = [*metrics.cycle_times["card_id"], *metrics.wip["card_id"]]
    started = [born[card_id] for card_id in seen]
    assert all(created is not None and created <= as_of for created in started)
    assert metrics.cfd["date"].iloc[-1] == as_of.date()
    assert metrics.cfd.iloc[-1]["Done"] == metrics.done_count
    assert metrics.wip_over_time["wip"].iloc[-1] == len(metrics.wip)


def test_done_then_moved_back_later_is_done_as_of_before_the_move(scrum: Board) -> None:
    # "(6) QuestionQ - Server" (see test_real_exports): -> Doing 2017-12-01T10:12:07.290,
    # -> Done 2017-12-20T16:56:10.008, back to Doing 2017-12-29T13:44:10.818.
    card = "5a212951ef0a6bab3778f95f"
    christmas = scrum_as_of(scrum, datetime(2017, 12, 25, tzinfo=UTC))
    row = christmas.cycle_times.set_index("card_id").loc[card]
    assert row["started"] == utc("2017-12-01T10:12:07.290")
    assert row["done"] == utc("2017-12-20T16:56:10.008")
    new_year = scrum_as_of(scrum, datetime(2018, 1, 1, tzinfo=UTC))
    assert card not in set(new_year.cycle_times["card_id"])
    wip = new_year.wip.set_index("card_id").loc[card]
    assert wip["list"] == "Review"  # -> Review 2017-12-30T14:25:52.941
    assert wip["started"] == utc("2017-12-01T10:12:07.290")  # Doing's first entry is kept


def test_archived_in_progress_leaves_wip_when_archived(scrum: Board) -> None:
    # "Session aus DB löschen wenn logout", in Doing, archived 2018-03-31T12:33:57.399.
    card = "5a930fc51e33054ef6780e84"
    before = scrum_as_of(scrum, datetime(2018, 3, 31, 12, tzinfo=UTC))
    assert card in set(before.wip["card_id"])
    assert card not in set(scrum_as_of(scrum, None).wip["card_id"])


def test_hermes_card_done_moved_back_done_again_then_archived(hermes: Board) -> None:
    # "Recursive File/Folder Selection": -> Doing 2013-05-18T18:45:42.767, -> Done
    # 2013-05-19T01:13:19.979, -> Doing 06:56:32.006, -> Done 10:27:34.657, archived
    # 2013-05-20T16:50:57.677 (in Done).
    card = "5197beb2bac4ad501800cca6"
    morning = hermes_as_of(hermes, datetime(2013, 5, 19, 8, tzinfo=UTC))
    wip = morning.wip.set_index("card_id").loc[card]
    assert wip["list"] == "Doing"
    assert wip["started"] == utc("2013-05-18T18:45:42.767")
    for as_of in (datetime(2013, 5, 19, 12, tzinfo=UTC), datetime(2013, 5, 21, tzinfo=UTC)):
        row = hermes_as_of(hermes, as_of).cycle_times.set_index("card_id").loc[card]
        assert row["done"] == utc("2013-05-19T10:27:34.657")  # archived in Done: still done
    # Before its createCard (2013-05-18T17:47:30.869) the card is nowhere.
    early = hermes_as_of(hermes, datetime(2013, 5, 18, 17, tzinfo=UTC))
    assert card not in {*early.wip["card_id"], *early.cycle_times["card_id"]}


def test_as_of_at_or_after_the_newest_action_is_the_board_now(scrum: Board) -> None:
    now = scrum_as_of(scrum, None)
    newest = scrum_as_of(scrum, default_as_of(scrum))
    for field in ("cycle_times", "weekly_throughput", "wip", "wip_over_time", "cfd"):
        pd.testing.assert_frame_equal(getattr(now, field), getattr(newest, field))
    pd.testing.assert_series_equal(now.daily_throughput, newest.daily_throughput)
    assert newest.done_count == 28


def test_before_the_first_action_there_is_nothing() -> None:
    board = generate_board(cards=30, actions=200, seed=3)
    oldest = min(action.date for action in board.actions)
    metrics = compute_flow_metrics(board, as_of=oldest.replace(year=oldest.year - 1))
    assert metrics.done_count == 0
    assert len(metrics.wip) == 0
    assert len(metrics.cfd) == 0
    assert len(metrics.daily_throughput) == 0
    assert metrics.data_quality.cards_in_ignored_lists == 0
    assert metrics.overdue_count(metrics.as_of) == 0
