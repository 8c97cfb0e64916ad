"""Invariants of the flow analytics on random boards and series (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.metrics.option_boards import LISTS, WORKFLOW, at
from tests.metrics.test_option_properties import boards, calendars
from trellolens.board import Board
from trellolens.metrics import (
    BlockedRule,
    MetricOptions,
    WorkCalendar,
    compute_flow_metrics,
    workflow_from_names,
)
from trellolens.metrics.backlog import BacklogCard, forecast_backlog
from trellolens.metrics.behaviour import xmr_chart
from trellolens.metrics.options import BehaviourCharts, FlowEfficiency

START = date(2024, 3, 1)


@settings(max_examples=60, deadline=None)
@given(
    boards(),
    st.lists(st.sampled_from(LISTS), unique=True, max_size=3),
    st.booleans(),
    st.one_of(st.none(), calendars),
    st.floats(1, 100),
)
def test_efficiency_is_between_zero_and_one(
    board: Board, waits: list[str], blocked: bool, calendar: WorkCalendar | None, as_of_day: float
) -> None:
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    options = MetricOptions(
        calendar=calendar,
        flow_efficiency=FlowEfficiency(wait_lists=tuple(waits)),
        blocked=BlockedRule(lists=("Blocked",)) if blocked else None,
    )
    result = compute_flow_metrics(board, workflow, at(as_of_day), options)
    efficiency = result.cycle_times["efficiency"].dropna().to_numpy()
    assert ((efficiency >= 0) & (efficiency <= 1 + 1e-9)).all()
    active = result.cycle_times["active_days"].to_numpy()
    assert (active >= -1e-9).all()
    assert (active <= result.cycle_times["days"].to_numpy() + 1e-9).all()
    found = result.flow_efficiency
    assert found is not None
    assert found.efficiency is None or 0 <= found.efficiency <= 1 + 1e-9
    shares = found.lists["share"].to_numpy()
    assert shares.sum() == 0 or abs(shares.sum() - 1) < 1e-9


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=1, max_size=40),
    st.integers(0, 10),
    st.integers(1, 30),
    st.integers(1, 300),
    st.integers(0, 2**16),
    st.booleans(),
)
def test_a_later_backlog_card_is_never_done_before_an_earlier_one(
    counts: list[int], wip: int, cards: int, trials: int, seed: int, working: bool
) -> None:
    daily = pd.Series(
        counts, index=[START - timedelta(days=len(counts) - 1 - n) for n in range(len(counts))]
    )
    backlog = tuple(BacklogCard(f"c{n}", f"c{n}", "To Do", "") for n in range(cards))
    calendar = WorkCalendar() if working else None
    found = forecast_backlog(
        daily, backlog, wip, start=START, trials=trials, seed=seed, calendar=calendar
    )
    for level in range(3):
        dates = [row[level] for row in found.dates]
        if all(day is None for day in dates):
            continue
        real = [day for day in dates if day is not None]
        assert real == sorted(real)
        assert all(day > START for day in real)
        # once a card is never done, no later card is done
        first_never = next((i for i, day in enumerate(dates) if day is None), len(dates))
        assert all(day is None for day in dates[first_never:])
    for row in found.dates:  # p50 <= p85 <= p95
        real = [day for day in row if day is not None]
        assert real == sorted(real)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=2, max_size=60),
    st.integers(0, 59),
    st.integers(0, 59),
)
def test_the_limits_contain_the_average(values: list[float], first: int, last: int) -> None:
    weeks = [date(2024, 1, 1) + timedelta(days=7 * n) for n in range(len(values))]
    rule = BehaviourCharts(baseline_from=weeks[min(first, last, len(values) - 1)],
                           baseline_to=weeks[min(max(first, last), len(values) - 1)])  # fmt: skip
    chart = xmr_chart("throughput", weeks, np.asarray(values), rule)
    if chart.average is None:
        return
    assert chart.lower is not None
    assert chart.upper is not None
    assert chart.lower <= chart.average + 1e-9
    assert chart.average <= chart.upper + 1e-9
    for signal in chart.signals:
        assert signal.week_start in weeks
        assert "\n" not in signal.reading
