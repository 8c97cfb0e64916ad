"""Flow efficiency: the share of a done card's cycle time that was active rather than waiting.

A card waits while it sits in a wait list (a visit lasts from the event that put it there to the
card's next event) or, with a blocked rule, while it is blocked; the union counts once. The rest
of its cycle (start to done) is active. Per workflow list, the share of the done cards' cycle time
spent there shows where the time goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.blocked import (
    Periods,
    blocked_periods,
    list_periods,
    time_inside,
    union_segments,
)
from trellolens.metrics.history import MISSING, US_PER_DAY, BoolArray, CardHistory, IntArray
from trellolens.metrics.options import FlowEfficiency, MetricOptions
from trellolens.metrics.series import FloatArray
from trellolens.metrics.workflow import Workflow, find_list

OTHER_LISTS = "(other lists)"
Measure = Callable[[IntArray, IntArray], FloatArray]


@dataclass(frozen=True)
class FlowEfficiencyResults:
    wait_lists: tuple[str, ...]
    window_days: int
    #: Done cards in the window, their active and total (cycle) days, and active / total.
    cards: int
    active_days: float
    total_days: float
    efficiency: float | None
    #: Per workflow list (then ``(other lists)``): list, days, share, waiting.
    lists: pd.DataFrame


def wait_list_ids(board: Board, options: MetricOptions) -> frozenset[str]:
    rule = options.flow_efficiency
    return (
        frozenset() if rule is None else frozenset(find_list(board, n).id for n in rule.wait_lists)
    )


def active_days(
    board: Board,
    options: MetricOptions,
    history: CardHistory,
    window: tuple[IntArray, IntArray],
    as_of_us: int,
    measure: Measure,
    periods: Periods | None = None,
) -> FloatArray:
    """Per card, waiting days inside its window (start, end); MISSING starts count nothing.

    ``periods``: the blocked periods, when the caller already has them."""
    card = np.zeros(0, dtype=np.int64)
    start, end = card, card
    if history.event_waiting is not None:
        card, start, end = list_periods(history, history.event_waiting)
    if options.blocked is not None:
        found = periods or blocked_periods(board, options.blocked, history, as_of_us)
        b_card, b_start, b_end, _ = found
        card, start, end = np.r_[card, b_card], np.r_[start, b_start], np.r_[end, b_end]
    segments = union_segments(card, start, np.minimum(end, as_of_us))
    return time_inside(*segments, window[0], window[1], measure)


def efficiency_results(
    rule: FlowEfficiency,
    workflow: Workflow,
    history: CardHistory,
    cycle: tuple[IntArray, IntArray, BoolArray],
    per_card: tuple[FloatArray, FloatArray],
    as_of_us: int,
    measure: Measure,
) -> FlowEfficiencyResults:
    """The board's efficiency and the per-list shares over the cards done in the window."""
    started, done, is_done = cycle
    waiting, total = per_card
    since = as_of_us - rule.window_days * US_PER_DAY
    chosen = is_done & (done > since) & (done <= as_of_us)
    total_days = float(total[chosen].sum())
    active = float((total[chosen] - waiting[chosen]).sum())
    lists = _list_shares(rule, workflow, history, started, np.where(chosen, done, MISSING), measure)
    return FlowEfficiencyResults(
        wait_lists=rule.wait_lists,
        window_days=rule.window_days,
        cards=int(chosen.sum()),
        active_days=active,
        total_days=total_days,
        efficiency=active / total_days if total_days > 0 else None,
        lists=lists,
    )


def _list_shares(
    rule: FlowEfficiency,
    workflow: Workflow,
    history: CardHistory,
    started: IntArray,
    done: IntArray,
    measure: Measure,
) -> pd.DataFrame:
    """Days the chosen cards (``done`` not MISSING) spent in each list within their cycle."""
    cards, times = history.event_card, history.event_us
    last = np.r_[cards[1:] != cards[:-1], True] if len(cards) else np.zeros(0, dtype=bool)
    ends = np.where(last, MISSING, np.r_[times[1:], MISSING] if len(times) else times)
    visits = ~history.event_archive & (done[cards] != MISSING)
    card, stage = cards[visits], history.event_stage[visits]
    lo = np.maximum(times[visits], started[card])
    hi = np.minimum(ends[visits], done[card])
    inside = hi > lo
    spent = measure(lo[inside], hi[inside]) if inside.any() else np.zeros(0)
    stages = len(workflow.stages)
    bucket = np.where(stage[inside] >= 0, stage[inside], stages)
    days = np.bincount(bucket, spent, minlength=stages + 1).astype(np.float64)
    total = float(days.sum())
    names = [*workflow.stage_names, OTHER_LISTS]
    wait_names = {name.strip().casefold() for name in rule.wait_lists}
    wait_ids = set(rule.wait_lists)
    waiting = [
        stage.id in wait_ids or stage.name.strip().casefold() in wait_names
        for stage in workflow.stages
    ]
    frame = pd.DataFrame(
        {
            "list": names,
            "days": days,
            "share": days / total if total > 0 else np.zeros(len(days)),
            "waiting": [*waiting, False],
        }
    )
    return frame[(frame["days"] > 0) | (frame["list"] != OTHER_LISTS)].reset_index(drop=True)
