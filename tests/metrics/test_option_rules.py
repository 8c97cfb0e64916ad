"""Each metrics option on a small hand-made board whose answers are worked out here."""

from __future__ import annotations

import functools
import operator
from datetime import date

import pandas as pd
import pytest

from tests.metrics.option_boards import KIND, NOTE, POINTS, WORKFLOW, BoardPlan, at, kind, points
from trellolens.board import Board
from trellolens.errors import MetricOptionError
from trellolens.metrics import (
    BlockedRule,
    FlowMetrics,
    MetricOptions,
    ServiceLevel,
    WorkCalendar,
    WorkTypes,
    compute_flow_metrics,
    forecast_by_type,
    forecast_how_many,
    forecast_when,
    workflow_from_names,
)

AS_OF = at(10)


def metrics(board: Board, **options: object) -> FlowMetrics:
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    return compute_flow_metrics(board, workflow, AS_OF, MetricOptions(**options))  # type: ignore[arg-type]


def by_name(frame: pd.DataFrame, column: str) -> dict[str, object]:
    return dict(zip(frame["name"], frame[column], strict=True))


# --- work types -------------------------------------------------------------------------------


def typed_board() -> Board:
    plan = BoardPlan(custom_fields=[KIND])
    plan.card("A", 0, (1, "Doing"), (3, "Done"), labels=("Bug",), fields=[kind("o-failure")])
    plan.card("B", 0, (2, "Doing"), (6, "Done"), labels=("Feature",), fields=[kind("o-value")])
    plan.card("C", 0, (1, "Doing"), (2, "Review"), (8, "Done"), labels=("Bug", "Feature"),
              fields=[kind("o-value")])  # fmt: skip
    plan.card("D", 0, (4, "Doing"), (5, "Done"))
    plan.card("E", 1, (5, "Doing"), labels=("Feature",), fields=[kind("o-failure")])
    plan.card("F", 2, labels=("Bug",))
    return plan.build()


def test_by_label_a_card_counts_under_its_first_label_in_board_order() -> None:
    result = metrics(typed_board(), work_types=WorkTypes())
    types = result.work_types
    assert types is not None
    assert types.names == ("Bug", "Feature", "Blocked", "(none)")
    assert by_name(result.cycle_times, "type") == {"A": "Bug", "B": "Feature", "C": "Bug", "D": "(none)"}  # fmt: skip
    summary = types.summary.set_index("type")
    assert summary["done"].to_dict() == {"Bug": 2, "Feature": 1, "Blocked": 0, "(none)": 1}
    assert summary["wip"].to_dict() == {"Bug": 0, "Feature": 1, "Blocked": 0, "(none)": 0}
    assert summary.loc["Bug", "p50"] == pytest.approx(4.5)  # cycle times 2 (A) and 7 (C)
    assert summary["p50"].isna()["Blocked"]  # no done card of that type
    weekly = types.weekly_throughput
    assert [str(w) for w in weekly["week_start"]] == ["2024-01-01", "2024-01-08"]
    assert weekly["Bug"].tolist() == [1, 1]  # A on day 3, C on day 8
    assert weekly["Feature"].tolist() == [1, 0]
    assert weekly["(none)"].tolist() == [1, 0]
    # Sums by type equal the total, week by week and day by day.
    assert weekly[list(types.names)].sum(axis=1).tolist() == result.weekly_throughput["count"].tolist()  # fmt: skip
    daily = functools.reduce(operator.add, (types.daily_throughput[name] for name in types.names))
    assert daily.tolist() == result.daily_throughput.tolist()


def test_chosen_labels_set_the_precedence_and_the_rest_is_none() -> None:
    result = metrics(typed_board(), work_types=WorkTypes(labels=("feature", "Bug")))
    assert result.work_types is not None
    assert result.work_types.names == ("feature", "Bug", "(none)")
    assert by_name(result.cycle_times, "type")["C"] == "feature"
    assert result.work_types.summary["done"].tolist() == [2, 1, 1]


def test_by_list_custom_field() -> None:
    result = metrics(typed_board(), work_types=WorkTypes(field="work type"))
    assert result.work_types is not None
    assert result.work_types.names == ("Failure demand", "Value demand", "(none)")
    assert result.work_types.summary["done"].tolist() == [1, 2, 1]
    assert result.wip["type"].tolist() == ["Failure demand"]


def test_forecast_by_type_counts_each_types_work_in_progress() -> None:
    result = metrics(typed_board(), work_types=WorkTypes())
    assert result.work_types is not None
    start = date(2024, 1, 11)
    found = forecast_by_type(result.work_types, result.wip["type"], start=start, seed=1)
    assert found["Bug"].remaining == 0
    assert found["Bug"].p85 == start
    assert found["Feature"].remaining == 1
    assert found["Feature"].p50 is not None
    assert found["Feature"].p50 > start


