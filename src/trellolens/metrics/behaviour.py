"""Process behaviour (XmR) charts of weekly throughput and cycle time, and their signals.

Points are weeks (ISO, Monday, UTC) from the first done week to the last complete week before the
as-of time. The average and the average moving range come from the baseline weeks only; natural
process limits are average +- 2.66 x average moving range (the lower one never below 0). Signals
are looked for over every week. The rules are written out in docs/metrics.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from trellolens.metrics.history import US_PER_DAY, IntArray
from trellolens.metrics.options import BehaviourCharts
from trellolens.metrics.series import FloatArray, _day, week_numbers

SCALE = 2.66
RUN = 8
BEYOND_LIMIT, RUN_OF_EIGHT, THREE_OF_FOUR = "beyond a limit", "8 in a row", "3 of 4"


@dataclass(frozen=True)
class Signal:
    week_start: date
    rule: str
    side: str  # "high" or "low"
    reading: str


@dataclass(frozen=True)
class XmRChart:
    """``points``: week_start, value, moving_range (NaN for the first point), baseline (bool)."""

    measure: str
    points: pd.DataFrame
    average: float | None
    average_moving_range: float | None
    upper: float | None
    lower: float | None
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class BehaviourResults:
    throughput: XmRChart
    cycle_time: XmRChart


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks(done_us: IntArray, as_of_us: int) -> tuple[int, int]:
    """First done week's Monday and the number of complete weeks from it (day numbers)."""
    if len(done_us) == 0:
        return 0, 0
    first = int(week_numbers(done_us).min())
    as_of_day = as_of_us // US_PER_DAY
    return first, max((as_of_day - first) // 7, 0)


def behaviour_charts(
    rule: BehaviourCharts, done_us: IntArray, cycle_days: FloatArray, as_of_us: int, unit: str
) -> BehaviourResults:
    """XmR charts of the done cards' weekly count and weekly mean cycle time."""
    first, count = _weeks(done_us, as_of_us)
    week = (week_numbers(done_us) - first) // 7 if len(done_us) else done_us
    inside = (week >= 0) & (week < count)
    counts = np.bincount(week[inside], minlength=count).astype(np.float64)[:count]
    sums = np.bincount(week[inside], cycle_days[inside], minlength=count)[:count]
    starts = np.asarray([_day(first + 7 * n) for n in range(count)], dtype=object)
    has_done = counts > 0
    means = np.divide(sums, counts, out=np.zeros(count), where=has_done)
    throughput = xmr_chart("throughput", starts, counts, rule)
    cycle = xmr_chart(f"cycle time ({unit} days)", starts[has_done], means[has_done], rule)
    return BehaviourResults(throughput, cycle)


def xmr_chart(measure: str, weeks: object, values: FloatArray, rule: BehaviourCharts) -> XmRChart:
    """Limits from the baseline weeks, signals over all of them."""
    starts = list(weeks)  # type: ignore[call-overload]
    baseline = np.asarray(
        [
            (rule.baseline_from is None or day >= rule.baseline_from)
            and (rule.baseline_to is None or day <= rule.baseline_to)
            for day in starts
        ],
        dtype=bool,
    )
    ranges = np.abs(np.diff(values))
    points = pd.DataFrame(
        {
            "week_start": pd.Series(starts, dtype=object),
            "value": values,
            "moving_range": np.r_[np.nan, ranges] if len(values) else values,
            "baseline": baseline,
        }
    )
    pairs = baseline[1:] & baseline[:-1] if len(values) else baseline
    if baseline.sum() < 2 or not pairs.any():
        return XmRChart(measure, points, None, None, None, None, ())
    average = float(values[baseline].mean())
    moving = float(ranges[pairs].mean())
    upper, lower = average + SCALE * moving, max(average - SCALE * moving, 0.0)
    signals = _signals(measure, starts, values, average, moving)
    return XmRChart(measure, points, average, moving, upper, lower, signals)


def _signals(
    measure: str, weeks: list[date], values: FloatArray, average: float, moving: float
) -> tuple[Signal, ...]:
    upper, lower = average + SCALE * moving, max(average - SCALE * moving, 0.0)
    half_up, half_down = average + SCALE / 2 * moving, average - SCALE / 2 * moving
    found: list[Signal] = []
    for i, value in enumerate(values):
        if value > upper or value < lower:
            side = "high" if value > upper else "low"
            found.append(_signal(measure, weeks[i], BEYOND_LIMIT, side))
    side_of = np.sign(values - average)
    run = 0
    for i in range(len(values)):
        run = (
            run + 1
            if i and side_of[i] != 0 and side_of[i] == side_of[i - 1]
            else int(side_of[i] != 0)
        )
        if run == RUN:
            found.append(
                _signal(measure, weeks[i], RUN_OF_EIGHT, "high" if side_of[i] > 0 else "low")
            )
    for side, beyond in (("high", values > half_up), ("low", values < half_down)):
        previous = False
        for i in range(3, len(values)):
            now = int(beyond[i - 3 : i + 1].sum()) >= 3
            if now and not previous:
                found.append(_signal(measure, weeks[i], THREE_OF_FOUR, side))
            previous = now
    return tuple(sorted(found, key=lambda s: (s.week_start, s.rule)))


def _signal(measure: str, week: date, rule: str, side: str) -> Signal:
    name = "throughput" if measure == "throughput" else "cycle time"
    label = iso_week(week)
    if rule == BEYOND_LIMIT:
        word = {"throughput": ("high", "low"), "cycle time": ("long", "short")}[name]
        reading = f"{name} in week {label} was unusually {word[0] if side == 'high' else word[1]}"
    elif rule == RUN_OF_EIGHT:
        where = "above" if side == "high" else "below"
        reading = f"{name} was {where} its average for 8 weeks in a row, up to week {label}"
    else:
        limit = "upper" if side == "high" else "lower"
        reading = f"{name} was near its {limit} limit in 3 of the 4 weeks up to week {label}"
    return Signal(week, rule, side, reading)


def throughput_histogram(daily: pd.Series, *, with_zero_days: bool = True) -> pd.DataFrame:
    """How many days had each daily throughput (``done``, ``days``), with or without zero days."""
    counts = daily.to_numpy(dtype=np.int64)
    if not with_zero_days:
        counts = counts[counts > 0]
    if len(counts) == 0:
        return pd.DataFrame(
            {"done": pd.Series([], dtype=np.int64), "days": pd.Series([], dtype=np.int64)}
        )
    tally = np.bincount(counts)
    values = np.arange(len(tally))
    keep = tally > 0
    return pd.DataFrame({"done": values[keep], "days": tally[keep].astype(np.int64)})
