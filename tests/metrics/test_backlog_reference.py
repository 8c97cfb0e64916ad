"""The backlog forecast against a plain reference: every trial's day for every card, sorted.

``forecast_backlog`` never builds the trials x cards matrix (it counts, per simulated day, how many
trials reached each card). The reference below does build it, from the same random draws (the same
generator calls, blocks of trials and doubled spans), so any difference in a date or in the
arrivals is a difference in the counting, not in the luck of the draw.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellolens.metrics import WorkCalendar
from trellolens.metrics.backlog import (
    _NEVER,
    _TRIAL_BLOCK,
    BacklogCard,
    _to_dates,
    forecast_backlog,
)
from trellolens.metrics.forecast import LEVELS, MAX_HORIZON_DAYS, _rank, sample_window

START = date(2024, 3, 1)
Dates = tuple[tuple[date | None, date | None, date | None], ...]


def reference_days(
    throughput: npt.NDArray[np.int64], wip: int, count: int, trials: int, seed: int
) -> tuple[npt.NDArray[np.int64], list[npt.NDArray[np.int64]]]:
    """(trials, count) day on which each trial finished each card (_NEVER: not in its span), and
    each block's draws (window day indices), drawn as ``forecast_backlog`` draws them."""
    rng = np.random.default_rng(seed)
    horizon = int(min(MAX_HORIZON_DAYS, np.ceil((wip + count) / throughput.mean() * 1.5) + 30))
    rows_of_days = []
    all_picks = []
    for first in range(0, trials, _TRIAL_BLOCK):
        rows, span = min(_TRIAL_BLOCK, trials - first), horizon
        while True:
            picks = rng.integers(0, len(throughput), size=(rows, span))
            done = throughput[picks].cumsum(axis=1)
            if (done[:, -1] >= wip + count).all() or span >= MAX_HORIZON_DAYS:
                break
            span = min(span * 2, MAX_HORIZON_DAYS)
        for row in done:  # card wip + k is done on the first day with at least wip + k done
            day = np.searchsorted(row, wip + np.arange(1, count + 1), side="left") + 1
            rows_of_days.append(np.where(day > span, _NEVER, day))
        all_picks.append(picks)
    return np.asarray(rows_of_days, dtype=np.int64), all_picks


def reference_forecast(
    daily: pd.Series,
    wip: int,
    count: int,
    trials: int,
    seed: int,
    calendar: WorkCalendar | None,
    arrivals: pd.Series | None,
) -> tuple[Dates, tuple[float, float, float] | None]:
    throughput = sample_window(daily, START, 56, calendar)
    days, all_picks = reference_days(throughput, wip, count, trials, seed)
    ordered = np.sort(days, axis=0)
    ranked = np.stack([ordered[_rank(trials, level)] for level in LEVELS], axis=1)
    found = None
    if arrivals is not None:
        growth = sample_window(arrivals, START, 56, calendar)
        added: list[int] = []
        for picks in all_picks:
            span = picks.shape[1]
            for row in picks:
                last = min(int(days[len(added)][-1]), span)  # day of the last card, else the span's
                added.append(int(growth[row].cumsum()[last - 1]))
        p50, p85, p95 = (float(v) for v in np.percentile(added, LEVELS))
        found = (p50, p85, p95)
    return _to_dates(ranked.astype(np.int16), START, calendar), found


def series(counts: list[int]) -> pd.Series:
    days = [START - timedelta(days=len(counts) - 1 - n) for n in range(len(counts))]
    return pd.Series(counts, index=days)


def check(
    counts: list[int],
    wip: int,
    count: int,
    trials: int,
    seed: int,
    working: bool = False,
    arrival_counts: list[int] | None = None,
) -> None:
    daily = series(counts)
    calendar = WorkCalendar() if working else None
    arrivals = series(arrival_counts) if arrival_counts is not None else None
    cards = tuple(BacklogCard(f"c{n}", f"c{n}", "To Do", "") for n in range(count))
    found = forecast_backlog(
        daily, cards, wip, start=START, trials=trials, seed=seed, calendar=calendar,
        arrivals=arrivals,
    )  # fmt: skip
    expected = reference_forecast(daily, wip, count, trials, seed, calendar, arrivals)
    assert (found.dates, found.arrivals) == expected


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 12), min_size=1, max_size=60).filter(any),
    st.integers(0, 60),
    st.integers(1, 120),
    st.sampled_from([1, 3, 100, _TRIAL_BLOCK - 1, _TRIAL_BLOCK + 1]),
    st.integers(0, 2**32 - 1),
    st.booleans(),
    st.booleans(),
)
def test_the_same_dates_and_arrivals_as_the_reference(
    counts: list[int],
    wip: int,
    count: int,
    trials: int,
    seed: int,
    working: bool,
    growth: bool,
) -> None:
    arrival_counts = [(n * 7 + seed) % 4 for n in range(len(counts))] if growth else None
    check(counts, wip, count, trials, seed, working, arrival_counts)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("count", [60, 125])
def test_a_sparse_window_doubles_the_span_and_some_trials_never_finish(
    seed: int, count: int
) -> None:
    # one card in 56 days: spans double up to 20 years (about 130 cards), where some trials of
    # the longer backlog never finish its last cards
    counts = [0] * 55 + [1]
    check(counts, 2, count, 300, seed, arrival_counts=[1] * 56)
    if count == 125:
        found = forecast_backlog(series(counts), CARDS_125, 2, start=START, trials=300, seed=seed)
        assert found.dates[-1][2] is None
        assert found.dates[0][2] is not None


CARDS_125 = tuple(BacklogCard(f"c{n}", f"c{n}", "To Do", "") for n in range(125))


@pytest.mark.parametrize(
    ("counts", "count", "seed"),
    [([0] * 50 + [6] * 6, 1, 0), ([0] * 50 + [6] * 6, 1, 2), ([0] * 40 + [2] * 16, 40, 2)],
)
def test_blocks_of_different_spans_are_counted_together(
    counts: list[int], count: int, seed: int
) -> None:
    # Trials are drawn in blocks of _TRIAL_BLOCK; a block doubles its span until all its trials
    # finish: here some blocks double and others not, and every trial still counts on every day.
    trials = 3 * _TRIAL_BLOCK + 7
    _, all_picks = reference_days(np.asarray(counts), 0, count, trials, seed)
    assert len({picks.shape[1] for picks in all_picks}) > 1
    check(counts, 0, count, trials, seed, arrival_counts=[2] * 56)
