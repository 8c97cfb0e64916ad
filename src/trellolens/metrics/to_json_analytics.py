"""The JSON sections of the analytics options: flow efficiency, behaviour charts, backlog
forecast, flow debt, and WIP over time by type (docs/metrics.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from trellolens.metrics.behaviour import XmRChart
from trellolens.metrics.flow import FlowMetrics
from trellolens.metrics.flow_debt import flow_debt
from trellolens.metrics.options import MetricOptions


def _number(raw: float | None) -> float | None:
    return None if raw is None or raw != raw else round(float(raw), 4)


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def analytics_options_json(options: MetricOptions) -> dict[str, Any]:
    efficiency, behaviour = options.flow_efficiency, options.behaviour
    backlog, debt = options.backlog, options.flow_debt
    return {
        "flow_efficiency": None
        if efficiency is None
        else {"wait_lists": list(efficiency.wait_lists), "window_days": efficiency.window_days},
        "behaviour": None
        if behaviour is None
        else {"baseline_from": _day(behaviour.baseline_from), "baseline_to": _day(behaviour.baseline_to)},
        "backlog_forecast": None
        if backlog is None
        else {"scope_growth": backlog.scope_growth, "trials": backlog.trials,
              "window_days": backlog.window_days, "seed": backlog.seed},
        "flow_debt": None
        if debt is None
        else {"ratio": debt.ratio, "window_days": debt.window_days},
    }  # fmt: skip


def _chart(chart: XmRChart) -> dict[str, Any]:
    return {
        "average": _number(chart.average),
        "average_moving_range": _number(chart.average_moving_range),
        "upper_limit": _number(chart.upper),
        "lower_limit": _number(chart.lower),
        "weeks": [
            {"week_start": _day(week), "value": _number(value), "baseline": bool(baseline)}
            for week, value, baseline in zip(
                chart.points["week_start"], chart.points["value"], chart.points["baseline"],
                strict=True,
            )
        ],
        "signals": [
            {"week_start": _day(s.week_start), "rule": s.rule, "side": s.side, "reading": s.reading}
            for s in chart.signals
        ],
    }  # fmt: skip


def analytics_sections(metrics: FlowMetrics) -> dict[str, Any]:
    """The sections of the analytics options that are on, in a fixed order."""
    found: dict[str, Any] = {}
    efficiency = metrics.flow_efficiency
    if efficiency is not None:
        found["flow_efficiency"] = {
            "wait_lists": list(efficiency.wait_lists),
            "window_days": efficiency.window_days,
            "cards": efficiency.cards,
            "active_days": _number(efficiency.active_days),
            "total_days": _number(efficiency.total_days),
            "efficiency": _number(efficiency.efficiency),
            "lists": [
                {"list": row["list"], "days": _number(row["days"]),
                 "share": _number(row["share"]), "waiting": bool(row["waiting"])}
                for row in efficiency.lists.to_dict("records")
            ],
        }  # fmt: skip
    behaviour = metrics.behaviour
    if behaviour is not None:
        found["behaviour"] = {
            "throughput": _chart(behaviour.throughput),
            "cycle_time": _chart(behaviour.cycle_time),
        }
    backlog = metrics.backlog_forecast
    if backlog is not None:
        arrivals = backlog.arrivals
        found["backlog_forecast"] = {
            "wip": backlog.wip,
            "trials": backlog.trials,
            "window_days": backlog.window_days,
            "scope_growth": backlog.scope_growth,
            "arrivals": None
            if arrivals is None
            else {"p50": _number(arrivals[0]), "p85": _number(arrivals[1]), "p95": _number(arrivals[2])},
            "cards": [
                {"id": card.card_id, "name": card.name, "list": card.list, "url": card.url,
                 "p50": _day(dates[0]), "p85": _day(dates[1]), "p95": _day(dates[2])}
                for card, dates in zip(backlog.cards, backlog.dates, strict=True)
            ],
        }  # fmt: skip
    rule = metrics.options.flow_debt
    if rule is not None:
        debt = flow_debt(metrics, rule)
        found["flow_debt"] = {
            "window_days": debt.window_days,
            "ratio_limit": debt.ratio_limit,
            "average_wip": _number(debt.average_wip),
            "throughput_per_day": _number(debt.throughput_per_day),
            "implied_cycle_time": _number(debt.implied_cycle_time),
            "average_cycle_time": _number(debt.average_cycle_time),
            "ratio": _number(debt.ratio),
            "state": debt.state,
            "reading": debt.reading,
        }
    return found
