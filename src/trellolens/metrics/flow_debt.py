"""Flow debt: Little's law over a window against the cycle time actually seen in it.

Over the last ``window_days`` days up to the as-of day (only those the WIP series covers, and only
working days with business days on), average WIP / average daily throughput is
the cycle time the board's WIP implies; the average cycle time of the cards done in the window is
what happened. When the implied one is more than ``ratio`` times the real one, WIP is ageing
faster than work finishes (flow debt); the other way round, work finishes faster than it ages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from trellolens.metrics.flow import FlowMetrics
from trellolens.metrics.options import FlowDebtRule


@dataclass(frozen=True)
class FlowDebt:
    window_days: int
    ratio_limit: float
    average_wip: float
    throughput_per_day: float
    implied_cycle_time: float | None
    average_cycle_time: float | None
    #: implied / average cycle time (None when either is unknown or the average is 0).
    ratio: float | None
    state: str  # "debt", "surplus", "balanced" or "unknown"
    reading: str


def flow_debt(metrics: FlowMetrics, rule: FlowDebtRule | None = None) -> FlowDebt:
    """Little's law over the window; with business days on, only working days are counted."""
    rule = rule or FlowDebtRule()
    as_of_day = metrics.as_of.date()
    first_day = as_of_day - timedelta(days=rule.window_days - 1)
    calendar = metrics.options.calendar
    series = metrics.wip_over_time
    days = pd.Series(series["wip"].to_numpy(), index=list(series["date"]))
    window = [first_day + timedelta(days=n) for n in range(rule.window_days)]
    if calendar is not None:
        window = [day for day in window if calendar.is_working_day(day)]
    counted = [day for day in window if day in days.index]
    average_wip = float(np.mean([days[day] for day in counted])) if counted else 0.0
    done = metrics.cycle_times
    since = pd.Timestamp(metrics.as_of - timedelta(days=rule.window_days))
    in_window = done[(done["done"] > since) & (done["done"] <= pd.Timestamp(metrics.as_of))]
    throughput = len(in_window) / len(counted) if counted else 0.0
    implied = average_wip / throughput if throughput > 0 else None
    actual = float(in_window["days"].mean()) if len(in_window) else None
    ratio = implied / actual if implied is not None and actual else None
    state = "unknown"
    if ratio is not None:
        state = (
            "debt" if ratio > rule.ratio else "surplus" if ratio < 1 / rule.ratio else "balanced"
        )
    return FlowDebt(
        rule.window_days, rule.ratio, average_wip, throughput, implied, actual, ratio, state,
        _reading(state, implied, actual, rule.window_days),
    )  # fmt: skip


def _reading(state: str, implied: float | None, actual: float | None, window: int) -> str:
    if state == "unknown" or implied is None or actual is None:
        return f"Flow debt: not enough done work in the last {window} days to compare."
    numbers = f"WIP / throughput implies {implied:.1f} d, cards done took {actual:.1f} d on average"
    if state == "debt":
        return (
            f"Flow debt: WIP is ageing faster than work finishes ({numbers}, last {window} days)."
        )
    if state == "surplus":
        return f"Work finishes faster than WIP ages ({numbers}, last {window} days)."
    return f"WIP and finishing are in balance ({numbers}, last {window} days)."
