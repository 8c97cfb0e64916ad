"""Invariants of the metrics options on random hand-made boards (hypothesis)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.metrics.option_boards import KIND, LISTS, POINTS, WORKFLOW, BoardPlan, at, kind, points
from trellolens.board import Board
from trellolens.metrics import (
    BlockedRule,
    MetricOptions,
    WorkCalendar,
    WorkTypes,
    compute_flow_metrics,
    workflow_from_names,
)
from trellolens.testing import generate_board

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Pacific/Chatham", "Asia/Kolkata")


@st.composite
def boards(draw: st.DrawFn) -> Board:
    plan = BoardPlan(custom_fields=[POINTS, KIND])
    for number in range(draw(st.integers(0, 12))):
        born = draw(st.floats(0, 60))
        times = sorted(draw(st.lists(st.floats(born, 90), max_size=6)))
        moves = [(when, draw(st.sampled_from(LISTS))) for when in times]
        label_times = sorted(draw(st.lists(st.floats(born, 90), max_size=5)))
        label_events = [
            (when, draw(st.sampled_from(("add", "remove"))), draw(st.sampled_from(("Blocked", "Bug"))))
            for when in label_times
        ]  # fmt: skip
        fields = []
        if draw(st.booleans()):
            fields.append(points(draw(st.integers(0, 13))))
        if draw(st.booleans()):
            fields.append(kind(draw(st.sampled_from(("o-failure", "o-value")))))
        plan.card(
            f"Card {number}",
            born,
            *moves,
            labels=tuple(draw(st.lists(st.sampled_from(plan.labels), unique=True, max_size=3))),
            label_events=label_events,
            fields=fields,
        )
    return plan.build()


calendars = st.builds(
    WorkCalendar,
    weekdays_only=st.booleans(),
    holidays=st.frozensets(st.dates(date(2024, 1, 1), date(2024, 4, 30)), max_size=10),
    time_zone=st.sampled_from(ZONES),
)


@settings(max_examples=60, deadline=None)
@given(boards(), calendars, st.floats(1, 100))
def test_working_days_never_exceed_calendar_days(
    board: Board, calendar: WorkCalendar, as_of_day: float
) -> None:
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    plain = compute_flow_metrics(board, workflow, at(as_of_day))
    working = compute_flow_metrics(board, workflow, at(as_of_day), MetricOptions(calendar=calendar))
    assert working.cycle_times["card_id"].tolist() == plain.cycle_times["card_id"].tolist()
    business = working.cycle_times["days"].to_numpy()
    assert (business >= 0).all()
    assert (business <= plain.cycle_times["days"].to_numpy() + 1e-9).all()
    assert (working.wip["age_days"].to_numpy() <= plain.wip["age_days"].to_numpy() + 1e-9).all()
    # A calendar where every day works (in any time zone) changes nothing.
    every_day = WorkCalendar(weekdays_only=False, time_zone=calendar.time_zone)
    same = compute_flow_metrics(board, workflow, at(as_of_day), MetricOptions(calendar=every_day))
    assert same.cycle_times["days"].tolist() == pytest.approx(plain.cycle_times["days"].tolist())
    assert same.wip["age_days"].tolist() == pytest.approx(plain.wip["age_days"].tolist())


@settings(max_examples=60, deadline=None)
@given(boards(), st.none() | calendars, st.floats(1, 100), st.booleans())
def test_blocked_time_never_exceeds_cycle_time(
    board: Board, calendar: WorkCalendar | None, as_of_day: float, with_list: bool
) -> None:
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    rule = BlockedRule(lists=("Blocked",) if with_list else ())
    result = compute_flow_metrics(
        board, workflow, at(as_of_day), MetricOptions(calendar=calendar, blocked=rule)
    )
    cycle, wip = result.cycle_times, result.wip
    assert (cycle["blocked_days"] >= 0).all()
    assert (cycle["blocked_days"] <= cycle["days"] + 1e-9).all()
    share = cycle["blocked_share"].dropna()
    assert ((share >= 0) & (share <= 1 + 1e-9)).all()
    assert (wip["blocked_days"] <= wip["age_days"] + 1e-9).all()
    assert result.blocked is not None
    assert result.blocked.wip_blocked_now == int(wip["blocked"].sum())


@settings(max_examples=60, deadline=None)
@given(boards(), st.sampled_from([WorkTypes(), WorkTypes(labels=("Blocked", "bug")), WorkTypes(field="Work type")]))  # fmt: skip
def test_sums_by_type_equal_the_total(board: Board, types: WorkTypes) -> None:
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    result = compute_flow_metrics(
        board, workflow, at(100), MetricOptions(work_types=types, size_field="Story points")
    )
    split = result.work_types
    assert split is not None
    assert int(split.summary["done"].sum()) == len(result.cycle_times)
    assert int(split.summary["wip"].sum()) == len(result.wip)
    weekly = split.weekly_throughput
    assert weekly[list(split.names)].sum(axis=1).tolist() == result.weekly_throughput["count"].tolist()  # fmt: skip
    daily = np.sum([split.daily_throughput[name].to_numpy() for name in split.names], axis=0)
    assert daily.tolist() == result.daily_throughput.tolist() or len(result.daily_throughput) == 0
    size = result.size
    assert size is not None
    assert float(size.daily_throughput.sum()) == float(result.cycle_times["size"].sum())
    if len(size.cfd):
        assert size.cfd.iloc[-1]["Done"] == size.done_size


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32), st.integers(0, 80))
def test_generated_boards_split_by_label(seed: int, cards: int) -> None:
    board = generate_board(cards=cards, actions=cards + 200, seed=seed)
    result = compute_flow_metrics(board, options=MetricOptions(work_types=WorkTypes()))
    assert result.work_types is not None
    assert int(result.work_types.summary["done"].sum()) == result.done_count
    assert int(result.work_types.summary["wip"].sum()) == len(result.wip)
