"""Monte Carlo forecasts on hand-made throughput."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from trellolens.metrics import forecast_how_many, forecast_when

START = date(2024, 3, 31)


def daily(values: list[int], end: date = START) -> pd.Series:
    first = end - timedelta(days=len(values) - 1)
    index = [first + timedelta(days=i) for i in range(len(values))]
    return pd.Series(values, index=pd.Index(index, dtype=object), dtype="int64")


def test_constant_throughput_is_certain() -> None:
    series = daily([2] * 56)
    when = forecast_when(series, 10, start=START, seed=1)
    # 2 a day from April 1st: 10 cards done on April 5th in every trial.
    assert when.p50 == when.p85 == when.p95 == date(2024, 4, 5)
    many = forecast_how_many(series, date(2024, 4, 10), start=START, seed=1)
    assert (many.p50, many.p85, many.p95) == (20, 20, 20)


def test_seed_makes_it_reproducible_and_levels_are_ordered() -> None:
    series = daily([0, 1, 0, 3, 0, 0, 2] * 8)
    first = forecast_when(series, 25, start=START, seed=42)
    assert first == forecast_when(series, 25, start=START, seed=42)
    assert first.p50 is not None
    assert first.p95 is not None
    assert first.p50 <= first.p85 <= first.p95  # type: ignore[operator]
    many = forecast_how_many(series, START + timedelta(days=30), start=START, seed=42)
    assert many == forecast_how_many(series, START + timedelta(days=30), start=START, seed=42)
    assert many.p50 >= many.p85 >= many.p95
    # Mean 6/7 a day over 30 days is about 26: the median lands near it.
    assert 20 <= many.p50 <= 32


def test_window_is_the_last_days_before_start() -> None:
    # Busy long ago, nothing in the last 56 days: no forecast.
    series = daily([5] * 30 + [0] * 56)
    assert forecast_when(series, 3, start=START, seed=0).p50 is None
    assert forecast_how_many(series, START + timedelta(days=9), start=START).p95 == 0
    # A wider window sees the busy days.
    assert forecast_when(series, 3, start=START, window_days=100, seed=0).p95 is not None


def test_edge_cases() -> None:
    series = daily([1] * 10)
    assert forecast_when(series, 0, start=START).p95 == START
    assert forecast_how_many(series, START, start=START).p50 == 0
    empty = pd.Series([], index=pd.Index([], dtype=object), dtype="int64")
    assert forecast_when(empty, 5, start=START).p50 is None
    with pytest.raises(ValueError, match="trials"):
        forecast_when(series, 5, start=START, trials=0)
    with pytest.raises(ValueError, match="window_days"):
        forecast_how_many(series, START, start=START, window_days=0)