def test_forecast_by_type_draws_from_the_window_it_is_given() -> None:
    result = metrics(typed_board(), work_types=WorkTypes())
    assert result.work_types is not None
    start = date(2024, 1, 11)  # day 10; the only Feature card done, B, was done on day 6 (Jan 7)
    wide = forecast_by_type(
        result.work_types, result.wip["type"], start=start, window_days=5, seed=1
    )
    assert wide["Feature"].window_days == 5
    assert wide["Feature"].p50 is not None  # Jan 7 is among Jan 7-11
    narrow = forecast_by_type(
        result.work_types, result.wip["type"], start=start, window_days=4, seed=1
    )
    assert narrow["Feature"].window_days == 4
    assert narrow["Feature"].remaining == 1
    assert narrow["Feature"].p50 is None  # Jan 8-11: no Feature card done, nothing to draw from


def test_unknown_work_types_are_one_line_errors() -> None:
    with pytest.raises(MetricOptionError, match=r"^no label 'Chore' on board 'Hand-made'; its labels are: 'Blocked', 'Bug', 'Feature'$"):  # fmt: skip
        metrics(typed_board(), work_types=WorkTypes(labels=("Chore",)))
    with pytest.raises(MetricOptionError, match=r"^no custom field 'Kind' .*; its list fields are: 'Work type'$"):  # fmt: skip
        metrics(typed_board(), work_types=WorkTypes(field="Kind"))
    with pytest.raises(MetricOptionError, match="not both"):
        WorkTypes(field="Work type", labels=("Bug",))


# --- blocked time -----------------------------------------------------------------------------


def blocked_board() -> Board:
    plan = BoardPlan()
    # X: cycle 1 -> 8 = 7 days; label 2 -> 4 (2 days) + Blocked list 5 -> 6 (1 day) = 3 days.
    plan.card("X", 0, (1, "Doing"), (5, "Blocked"), (6, "Doing"), (8, "Done"),
              label_events=[(2, "add", "Blocked"), (4, "remove", "Blocked")])  # fmt: skip
    # Y: cycle 1 -> 9 = 8 days; label 2 -> 5 and list 4 -> 6 overlap: 2 -> 6 = 4 days.
    plan.card("Y", 0, (1, "Doing"), (4, "Blocked"), (6, "Doing"), (9, "Done"),
              label_events=[(2, "add", "Blocked"), (5, "remove", "Blocked")])  # fmt: skip
    # Z: in progress since 1; label 0.5 -> 3 counts from 1 (2 days), again from 7 (3 days to as-of).
    plan.card("Z", 0, (1, "Doing"), labels=("Blocked",), label_events=[
        (0.5, "add", "Blocked"), (3, "remove", "Blocked"), (7, "add", "Blocked")])  # fmt: skip
    # W: carries the label with no action adding it: blocked since creation, counted from 2.
    plan.card("W", 0, (2, "Doing"), labels=("Blocked",))
    # V: another label is not blocked.
    plan.card("V", 0, (1, "Doing"), (3, "Done"), label_events=[(2, "add", "Bug")])
    return plan.build()


def test_blocked_by_label_or_list_counts_overlaps_once() -> None:
    result = metrics(blocked_board(), blocked=BlockedRule(labels=("blocked",), lists=("BLOCKED",)))
    cycle, wip = result.cycle_times, result.wip
    assert by_name(cycle, "days") == {"V": 2.0, "X": 7.0, "Y": 8.0}
    assert by_name(cycle, "blocked_days") == {"V": 0.0, "X": 3.0, "Y": 4.0}
    assert by_name(cycle, "blocked_share") == pytest.approx({"V": 0.0, "X": 3 / 7, "Y": 0.5})
    assert by_name(wip, "blocked_days") == {"Z": 5.0, "W": 8.0}
    assert by_name(wip, "blocked") == {"Z": True, "W": True}
    summary = result.blocked
    assert summary is not None
    assert summary.done_blocked_days == 7.0
    assert summary.done_blocked_share == pytest.approx(7 / 17)
    assert summary.wip_blocked_now == 2
    assert summary.cards_with_unrecorded_label == 1  # W


def test_default_rule_is_a_label_named_blocked_in_any_case() -> None:
    result = metrics(blocked_board(), blocked=BlockedRule())
    # Without the list, X and Y are blocked by the label only.
    assert by_name(result.cycle_times, "blocked_days") == {"V": 0.0, "X": 2.0, "Y": 3.0}


