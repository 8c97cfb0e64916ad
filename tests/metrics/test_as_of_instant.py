"""The as-of time is an instant: actions at it count, so the board is as it stood just after them.

Each as-of-sensitive metric is checked exactly at an action's time, and a microsecond before it.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from tests.helpers.paths import REPO_ROOT
from tests.metrics.option_boards import WORKFLOW, BoardPlan, at
from trellolens.board import Board
from trellolens.cli.main import cli
from trellolens.errors import MetricOptionError
from trellolens.metrics import (
    BlockedRule,
    FlowMetrics,
    MetricOptions,
    WorkTypes,
    compute_flow_metrics,
    metrics_to_json,
    workflow_from_names,
)

JUST_BEFORE = timedelta(microseconds=1)
SCRUM = REPO_ROOT / "tests" / "fixtures" / "trello-exports" / "scrum-board-2018.json"


def board() -> Board:
    """A: Doing day 1, Blocked label day 3 to 5, Done day 8. B: Doing day 2, in Review (the blocked
    list here) day 4 to 6, back to Doing, still in progress at day 20 (a later card C keeps the export going)."""
    plan = BoardPlan()
    plan.card("A", 0, (1, "Doing"), (8, "Done"),
              label_events=[(3, "add", "Blocked"), (5, "remove", "Blocked")])  # fmt: skip
    plan.card("B", 0, (2, "Doing"), (4, "Review"), (6, "Doing"))
    plan.card("C", 20)
    return plan.build()


def metrics(moment: float, shift: timedelta = timedelta(0), **options: object) -> FlowMetrics:
    built = board()
    workflow = workflow_from_names(built, list(WORKFLOW), "Doing")
    rule = MetricOptions(blocked=BlockedRule(labels=("Blocked",), lists=("Review",)), **options)  # type: ignore[arg-type]
    return compute_flow_metrics(built, workflow, at(moment) + shift, rule)


def blocked_now(result: FlowMetrics) -> dict[str, bool]:
    return dict(zip(result.wip["name"], result.wip["blocked"], strict=True))


@pytest.mark.parametrize(
    ("moment", "shift", "a_blocked", "b_blocked"),
    [
        (3, -JUST_BEFORE, False, False),  # just before the label is added
        (3, timedelta(0), True, False),  # exactly at the add: blocked
        (4, timedelta(0), True, True),  # exactly at the move into the blocked list: blocked
        (5, -JUST_BEFORE, True, True),
        (5, timedelta(0), False, True),  # exactly at the removal: no longer blocked
        (6, timedelta(0), False, False),  # exactly at the move out: no longer blocked
    ],
)
def test_blocked_at_the_as_of_instant(
    moment: float, shift: timedelta, a_blocked: bool, b_blocked: bool
) -> None:
    result = metrics(moment, shift)
    assert blocked_now(result) == {"A": a_blocked, "B": b_blocked}
    assert result.blocked is not None
    assert result.blocked.wip_blocked_now == a_blocked + b_blocked


def test_blocked_days_up_to_the_instant() -> None:
    result = metrics(5)
    days = dict(zip(result.wip["name"], result.wip["blocked_days"], strict=True))
    assert days == {"A": pytest.approx(2.0), "B": pytest.approx(1.0)}


def test_done_at_the_instant_counts_as_done_and_as_throughput() -> None:
    before, exactly = metrics(8, -JUST_BEFORE), metrics(8)
    assert before.done_count == 0
    assert list(before.wip["name"]) == ["A", "B"]
    assert exactly.done_count == 1
    assert list(exactly.wip["name"]) == ["B"]
    assert exactly.cycle_times["days"].tolist() == [pytest.approx(7.0)]
    assert exactly.throughput_in_last(1) == 1
    assert int(exactly.daily_throughput.iloc[-1]) == 1
    assert int(before.cfd["Done"].iloc[-1]) == 0
    assert int(exactly.cfd["Done"].iloc[-1]) == 1
    review = exactly.time_in_list.set_index("list").loc["Review", "cards"]
    assert review == 1  # B's visit to Review (days 4 to 6)


def test_started_at_the_instant_is_in_progress_with_age_zero() -> None:
    before, exactly = metrics(2, -JUST_BEFORE), metrics(2)
    assert list(before.wip["name"]) == ["A"]
    ages = dict(zip(exactly.wip["name"], exactly.wip["age_days"], strict=True))
    assert ages == {"A": pytest.approx(1.0), "B": 0.0}
    assert int(exactly.wip_over_time["wip"].iloc[-1]) == 2


def test_unblocked_at_last_activity_is_over_at_that_instant() -> None:
    """A card that carried the label per its actions but no longer does: unblocked at its last
    activity (day 7 here, a move), so at exactly day 7 it is not blocked."""
    plan = BoardPlan()
    plan.card("A", 0, (1, "Doing"), (7, "Review"), label_events=[(3, "add", "Blocked")])
    plan.card("C", 20)
    built = plan.build()
    workflow = workflow_from_names(built, list(WORKFLOW), "Doing")
    options = MetricOptions(blocked=BlockedRule())
    at_activity = compute_flow_metrics(built, workflow, at(7), options)
    before = compute_flow_metrics(built, workflow, at(7) - JUST_BEFORE, options)
    assert blocked_now(before) == {"A": True}
    assert blocked_now(at_activity) == {"A": False}


def test_scrum_export_card_entering_review_at_the_as_of_instant_is_blocked() -> None:
    """The issue's repro: 5a743810... moves into Review at 08:01:49.941Z."""
    runner = CliRunner()
    args = ["metrics", str(SCRUM), "--json", "--workflow",
            "Product Backlog,Sprint Backlog,Doing,Review,Done", "--start-list", "Doing",
            "--blocked-list", "Review", "--as-of"]  # fmt: skip
    for moment in ("2018-03-09T08:01:49.941Z", "2018-03-09T08:01:49.942Z"):
        result = runner.invoke(cli, [*args, moment])
        assert result.exit_code == 0, result.output
        cards = {card["id"]: card for card in json.loads(result.output)["wip"]["cards"]}
        assert cards["5a74381077a7d340a4ed7626"]["list"] == "Review"
        assert cards["5a74381077a7d340a4ed7626"]["blocked"] is True


