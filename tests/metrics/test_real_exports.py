"""Hand-checked cards of the two real exports (times copied from the actions named in comments)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.metrics.fixture_workflows import HERMES_FLOW, SCRUM_FLOW
from trellolens.board import Board, load_board
from trellolens.metrics import (
    FlowMetrics,
    card_stage_times,
    compute_flow_metrics,
    default_as_of,
    workflow_from_names,
)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def days_between(start: str, end: str) -> float:
    return (utc(end) - utc(start)).total_seconds() / 86_400


@pytest.fixture
def scrum(scrum_export: Path) -> Board:
    return load_board(scrum_export)


@pytest.fixture
def hermes(hermes_export: Path) -> Board:
    return load_board(hermes_export)


@pytest.fixture
def scrum_metrics(scrum: Board) -> FlowMetrics:
    return compute_flow_metrics(scrum, workflow_from_names(scrum, SCRUM_FLOW))


@pytest.fixture
def hermes_metrics(hermes: Board) -> FlowMetrics:
    return compute_flow_metrics(hermes, workflow_from_names(hermes, HERMES_FLOW))


def cycle_row(metrics: FlowMetrics, card_id: str) -> pd.Series:
    rows = metrics.cycle_times[metrics.cycle_times["card_id"] == card_id]
    assert len(rows) == 1, f"{card_id} is not a done card"
    return rows.iloc[0]


def test_as_of_is_the_newest_action(scrum: Board, scrum_metrics: FlowMetrics) -> None:
    # The newest action of the 2018 export is dated 2018-03-31T12:38:14.542Z.
    assert default_as_of(scrum) == datetime(2018, 3, 31, 12, 38, 14, 542000, tzinfo=UTC)
    assert scrum_metrics.as_of == default_as_of(scrum)


def test_moved_back_from_done_keeps_first_doing_entry(scrum_metrics: FlowMetrics) -> None:
    # "(6) QuestionQ - Server": createCard ...f960 in Product Backlog; ...
    #   5a212af70132dfa9263c621b 2017-12-01T10:12:07.290 -> Doing
    #   5a3a962a173dfe65f09390cd 2017-12-20T16:56:10.008 -> Done
    #   5a4646aa245ac4412f2a84e4 2017-12-29T13:44:10.818 -> Doing (back: clears Review and Done,
    #                                                        keeps Doing's first entry)
    #   5a47a1f05bcfdfdead1d1356 2017-12-30T14:25:52.941 -> Review
    #   5a9552c7c442f2a1bb843812 2018-02-27T12:44:55.402 -> Done
    row = cycle_row(scrum_metrics, "5a212951ef0a6bab3778f95f")
    assert row["started"] == utc("2017-12-01T10:12:07.290")
    assert row["done"] == utc("2018-02-27T12:44:55.402")
    assert row["days"] == pytest.approx(
        days_between("2017-12-01T10:12:07.290", "2018-02-27T12:44:55.402")
    )
    assert row["days"] == pytest.approx(88.106112, abs=1e-6)


def test_moved_back_then_skipped_doing_starts_at_review(scrum_metrics: FlowMetrics) -> None:
    # "Zeitmessungsmethode":
    #   5a797281e8a989e818792ee9 2018-02-06T09:16:49.998 -> Doing
    #   5a7a2cd30bc346efdb021490 2018-02-06T22:31:47.787 -> Sprint Backlog (clears Doing)
    #   5a7ae2f746ae3828ae903b74 2018-02-07T11:28:55.221 -> Review (skips Doing)
    #   5a7c08667b17ed4d3419f591 2018-02-08T08:20:54.016 -> Done
    row = cycle_row(scrum_metrics, "5a5f08b44d0ceb6ce6f8814e")
    assert row["started"] == utc("2018-02-07T11:28:55.221")
    assert row["done"] == utc("2018-02-08T08:20:54.016")
    assert row["days"] == pytest.approx(0.869430, abs=1e-6)


def test_skipped_every_in_progress_list_has_cycle_time_zero(scrum_metrics: FlowMetrics) -> None:
    # "Bugfixes": createCard 5a7b4d750d964f1d87926e44 2018-02-07T19:03:17.462 in Product Backlog,
    #   5a7d819e80dc08f3b4bf6014 2018-02-09T11:10:22.080 -> Done (skips Sprint Backlog..Review).
    row = cycle_row(scrum_metrics, "5a7b4d750d964f1d87926e43")
    assert row["started"] == row["done"] == utc("2018-02-09T11:10:22.080")
    assert row["days"] == 0.0


def test_aging_wip_card_after_two_moves_back(scrum_metrics: FlowMetrics) -> None:
    # "(30)Game-Schnittstelle Server", now in Review. Doing entered three times, each cleared by a
    # move back to Sprint Backlog except the last:
    #   5a74104127c9943d879e5586 2018-02-02T07:16:17.533 -> Sprint Backlog
    #   5a7831e16e07f32800029707 2018-02-05T10:28:49.248 -> Sprint Backlog
    #   5a789284063825d04897e9fe 2018-02-05T17:21:08.956 -> Doing   (the kept start)
    #   5a7970f52e970123eb097062 2018-02-06T09:10:13.181 -> Review
    # As of the newest action, 2018-03-31T12:38:14.542.
    wip = scrum_metrics.wip.set_index("card_id")
    card = wip.loc["5a27ab04eced6b027f746c36"]
    assert card["list"] == "Review"
    assert card["started"] == utc("2018-02-05T17:21:08.956")
    assert card["age_days"] == pytest.approx(
        days_between("2018-02-05T17:21:08.956", "2018-03-31T12:38:14.542")
    )


def test_scrum_totals(scrum_metrics: FlowMetrics) -> None:
    assert len(scrum_metrics.cycle_times) == 28  # the cards in Done
    assert len(scrum_metrics.wip) == 12  # 2 in Doing + 10 in Review
    assert int(scrum_metrics.weekly_throughput["count"].sum()) == 28
    last = scrum_metrics.cfd.iloc[-1]
    assert last["Done"] == 28
    assert last["Review"] == 28 + 10
    assert scrum_metrics.data_quality.ignored_lists == ("Meetingroom", "Parents")
    assert scrum_metrics.data_quality.cards_without_creation_event == 0
    assert not scrum_metrics.data_quality.actions_may_be_truncated


def test_archived_in_done_after_moving_back(hermes_metrics: FlowMetrics) -> None:
    # "Recursive File/Folder Selection" (archived, in Done):
    #   5197beb2bac4ad501800cca7 2013-05-18T17:47:30.869 createCard in To Do
    #   5197cc56054264461800d22e 2013-05-18T18:45:42.767 -> Doing   (start, kept)
    #   5198272fdfe2408478008317 2013-05-19T01:13:19.979 -> Done
    #   519877a03e9f95b4480039dd 2013-05-19T06:56:32.006 -> Doing   (clears Done)
    #   5198a916921e7ff27000de1a 2013-05-19T10:27:34.657 -> Done    (done)
    #   519a54711b5b51fc56000b25 2013-05-20T16:50:57.677 archived
    row = cycle_row(hermes_metrics, "5197beb2bac4ad501800cca6")
    assert row["started"] == utc("2013-05-18T18:45:42.767")
    assert row["done"] == utc("2013-05-19T10:27:34.657")
    assert row["days"] == pytest.approx(0.654073, abs=1e-6)


def test_hermes_skip_from_to_do_to_done(hermes_metrics: FlowMetrics) -> None:
    # "Initialize user vaults": createCard 5197c71c4314956618007e6e 2013-05-18T18:23:24.289 in
    # To Do, then 5198ca540584f2f86500dbe7 2013-05-19T12:49:24.956 -> Done.
    row = cycle_row(hermes_metrics, "5197c71c4314956618007e6d")
    assert row["started"] == row["done"] == utc("2013-05-19T12:49:24.956")
    assert row["days"] == 0.0


def test_hermes_lists_outside_the_workflow(hermes: Board, hermes_metrics: FlowMetrics) -> None:
    quality = hermes_metrics.data_quality
    assert {"Bugs", "Milestones", "File APIs", "Resources"} <= set(quality.ignored_lists)
    outside = {lst.id for lst in hermes.lists if lst.name not in HERMES_FLOW}
    in_outside = {c.id for c in hermes.cards if c.list_id in outside}
    assert not in_outside & set(hermes_metrics.wip["card_id"])
    assert not in_outside & set(hermes_metrics.cycle_times["card_id"])


def test_card_stage_times_match_cycle_times(scrum: Board, scrum_metrics: FlowMetrics) -> None:
    frame = card_stage_times(scrum, scrum_metrics.workflow).set_index("card_id")
    card = "5a5f08b44d0ceb6ce6f8814e"  # Zeitmessungsmethode, see above
    assert frame["Doing"].isna()[card]  # cleared by the move back, never re-entered
    assert frame.at[card, "Review"] == utc("2018-02-07T11:28:55.221")
    # Re-entering Sprint Backlog keeps its first entry: 5a5f08dd98335bb0891698d5 2018-01-17T08:27:09.278
    assert frame.at[card, "Sprint Backlog"] == utc("2018-01-17T08:27:09.278")
    done = frame[frame["stage_index"] == 4]
    assert len(done) == 28
    merged = scrum_metrics.cycle_times.set_index("card_id")
    assert (done.loc[merged.index, "done"] == merged["done"]).all()