def test_blocked_time_of_a_rewound_board() -> None:
    board = blocked_board()
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    result = compute_flow_metrics(board, workflow, at(4.5), MetricOptions(blocked=BlockedRule()))
    # At day 4.5, X is in progress (age 3.5) and was blocked 2 -> 4; Z from 1 to 3.
    assert by_name(result.wip, "age_days")["X"] == 3.5
    assert by_name(result.wip, "blocked_days")["X"] == 2.0
    assert by_name(result.wip, "blocked")["X"] == False  # noqa: E712
    assert by_name(result.wip, "blocked_days")["Z"] == 2.0


def test_unknown_blocked_names_are_one_line_errors() -> None:
    with pytest.raises(MetricOptionError, match=r"^no label 'On hold' on board 'Hand-made'"):
        metrics(blocked_board(), blocked=BlockedRule(labels=("On hold",)))
    with pytest.raises(Exception, match=r"^no list 'Waiting' on board 'Hand-made'; its lists are"):
        metrics(blocked_board(), blocked=BlockedRule(labels=(), lists=("Waiting",)))
    with pytest.raises(MetricOptionError, match="needs a label or a list"):
        BlockedRule(labels=(), lists=())


# --- business days ----------------------------------------------------------------------------


def calendar_board() -> Board:
    plan = BoardPlan()
    # P: started Friday 10:00, done Monday 10:00 (UTC): 3 calendar days, 1 working day.
    plan.card("P", 0, (4 + 10 / 24, "Doing"), (7 + 10 / 24, "Done"))
    # N: started Saturday 03:00 UTC (Friday 22:00 in New York), done Monday 11:00 UTC (06:00 there).
    plan.card("N", 0, (5 + 3 / 24, "Doing"), (7 + 11 / 24, "Done"))
    # Q: in progress since Thursday 12:00; as-of Monday 12:00: 4 calendar days, 2 working days.
    plan.card("Q", 0, (3.5, "Doing"))
    return plan.build()


def calendar_metrics(calendar: WorkCalendar | None) -> FlowMetrics:
    board = calendar_board()
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    return compute_flow_metrics(board, workflow, at(7.5), MetricOptions(calendar=calendar))


def test_business_days_skip_weekends_holidays_in_the_time_zone() -> None:
    plain = calendar_metrics(None)
    assert by_name(plain.cycle_times, "days") == pytest.approx({"P": 3.0, "N": 2 + 8 / 24})
    assert by_name(plain.wip, "age_days") == pytest.approx({"Q": 4.0})
    weekdays = calendar_metrics(WorkCalendar())
    # P: Friday 10:00 -> 24:00 (14 h) + Monday 0:00 -> 10:00 (10 h) = 1 day; N: Monday 0-11 h.
    assert by_name(weekdays.cycle_times, "days") == pytest.approx({"P": 1.0, "N": 11 / 24})
    assert by_name(weekdays.wip, "age_days") == pytest.approx({"Q": 2.0})
    assert weekdays.cycle_time_percentiles[50] == pytest.approx((1.0 + 11 / 24) / 2)
    holiday = calendar_metrics(WorkCalendar(holidays=frozenset({date(2024, 1, 8)})))
    assert by_name(holiday.cycle_times, "days") == pytest.approx({"P": 14 / 24, "N": 0.0})
    new_york = calendar_metrics(WorkCalendar(time_zone="America/New_York"))
    # N in New York: Friday 22:00 -> 24:00 (2 h) + Monday 0:00 -> 06:00 (6 h) = 8 h.
    assert by_name(new_york.cycle_times, "days")["N"] == pytest.approx(8 / 24)
    all_days = calendar_metrics(
        WorkCalendar(weekdays_only=False, holidays=frozenset({date(2024, 1, 6)}))
    )
    assert by_name(all_days.cycle_times, "days")["P"] == pytest.approx(2.0)  # minus Saturday


def test_unknown_time_zone_is_a_one_line_error() -> None:
    with pytest.raises(MetricOptionError, match=r"^unknown time zone 'Mars/Base'; use an IANA"):
        WorkCalendar(time_zone="Mars/Base")