# --- a deleted blocked label ----------------------------------------------------------------


def deleted_label_board() -> Board:
    """The Blocked label was used on A (day 3 to 5) and later deleted from the board."""
    plan = BoardPlan()
    plan.card("A", 0, (1, "Doing"), (8, "Done"),
              label_events=[(3, "add", "Blocked"), (5, "remove", "Blocked")])  # fmt: skip
    plan.card("B", 0, (2, "Doing"))
    export = plan.export()
    export["labels"] = [label for label in export["labels"] if label["name"] != "Blocked"]
    from trellolens.board import parse_board

    return parse_board(export, "deleted-label.json")


def test_a_deleted_blocked_label_is_matched_by_name_in_the_history() -> None:
    built = deleted_label_board()
    workflow = workflow_from_names(built, list(WORKFLOW), "Doing")
    for wanted in ("blocked", "label-blocked"):  # by name (any case) or by the deleted id
        result = compute_flow_metrics(
            built, workflow, at(10), MetricOptions(blocked=BlockedRule(labels=(wanted,)))
        )
        assert result.cycle_times["blocked_days"].tolist() == [pytest.approx(2.0)]


def test_a_label_no_action_ever_carried_is_one_line() -> None:
    built = deleted_label_board()
    workflow = workflow_from_names(built, list(WORKFLOW), "Doing")
    with pytest.raises(MetricOptionError) as caught:
        compute_flow_metrics(built, workflow, at(10), MetricOptions(blocked=BlockedRule(labels=("On hold",))))  # fmt: skip
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        "no label 'On hold' on board 'Hand-made' and no action in its history ever carried one; "
        "its labels are: 'Bug', 'Feature'"
    )


def test_work_type_counts_are_integers_in_json() -> None:
    built = board()
    workflow = workflow_from_names(built, list(WORKFLOW), "Doing")
    found = metrics_to_json(
        compute_flow_metrics(built, workflow, at(10), MetricOptions(work_types=WorkTypes()))
    )
    for row in found["work_types"]["types"]:
        assert type(row["done"]) is int
        assert type(row["wip"]) is int
    for week in found["work_types"]["weekly"]:
        assert all(type(week[name]) is int for name in week if name != "week_start")
    assert '"done": 1,' in json.dumps(found["work_types"]["types"])
