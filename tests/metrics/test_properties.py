"""Properties on generated boards of random sizes and seeds."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from trellolens.board import Board
from trellolens.metrics import compute_flow_metrics, forecast_how_many, forecast_when
from trellolens.testing import generate_board


@st.composite
def boards(draw: st.DrawFn) -> Board:
    cards = draw(st.integers(0, 60))
    return generate_board(
        lists=draw(st.integers(2, 7)),
        cards=cards,
        actions=cards + draw(st.integers(0, 300)),
        months=draw(st.integers(1, 12)),
        seed=draw(st.integers(0, 2**32)),
        truncate_history_at=draw(st.none() | st.integers(0, 200)),
    )


@settings(max_examples=40, deadline=None)
@given(boards())
def test_flow_invariants(board: Board) -> None:
    metrics = compute_flow_metrics(board)
    done_count = len(metrics.cycle_times)
    # Cycle times are never negative.
    assert (metrics.cycle_times["days"] >= 0).all()
    # Weekly (and daily) throughput sum to the done count.
    assert int(metrics.weekly_throughput["count"].sum()) == done_count
    assert int(metrics.daily_throughput.sum()) == done_count
    # The CFD never decreases from a stage to the stage before it.
    counts = metrics.cfd[list(metrics.workflow.stage_names)].to_numpy()
    assert (counts[:, :-1] >= counts[:, 1:]).all()
    assert (counts >= 0).all()
    if len(counts):
        # On the as-of day the done band holds exactly the done cards; WIP matches too.
        assert counts[-1, -1] == done_count
        assert metrics.wip_over_time["wip"].iloc[-1] == len(metrics.wip)
    assert (metrics.wip["age_days"] >= 0).all()
    weeks = metrics.weekly_throughput["week_start"]
    assert all(week.weekday() == 0 for week in weeks)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(weeks))


@settings(max_examples=30, deadline=None)
@given(boards(), st.integers(0, 40), st.integers(1, 120), st.integers(0, 1000))
def test_forecasts_are_monotone(board: Board, remaining: int, horizon: int, seed: int) -> None:
    metrics = compute_flow_metrics(board)
    start = metrics.as_of.date()
    when = forecast_when(metrics.daily_throughput, remaining, start=start, trials=500, seed=seed)
    if when.p50 is not None:
        assert when.p85 is not None
        assert when.p95 is not None
        assert start <= when.p50 <= when.p85 <= when.p95
    many = forecast_how_many(
        metrics.daily_throughput,
        start + timedelta(days=horizon),
        start=start,
        trials=500,
        seed=seed,
    )
    assert many.p50 >= many.p85 >= many.p95 >= 0
