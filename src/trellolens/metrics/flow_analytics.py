"""The analytics options of ``compute_flow_metrics``: flow efficiency, behaviour charts, backlog.

Called by ``option_results`` with what it already worked out (history, times, frames, measure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.backlog import (
    BacklogForecast,
    backlog_cards,
    daily_arrivals,
    forecast_backlog,
)
from trellolens.metrics.behaviour import BehaviourResults, behaviour_charts
from trellolens.metrics.blocked import Periods
from trellolens.metrics.efficiency import (
    FlowEfficiencyResults,
    Measure,
    active_days,
    efficiency_results,
)
from trellolens.metrics.history import MISSING, US_PER_DAY, BoolArray, CardHistory, IntArray
from trellolens.metrics.options import MetricOptions
from trellolens.metrics.series import FloatArray, _day_range, _days, _occupancy
from trellolens.metrics.workflow import Workflow


@dataclass(frozen=True)
class AnalyticsResults:
    flow_efficiency: FlowEfficiencyResults | None = None
    behaviour: BehaviourResults | None = None
    backlog_forecast: BacklogForecast | None = None


def analytics_results(
    board: Board,
    workflow: Workflow,
    options: MetricOptions,
    history: CardHistory,
    times: tuple[IntArray, IntArray, BoolArray],
    as_of_us: int,
    cycle: pd.DataFrame,
    cycle_rows: IntArray,
    daily: pd.Series,
    wip_count: int,
    measure: Measure,
    periods: Periods | None = None,
) -> AnalyticsResults:
    """Adds ``active_days`` and ``efficiency`` to ``cycle`` (in place) when efficiency is on."""
    started, done, is_done = times
    efficiency = None
    if options.flow_efficiency is not None:
        window_end = np.where(is_done, done, MISSING)
        window_start = np.where(is_done, started, MISSING)
        waiting = active_days(
            board, options, history, (window_start, window_end), as_of_us, measure, periods
        )
        total = np.zeros(len(board.cards))
        real = is_done & (started != MISSING)
        total[real] = measure(started[real], done[real])
        waiting = np.minimum(waiting, total)
        active = total - waiting
        cycle["active_days"] = active[cycle_rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            cycle["efficiency"] = np.where(
                total[cycle_rows] > 0, active[cycle_rows] / total[cycle_rows], np.nan
            )
        efficiency = efficiency_results(
            options.flow_efficiency, workflow, history, times, (waiting, total), as_of_us, measure
        )
    behaviour = None
    if options.behaviour is not None:
        unit = "working" if options.calendar is not None else "calendar"
        behaviour = behaviour_charts(
            options.behaviour,
            done[is_done],
            total_days(cycle, done, is_done, board),
            as_of_us,
            unit,
        )
    backlog = None
    if options.backlog is not None:
        backlog = _backlog(board, workflow, options, history, as_of_us, daily, wip_count)
    return AnalyticsResults(efficiency, behaviour, backlog)


def total_days(cycle: pd.DataFrame, done: IntArray, is_done: BoolArray, board: Board) -> FloatArray:
    """The cycle days of the done cards, in ``board.cards`` order (as ``done[is_done]``)."""
    by_id = dict(zip(cycle["card_id"].tolist(), cycle["days"].tolist(), strict=True))
    days: FloatArray = np.asarray(
        [by_id[board.cards[p].id] for p in np.flatnonzero(is_done)], dtype=np.float64
    )
    return days


def _backlog(
    board: Board,
    workflow: Workflow,
    options: MetricOptions,
    history: CardHistory,
    as_of_us: int,
    daily: pd.Series,
    wip_count: int,
) -> BacklogForecast:
    rule = options.backlog
    assert rule is not None
    as_of_day = as_of_us // US_PER_DAY
    start = datetime.fromtimestamp(as_of_us / 1e6, UTC).date()
    arrivals = None
    if rule.scope_growth and len(daily):
        first = (daily.index[0] - _days(0, 1)[0]).days
        arrivals = daily_arrivals(history, workflow, first, as_of_day)
    return forecast_backlog(
        daily,
        backlog_cards(board, workflow, history),
        wip_count,
        start=start,
        trials=rule.trials,
        window_days=rule.window_days,
        seed=rule.seed,
        calendar=options.calendar,
        arrivals=arrivals,
    )


def wip_over_time_by_type(
    history: CardHistory,
    workflow: Workflow,
    as_of_day: int,
    names: tuple[str, ...],
    card_type: IntArray,
) -> pd.DataFrame:
    """``date`` then one column per type: open cards of that type in progress at each day's end."""
    first, days = _day_range(history, as_of_day)
    frame = pd.DataFrame({"date": _days(first, days)})
    for index, name in enumerate(names):
        weights = (card_type == index).astype(np.float64)
        occupied = _occupancy(
            history, len(workflow.stages), first, days, archive_leaves=True, card_sizes=weights
        )
        frame[name] = (
            occupied[:, workflow.start_index : workflow.done_index]
            .sum(axis=1)
            .round()
            .astype(np.int64)
        )
    return frame