def test_forecasts_in_working_days() -> None:
    # One card a day, Monday 1 to Friday 5 January.
    daily = pd.Series([1] * 5, index=[date(2024, 1, d) for d in range(1, 6)], dtype="int64")
    start = date(2024, 1, 5)
    plain = forecast_when(daily, 3, start=start, trials=100, seed=1)
    assert plain.p95 == date(2024, 1, 8)  # Sat, Sun, Mon
    working = forecast_when(daily, 3, start=start, trials=100, seed=1, calendar=WorkCalendar())
    assert (working.p50, working.p95) == (date(2024, 1, 10), date(2024, 1, 10))  # Mon, Tue, Wed
    until = date(2024, 1, 12)
    assert forecast_how_many(daily, until, start=start, trials=100, seed=1).p95 == 7
    counted = forecast_how_many(daily, until, start=start, trials=100, seed=1, calendar=WorkCalendar())  # fmt: skip
    assert counted.p95 == 5
    # Saturday's 2 and Sunday's 3 count on Monday: the one-day window is [5].
    weekend = pd.Series([1, 1, 1, 1, 1, 2, 3, 0], index=[date(2024, 1, d) for d in range(1, 9)])
    one_day = forecast_how_many(weekend, date(2024, 1, 9), start=date(2024, 1, 8), trials=50,
                                window_days=1, seed=1, calendar=WorkCalendar())  # fmt: skip
    assert (one_day.p50, one_day.p95) == (5, 5)


# --- size -------------------------------------------------------------------------------------


def sized_board() -> Board:
    plan = BoardPlan(custom_fields=[POINTS, NOTE])
    plan.card("A", 0, (1, "Doing"), (3, "Done"), fields=[points(3)])
    plan.card("B", 0, (1, "Doing"), (8, "Done"), fields=[points(5)])
    plan.card("C", 0, (1, "Doing"), (5, "Done"))  # no size: weighs 0
    plan.card("D", 0, (4, "Doing"), fields=[points(2)])
    plan.card("E", 0, fields=[points(8)])
    return plan.build()


def test_throughput_and_cumulative_flow_in_story_points() -> None:
    result = metrics(sized_board(), size_field="story points")
    size = result.size
    assert size is not None
    assert size.field == "Story points"
    assert size.weekly_throughput["count"].tolist() == [3.0, 5.0]
    assert float(size.daily_throughput.sum()) == 8.0
    last = size.cfd.iloc[-1]
    assert (str(last["date"]), last["To Do"], last["Doing"], last["Review"], last["Done"]) == (
        "2024-01-11",
        18.0,
        10.0,
        8.0,
        8.0,
    )
    assert (size.done_size, size.wip_size, size.cards_without_size) == (8.0, 2.0, 1)
    assert by_name(result.cycle_times, "size") == {"A": 3.0, "C": 0.0, "B": 5.0}
    # In cards, nothing changes.
    assert result.weekly_throughput["count"].tolist() == [2, 1]


def test_size_field_must_be_a_number_field() -> None:
    with pytest.raises(MetricOptionError, match=r"^custom field 'Note' is a text field; size needs a number field: 'Story points'$"):  # fmt: skip
        metrics(sized_board(), size_field="Note")
    with pytest.raises(MetricOptionError, match=r"^no custom field 'Points' on board"):
        metrics(sized_board(), size_field="Points")


# --- service level expectation ----------------------------------------------------------------


def sle_board() -> Board:
    plan = BoardPlan()
    for day in range(1, 6):  # cycle times 1, 2, 3, 4, 5: p85 = 4 + 0.4 * (5 - 4) = 4.4
        plan.card(f"D{day}", 0, (0.001, "Doing"), (0.001 + day, "Done"))
    plan.card("K", 0, (0, "Doing"))  # age 10
    plan.card("L", 0, (6.5, "Review"))  # age 3.5
    plan.card("M", 0, (9, "Doing"))  # age 1
    return plan.build()


def test_service_level_from_the_85th_percentile() -> None:
    result = metrics(sle_board(), service_level=ServiceLevel())
    sle = result.service_level
    assert sle is not None
    assert sle.days == pytest.approx(4.4)
    assert sle.source == "p85"
    cards = sle.cards
    assert cards["name"].tolist() == ["K", "L"]  # oldest first; M (age 1) is not near
    assert cards["status"].tolist() == ["past", "soon"]
    assert cards["days_left"].tolist() == pytest.approx([-5.6, 0.9])
    assert cards["url"].tolist() == ["https://trello.com/c/card0006", "https://trello.com/c/card0007"]  # fmt: skip
    assert cards["list"].tolist() == ["Doing", "Review"]


def test_service_level_set_by_the_owner() -> None:
    result = metrics(sle_board(), service_level=ServiceLevel(days=12))
    assert result.service_level is not None
    assert result.service_level.source == "set"
    assert result.service_level.cards["status"].tolist() == ["soon"]  # K: 10 >= 12 - 2


def test_no_derived_service_level_without_done_cards() -> None:
    plan = BoardPlan()
    plan.card("K", 0, (1, "Doing"))
    assert metrics(plan.build(), service_level=ServiceLevel()).service_level is None
    with pytest.raises(MetricOptionError, match="positive number of days"):
        ServiceLevel(days=0)
