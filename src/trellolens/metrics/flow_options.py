"""The optional parts of ``compute_flow_metrics``: business days, work types, blocked, size, SLE."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.blocked import (
    BlockedCards,
    blocked_cards,
    blocked_list_ids,
    blocked_periods,
)
from trellolens.metrics.calendar import calendar_days
from trellolens.metrics.flow_analytics import (
    AnalyticsResults,
    analytics_results,
    wip_over_time_by_type,
)
from trellolens.metrics.history import MISSING, US_PER_DAY, BoolArray, CardHistory, IntArray
from trellolens.metrics.options import BlockedRule, MetricOptions
from trellolens.metrics.series import (
    FloatArray,
    cumulative_flow,
    daily_throughput,
    weekly_throughput,
)
from trellolens.metrics.sized import (
    ServiceLevelResults,
    SizeResults,
    card_sizes,
    service_level,
)
from trellolens.metrics.work_types import WorkTypeResults, card_types, split_by_type
from trellolens.metrics.workflow import Workflow

Measure = Callable[[IntArray, IntArray], FloatArray]


@dataclass(frozen=True)
class BlockedResults:
    labels: tuple[str, ...]
    lists: tuple[str, ...]
    #: Blocked days of the done cards, and their share of those cards' cycle time (None: no time).
    done_blocked_days: float
    done_blocked_share: float | None
    #: Cards in progress that are blocked at the as-of time.
    wip_blocked_now: int
    cards_with_unrecorded_label: int


def flagged_lists(board: Board, options: MetricOptions) -> frozenset[str]:
    return frozenset() if options.blocked is None else blocked_list_ids(board, options.blocked)


def day_measure(options: MetricOptions, started: IntArray, as_of_us: int) -> Measure:
    """Days between two times: elapsed, or working days by the options' calendar."""
    if options.calendar is None:
        return calendar_days
    real = started[started != MISSING]
    first = int(real.min()) if len(real) else as_of_us
    return options.calendar.clock(min(first, as_of_us), as_of_us).working_days


@dataclass(frozen=True)
class OptionResults:
    cycle_times: pd.DataFrame
    wip: pd.DataFrame
    work_types: WorkTypeResults | None = None
    blocked: BlockedResults | None = None
    size: SizeResults | None = None
    service_level: ServiceLevelResults | None = None
    analytics: AnalyticsResults = field(default_factory=AnalyticsResults)


@dataclass(frozen=True)
class _Rows:
    """Where the cycle-time and WIP rows, and the done cards, sit in ``board.cards``."""

    cycle: IntArray
    wip: IntArray
    done: IntArray


def option_results(
    board: Board,
    workflow: Workflow,
    options: MetricOptions,
    history: CardHistory,
    times: tuple[IntArray, IntArray, BoolArray],
    as_of_us: int,
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.Series],
    measure: Measure,
    p85: float | None,
) -> OptionResults:
    """Columns added to the cycle-time and WIP frames, and the per-option results.

    ``times`` are each card's start and done times and whether it is done; ``frames`` the cycle
    times, WIP and daily throughput computed without options.
    """
    started, done, is_done = times
    cycle, wip, daily_total = frames
    if not options.any:
        return OptionResults(cycle, wip)
    cycle, wip = cycle.copy(), wip.copy()
    position = {card.id: i for i, card in enumerate(board.cards)}
    rows = _Rows(
        np.asarray([position[c] for c in cycle["card_id"].tolist()], dtype=np.int64),
        np.asarray([position[c] for c in wip["card_id"].tolist()], dtype=np.int64),
        np.flatnonzero(is_done),
    )
    done_us = done[rows.done]
    types = None
    if options.work_types is not None:
        frames = (cycle, wip, daily_total)
        types = _types(board, workflow, options, history, rows, frames, done_us, as_of_us)
    blocked = periods = None
    if options.blocked is not None:
        window_end = np.where(is_done, done, as_of_us)
        periods = blocked_periods(board, options.blocked, history, as_of_us)
        found = blocked_cards(
            board, options.blocked, history, started, window_end, as_of_us, measure, periods
        )
        blocked = _blocked_columns(options.blocked, found, rows, cycle, wip)
    size = None
    if options.size_field is not None:
        size = _size(
            board, workflow, options.size_field, history, rows, (cycle, wip), done_us, as_of_us
        )
    level = None
    if options.service_level is not None:
        level = service_level(board, options.service_level, p85, wip)
    analytics = analytics_results(
        board, workflow, options, history, times, as_of_us, cycle, rows.cycle, daily_total,
        len(wip), measure, periods,
    )  # fmt: skip
    return OptionResults(cycle, wip, types, blocked, size, level, analytics)


def _size(
    board: Board,
    workflow: Workflow,
    field_name: str,
    history: CardHistory,
    rows: _Rows,
    frames: tuple[pd.DataFrame, pd.DataFrame],
    done_us: IntArray,
    as_of_us: int,
) -> SizeResults:
    """A ``size`` column on the cycle-time and WIP frames (in place); the sized series."""
    cycle, wip = frames
    name, sizes, missing = card_sizes(board, field_name)
    done_sizes = sizes[rows.done]
    cycle["size"] = sizes[rows.cycle]
    wip["size"] = sizes[rows.wip]
    as_of_day = as_of_us // US_PER_DAY
    return SizeResults(
        field=name,
        weekly_throughput=weekly_throughput(done_us, as_of_day, done_sizes),
        daily_throughput=daily_throughput(done_us, as_of_day, done_sizes),
        cfd=cumulative_flow(history, workflow, as_of_day, sizes),
        done_size=float(done_sizes.sum()),
        wip_size=float(sizes[rows.wip].sum()),
        cards_without_size=missing,
    )


def _types(
    board: Board,
    workflow: Workflow,
    options: MetricOptions,
    history: CardHistory,
    rows: _Rows,
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.Series],
    done_us: IntArray,
    as_of_us: int,
) -> WorkTypeResults:
    """A ``type`` column on the cycle-time and WIP frames (in place); the split by type."""
    assert options.work_types is not None
    cycle, wip, daily_total = frames
    names, card_type = card_types(board, options.work_types)
    cycle["type"] = [names[t] for t in card_type[rows.cycle]]
    wip["type"] = [names[t] for t in card_type[rows.wip]]
    kind = options.work_types.field or "label"
    types = split_by_type(names, kind, cycle, wip, done_us, card_type[rows.done], daily_total)
    over_time = wip_over_time_by_type(history, workflow, as_of_us // US_PER_DAY, names, card_type)
    return replace(types, wip_over_time=over_time)


def _blocked_columns(
    rule: BlockedRule, found: BlockedCards, rows: _Rows, cycle: pd.DataFrame, wip: pd.DataFrame
) -> BlockedResults:
    """Blocked days (and share, or blocked now) as columns; the done cards' totals."""
    blocked_days = found.days[rows.cycle]
    days = cycle["days"].to_numpy(dtype=float)
    cycle["blocked_days"] = blocked_days
    with np.errstate(invalid="ignore", divide="ignore"):
        cycle["blocked_share"] = np.where(days > 0, blocked_days / days, np.nan)
    wip["blocked_days"] = found.days[rows.wip]
    wip["blocked"] = found.now[rows.wip]
    total = float(days.sum())
    return BlockedResults(
        labels=rule.labels,
        lists=rule.lists,
        done_blocked_days=float(blocked_days.sum()),
        done_blocked_share=float(blocked_days.sum()) / total if total > 0 else None,
        wip_blocked_now=int(found.now[rows.wip].sum()),
        cards_with_unrecorded_label=found.cards_with_unrecorded_label,
    )
