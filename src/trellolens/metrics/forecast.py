"""Monte Carlo forecasts from daily throughput: "when will K cards be done", "how many by date D".

Each trial draws future days' throughput, with replacement, from the last ``window_days`` days of
history up to ``start``; simulated days are start + 1, start + 2, ... (``start`` itself is history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

if TYPE_CHECKING:
    from trellolens.metrics.calendar import WorkCalendar

LEVELS = (50, 85, 95)
#: Trials still short of the goal after this many simulated days count as "never".
MAX_HORIZON_DAYS = 365 * 20
_BLOCK_DAYS = 128


@dataclass(frozen=True)
class WhenForecast:
    """The date by which the remaining cards are done in 50/85/95 % of trials (None: not foreseeable)."""

    p50: date | None
    p85: date | None
    p95: date | None
    trials: int
    window_days: int
    remaining: int = 0


@dataclass(frozen=True)
class HowManyForecast:
    """Cards done by ``until`` reached in at least 50/85/95 % of trials (so p50 >= p85 >= p95)."""

    p50: int
    p85: int
    p95: int
    trials: int
    window_days: int
    until: date | None = None


def _window(daily_throughput: pd.Series, start: date, window_days: int) -> npt.NDArray[np.int64]:
    """The last ``window_days`` days up to ``start``; days missing from the series count as zero."""
    if window_days < 1:
        raise ValueError(f"window_days must be at least 1, got {window_days}")
    if len(daily_throughput) == 0:
        return np.zeros(0, dtype=np.int64)
    # Days before the history's first day are unknown, not zero: they are left out.
    first = max(start - timedelta(days=window_days - 1), min(daily_throughput.index))
    days = [first + timedelta(days=offset) for offset in range((start - first).days + 1)]
    return daily_throughput.reindex(days, fill_value=0).to_numpy(dtype=np.int64)


def _working_window(
    daily_throughput: pd.Series, start: date, window_days: int, calendar: WorkCalendar
) -> npt.NDArray[np.int64]:
    """The last ``window_days`` working days up to ``start``; what was done on a non-working day
    counts on the next working day."""
    if window_days < 1:
        raise ValueError(f"window_days must be at least 1, got {window_days}")
    counts: list[int] = []
    carry = 0
    for day, count in zip(daily_throughput.index, daily_throughput.to_numpy(), strict=True):
        if day > start:
            break
        carry += int(count)
        if calendar.is_working_day(day):
            counts.append(carry)
            carry = 0
    return np.asarray(counts[-window_days:], dtype=np.int64)


def sample_window(
    daily_throughput: pd.Series, start: date, window_days: int, calendar: WorkCalendar | None
) -> npt.NDArray[np.int64]:
    """The days a forecast draws from: calendar days, or working days with a ``calendar``."""
    if calendar is None:
        return _window(daily_throughput, start, window_days)
    return _working_window(daily_throughput, start, window_days, calendar)


def forecast_sample(
    daily_throughput: pd.Series, start: date, window_days: int, calendar: WorkCalendar | None
) -> pd.DataFrame:
    """The sampled days as a table (``date``, ``count``): with a calendar, the working days, each
    holding what was done on it and on the non-working days just before it."""
    counts = sample_window(daily_throughput, start, window_days, calendar)
    if calendar is None:
        days = [start - timedelta(days=len(counts) - 1 - n) for n in range(len(counts))]
    else:
        index = [day for day in daily_throughput.index if day <= start]
        days = [day for day in index if calendar.is_working_day(day)][-len(counts) :]
        days = days if len(counts) else []
    return pd.DataFrame({"date": pd.Series(days, dtype=object), "count": counts})


def _after(start: date, days: int, calendar: WorkCalendar | None) -> date | None:
    """The ``days``-th (working) day after ``start``."""
    if calendar is None:
        return start + timedelta(days=days)
    found = calendar.working_days_after(start, days)
    return found[-1] if len(found) == days and days > 0 else (start if days == 0 else None)


def _check(trials: int) -> None:
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")


def _rank(trials: int, level: int) -> int:
    """0-based index of the smallest sorted value reached by at least ``level`` % of trials."""
    return -(-level * trials // 100) - 1


def forecast_when(
    daily_throughput: pd.Series,
    remaining: int,
    *,
    start: date,
    trials: int = 10_000,
    window_days: int = 56,
    seed: int | None = None,
    calendar: WorkCalendar | None = None,
) -> WhenForecast:
    """When ``remaining`` more cards will be done: the day by which 50/85/95 % of trials finished.

    With a ``calendar`` only its working days are simulated (and drawn from).
    """
    _check(trials)
    window = sample_window(daily_throughput, start, window_days, calendar)
    if remaining <= 0:
        return WhenForecast(start, start, start, trials, window_days, max(remaining, 0))
    if len(window) == 0 or not window.any():
        return WhenForecast(None, None, None, trials, window_days, remaining)
    rng = np.random.default_rng(seed)
    finished = np.full(trials, np.iinfo(np.int64).max, dtype=np.int64)
    total = np.zeros(trials, dtype=np.int64)
    pending = np.arange(trials)
    elapsed = 0
    while len(pending) and elapsed < MAX_HORIZON_DAYS:
        draws = rng.choice(window, size=(len(pending), _BLOCK_DAYS))
        running = total[pending, None] + draws.cumsum(axis=1)
        reached = running >= remaining
        done_now = reached.any(axis=1)
        finished[pending[done_now]] = elapsed + reached[done_now].argmax(axis=1) + 1
        total[pending] = running[:, -1]
        pending = pending[~done_now]
        elapsed += _BLOCK_DAYS
    days = np.sort(finished)
    answers = []
    for level in LEVELS:
        value = int(days[_rank(trials, level)])
        answers.append(None if value > MAX_HORIZON_DAYS else _after(start, value, calendar))
    return WhenForecast(answers[0], answers[1], answers[2], trials, window_days, remaining)


def forecast_how_many(
    daily_throughput: pd.Series,
    until: date,
    *,
    start: date,
    trials: int = 10_000,
    window_days: int = 56,
    seed: int | None = None,
    calendar: WorkCalendar | None = None,
) -> HowManyForecast:
    """How many cards will be done from start + 1 to ``until`` (inclusive), reached in 50/85/95 %.

    With a ``calendar`` only its working days are simulated (and drawn from).
    """
    _check(trials)
    if calendar is None:
        window = _window(daily_throughput, start, window_days)
        horizon = (until - start).days
    else:
        window = _working_window(daily_throughput, start, window_days, calendar)
        span = (until - start).days
        horizon = sum(
            calendar.is_working_day(start + timedelta(days=n)) for n in range(1, span + 1)
        )
    if horizon <= 0 or len(window) == 0 or not window.any():
        return HowManyForecast(0, 0, 0, trials, window_days, until)
    rng = np.random.default_rng(seed)
    # Drawing `horizon` days uniformly from the window = a multinomial count per window day.
    picks = rng.multinomial(horizon, np.full(len(window), 1 / len(window)), size=trials)
    totals = np.sort(picks @ window)
    # "Reached in at least p % of trials": the largest c with #(total >= c) >= p % of trials.
    answers = [int(totals[trials - 1 - _rank(trials, level)]) for level in LEVELS]
    return HowManyForecast(answers[0], answers[1], answers[2], trials, window_days, until)
