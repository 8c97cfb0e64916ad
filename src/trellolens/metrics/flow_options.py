"""The optional parts of ``compute_flow_metrics``: business days, work types, blocked, size, SLE."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.blocked import blocked_cards, blocked_list_ids
from trellolens.metrics.calendar import calendar_days
from trellolens.metrics.history import MISSING, CardHistory, IntArray
from trellolens.metrics.options import MetricOptions
from trellolens.metrics.series import (
    FloatArray,
    cumulative_flow,
    daily_throughput,
    weekly_throughput,
)
from trellolens.metrics.sized import SizeResults, card_sizes
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


def option_results(
    board: Board,
    workflow: Workflow,
    options: MetricOptions,
    history: CardHistory,
    started: IntArray,
    done: IntArray,
    is_done: IntArray,
    as_of_us: int,
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.Series],
    measure: Measure,
) -> OptionResults:
    """Columns added to the cycle-time and WIP frames, and the per-option results."""
    cycle, wip, daily_total = frames
    cycle, wip = cycle.copy(), wip.copy()
    position = {card.id: i for i, card in enumerate(board.cards)}
    cycle_rows = np.asarray([position[c] for c in cycle["card_id"]], dtype=np.int64)
    wip_rows = np.asarray([position[c] for c in wip["card_id"]], dtype=np.int64)
    done_positions = np.flatnonzero(is_done)
    done_us = done[done_positions]
    results: dict[str, object] = {}
    if options.work_types is not None:
        names, types = card_types(board, options.work_types)
        kind = options.work_types.field or "label"
        cycle["type"] = [names[t] for t in types[cycle_rows]]
        wip["type"] = [names[t] for t in types[wip_rows]]
        results["work_types"] = split_by_type(
            names, kind, cycle, wip, done_us, types[done_positions], daily_total
        )
    if options.blocked is not None:
        window_end = np.where(is_done, done, as_of_us)
        found = blocked_cards(
            board, options.blocked, history, started, window_end, as_of_us, measure
        )
        cycle["blocked_days"] = found.days[cycle_rows]
        days = cycle["days"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            cycle["blocked_share"] = np.where(days > 0, found.days[cycle_rows] / days, np.nan)
        wip["blocked_days"] = found.days[wip_rows]
        wip["blocked"] = found.now[wip_rows]
        total = float(days.sum())
        blocked_total = float(found.days[cycle_rows].sum())
        results["blocked"] = BlockedResults(
            labels=options.blocked.labels,
            lists=options.blocked.lists,
            done_blocked_days=blocked_total,
            done_blocked_share=blocked_total / total if total > 0 else None,
            wip_blocked_now=int(found.now[wip_rows].sum()),
            cards_with_unrecorded_label=found.cards_with_unrecorded_label,
        )
    if options.size_field is not None:
        name, sizes, missing = card_sizes(board, options.size_field)
        done_sizes = sizes[done_positions]
        cycle["size"] = sizes[cycle_rows]
        wip["size"] = sizes[wip_rows]
        results["size"] = SizeResults(
            field=name,
            weekly_throughput=weekly_throughput(done_us, done_sizes),
            daily_throughput=daily_throughput(done_us, as_of_us // 86_400_000_000, done_sizes),
            cfd=cumulative_flow(history, workflow, as_of_us // 86_400_000_000, sizes),
            done_size=float(done_sizes.sum()),
            wip_size=float(sizes[wip_rows].sum()),
            cards_without_size=missing,
        )
    return OptionResults(cycle, wip, **results)  # type: ignore[arg-type]
