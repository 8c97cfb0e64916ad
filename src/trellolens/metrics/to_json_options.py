"""The parts of `trellolens metrics --json` that the metrics options add (docs/metrics.md)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from trellolens.metrics.flow import FlowMetrics
from trellolens.metrics.options import MetricOptions
from trellolens.metrics.to_json_analytics import analytics_options_json, analytics_sections
from trellolens.metrics.work_types import WorkTypeResults, forecast_by_type

#: Columns the options add to the cycle-time and WIP frames, and how they are written.
CARD_COLUMNS = (
    "type", "blocked_days", "blocked_share", "blocked", "size", "active_days", "efficiency",
)  # fmt: skip
FORECAST_SEED = 0


def value(raw: object) -> object:
    """A frame cell as JSON: counts as integers, other numbers rounded to 4 decimals, NaN as null."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, str):
        return raw
    if hasattr(raw, "item"):
        raw = raw.item()
    if isinstance(raw, bool | int):
        return raw
    if isinstance(raw, float):
        return None if math.isnan(raw) else round(float(raw), 4)
    return str(raw)


def card_extras(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Per row, the option columns present in ``frame`` (empty dicts when none)."""
    present = [column for column in CARD_COLUMNS if column in frame.columns]
    if not present:
        return [{} for _ in range(len(frame))]
    columns = [frame[column].tolist() for column in present]
    return [
        {name: value(cell) for name, cell in zip(present, row, strict=True)}
        for row in zip(*columns, strict=True)
    ]


def options_json(options: MetricOptions) -> dict[str, Any]:
    calendar = options.calendar
    types = options.work_types
    blocked = options.blocked
    level = options.service_level
    return {
        "business_days": None
        if calendar is None
        else {
            "weekdays_only": calendar.weekdays_only,
            "holidays": sorted(day.isoformat() for day in calendar.holidays),
            "time_zone": calendar.time_zone,
        },
        "by": None if types is None else {"field": types.field, "labels": list(types.labels)},
        "blocked": None
        if blocked is None
        else {"labels": list(blocked.labels), "lists": list(blocked.lists)},
        "size_field": options.size_field,
        "sle_days": None if level is None else level.days,
        **analytics_options_json(options),
    }


def _day(value: date) -> str:
    return value.isoformat()


def option_sections(metrics: FlowMetrics, stage_names: list[str]) -> dict[str, Any]:
    """The sections of the options that are on, in a fixed order."""
    options = metrics.options
    found: dict[str, Any] = {
        "day_unit": "working" if options.calendar is not None else "calendar",
        "options": options_json(options),
    }
    types = metrics.work_types
    if types is not None:
        found["work_types"] = _work_types(metrics, types)
    blocked = metrics.blocked
    if blocked is not None:
        found["blocked"] = {
            "labels": list(blocked.labels),
            "lists": list(blocked.lists),
            "done_blocked_days": value(blocked.done_blocked_days),
            "done_blocked_share": value(blocked.done_blocked_share),
            "wip_blocked_now": blocked.wip_blocked_now,
            "cards_with_unrecorded_label": blocked.cards_with_unrecorded_label,
        }
    size = metrics.size
    if size is not None:
        found["size"] = {
            "field": size.field,
            "done": value(size.done_size),
            "wip": value(size.wip_size),
            "cards_without_size": size.cards_without_size,
            "weekly": [
                {"week_start": _day(week), "size": value(total)}
                for week, total in zip(
                    size.weekly_throughput["week_start"],
                    size.weekly_throughput["count"],
                    strict=True,
                )
            ],
            "cfd": _dated_rows(size.cfd, "date", stage_names),
        }
    if options.service_level is not None:
        found["service_level"] = _service_level(metrics)
    found.update(analytics_sections(metrics))
    return found


def _wip_by_type(types: WorkTypeResults) -> dict[str, Any]:
    if types.wip_over_time is None:
        return {}
    return {"wip_over_time": _dated_rows(types.wip_over_time, "date", list(types.names))}


def _dated_rows(frame: pd.DataFrame, key: str, names: list[str]) -> list[dict[str, object]]:
    """Rows of a frame whose first column is a date and the others are named ``names``."""
    return [
        {
            key: _day(row[0]),
            **{name: value(cell) for name, cell in zip(names, row[1:], strict=True)},
        }
        for row in frame.itertuples(index=False, name=None)
    ]


def _optional_day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _work_types(metrics: FlowMetrics, types: WorkTypeResults) -> dict[str, Any]:
    """Each type's cycle time, WIP and forecast, and its weekly throughput."""
    options = metrics.options
    forecasts = forecast_by_type(
        types,
        metrics.wip["type"],
        start=metrics.as_of.date(),
        seed=FORECAST_SEED,
        calendar=options.calendar,
    )
    weekly = types.weekly_throughput  # columns: week_start, then one per type
    section: dict[str, Any] = {
        "by": types.by,
        "types": [
            {
                **{key: value(row[key]) for key in ("type", "done", "p50", "p85", "p95", "wip")},
                "forecast_wip_done": {
                    "p50": _optional_day(forecasts[row["type"]].p50),
                    "p85": _optional_day(forecasts[row["type"]].p85),
                    "p95": _optional_day(forecasts[row["type"]].p95),
                },
            }
            for row in types.summary.to_dict("records")
        ],
        "weekly": _dated_rows(weekly, "week_start", list(types.names)),
    }
    section.update(_wip_by_type(types))
    return section


def _service_level(metrics: FlowMetrics) -> dict[str, Any] | None:
    """The service level expectation and each card in progress against it."""
    level = metrics.service_level
    return (
        None
        if level is None
        else {
            "days": value(level.days),
            "source": level.source,
            "cards": [
                {
                    "id": row["card_id"],
                    "name": row["name"],
                    "url": row["url"],
                    "list": row["list"],
                    "age_days": value(row["age_days"]),
                    "days_left": value(row["days_left"]),
                    "status": row["status"],
                }
                for row in level.cards.to_dict("records")
            ],
        }
    )
