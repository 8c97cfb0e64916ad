"""The Monte Carlo forecasts behind the data layer: computed once per input, not on every rerun.

Part of the caching boundary beside ``ui/data/cache.py``. Answers are memoised in the visitor's session
(the last ``FORECAST_ENTRIES`` inputs), keyed by everything they depend on: the board's cache key,
the workflow, the as-of time, the options, the trials, the window and the seed. Without a fixed
seed (``seed=None``) every call draws afresh, as the page promises, so nothing is memoised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from trellolens.metrics import (
    FlowMetrics,
    HowManyForecast,
    WhenForecast,
    compute_flow_metrics,
    forecast_by_type,
    forecast_how_many,
    forecast_when,
)
from trellolens.metrics.backlog import BacklogForecast
from trellolens.metrics.options import BacklogForecastOptions
from trellolens.ui.data.cache import options_key

if TYPE_CHECKING:
    from trellolens.ui.data.board_choice import BoardChoice

SESSION_FORECASTS_KEY = "forecast_data.answers"
"""Session-state key of ``{key: answer}``, newest last."""
FORECAST_ENTRIES = 12

T = TypeVar("T")


def metrics_key(choice: BoardChoice, metrics: FlowMetrics) -> tuple[object, ...]:
    """What a board's metrics depend on: the board, workflow, as-of time and options."""
    workflow = metrics.workflow
    return (
        choice.cache_key,
        tuple(stage.id for stage in workflow.stages),
        workflow.start_list.id,
        metrics.as_of,
        options_key(metrics.options),
    )


def _memoised(key: tuple[object, ...], seed: int | None, compute: Callable[[], T]) -> T:
    if seed is None:
        return compute()
    memo = st.session_state.get(SESSION_FORECASTS_KEY)
    if not isinstance(memo, dict):
        memo = {}
    if key in memo:
        found: T = memo.pop(key)
    else:
        found = compute()
    memo[key] = found
    while len(memo) > FORECAST_ENTRIES:
        del memo[next(iter(memo))]
    st.session_state[SESSION_FORECASTS_KEY] = memo
    return found


def when_forecast(
    choice: BoardChoice, metrics: FlowMetrics, cards: int, settings: tuple[int, int, int | None]
) -> WhenForecast:
    """``forecast_when`` for ``cards`` from the as-of date; ``settings`` = (window, trials, seed)."""
    window_days, trials, seed = settings
    key = ("when", metrics_key(choice, metrics), cards, *settings)
    return _memoised(
        key,
        seed,
        lambda: forecast_when(
            metrics.daily_throughput, cards, start=metrics.as_of.date(), trials=trials,
            window_days=window_days, seed=seed, calendar=metrics.options.calendar,
        ),
    )  # fmt: skip


def how_many_forecast(
    choice: BoardChoice, metrics: FlowMetrics, until: date, settings: tuple[int, int, int | None]
) -> HowManyForecast:
    window_days, trials, seed = settings
    key = ("how_many", metrics_key(choice, metrics), until, *settings)
    return _memoised(
        key,
        seed,
        lambda: forecast_how_many(
            metrics.daily_throughput, until, start=metrics.as_of.date(), trials=trials,
            window_days=window_days, seed=seed, calendar=metrics.options.calendar,
        ),
    )  # fmt: skip


def type_forecasts(
    choice: BoardChoice, metrics: FlowMetrics, settings: tuple[int, int, int | None]
) -> dict[str, WhenForecast]:
    """Per work type, when its cards in progress are done (empty without a split)."""
    types = metrics.work_types
    if types is None:
        return {}
    window_days, trials, seed = settings
    key = ("by_type", metrics_key(choice, metrics), *settings)
    return _memoised(
        key,
        seed,
        lambda: forecast_by_type(
            types, metrics.wip["type"], start=metrics.as_of.date(), trials=trials,
            window_days=window_days, seed=seed, calendar=metrics.options.calendar,
        ),
    )  # fmt: skip


def backlog_forecast(
    choice: BoardChoice,
    metrics: FlowMetrics,
    settings: tuple[int, int, int | None],
    *,
    scope_growth: bool,
) -> BacklogForecast:
    """When each backlog card will be done (the metrics recomputed with the backlog option)."""
    window_days, trials, seed = settings
    key = ("backlog", metrics_key(choice, metrics), scope_growth, *settings)

    def compute() -> BacklogForecast:
        rule = BacklogForecastOptions(
            scope_growth=scope_growth, trials=trials, window_days=window_days, seed=seed
        )
        options = replace(metrics.options, backlog=rule)
        found = compute_flow_metrics(choice.board, metrics.workflow, metrics.as_of, options)
        assert found.backlog_forecast is not None
        return found.backlog_forecast

    return _memoised(key, seed, compute)
