"""`metrics_to_json`: the one JSON shape of `trellolens metrics --json` (documented in docs/metrics.md)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from trellolens.metrics.flow import FlowMetrics
from trellolens.metrics.to_json_options import card_extras, option_sections

SCHEMA_VERSION = 2
"""Version of the JSON shape: 1 was the unversioned shape; 2 adds ``schema_version`` and the
sections of the metrics options (only present when an option is on)."""


def iso_time(value: datetime | pd.Timestamp) -> str:
    """UTC, ISO 8601 with a Z, milliseconds kept when present: ``2018-03-31T12:38:14.542Z``."""
    moment = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    moment = moment.astimezone(UTC)
    timespec = "milliseconds" if moment.microsecond % 1000 == 0 else "microseconds"
    return moment.isoformat(timespec=timespec).replace("+00:00", "Z")


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _day(value: date) -> str:
    return value.isoformat()


def metrics_to_json(metrics: FlowMetrics) -> dict[str, Any]:
    """The metrics as a JSON-ready dict: times ISO 8601 UTC, days rounded to 4 decimals.

    The sections of the metrics options follow ``data_quality`` when any option is on.
    """
    workflow = metrics.workflow
    quality = metrics.data_quality
    stage_names = list(workflow.stage_names)
    payload = {
        "schema_version": SCHEMA_VERSION,
        "board": {"id": metrics.board_id, "name": metrics.board_name},
        "as_of": iso_time(metrics.as_of),
        "workflow": {
            "stages": stage_names,
            "start_list": stage_names[workflow.start_index],
            "done_list": stage_names[workflow.done_index],
        },
        "cycle_time": _cycle_time(metrics),
        "throughput": {
            "weekly": [
                {"week_start": _day(week), "count": int(count)}
                for week, count in zip(
                    metrics.weekly_throughput["week_start"],
                    metrics.weekly_throughput["count"],
                    strict=True,
                )
            ]
        },
        "wip": _wip(metrics),
        "cfd": [
            {
                "date": _day(row[0]),
                **{name: int(count) for name, count in zip(stage_names, row[1:], strict=True)},
            }
            for row in metrics.cfd.itertuples(index=False, name=None)
        ],
        "data_quality": {
            "cards_without_creation_event": quality.cards_without_creation_event,
            "actions_may_be_truncated": quality.actions_may_be_truncated,
            "ignored_lists": list(quality.ignored_lists),
        },
    }
    if metrics.options.any:
        payload.update(option_sections(metrics, stage_names))
    return payload


def _cycle_time(metrics: FlowMetrics) -> dict[str, Any]:
    percentiles = metrics.cycle_time_percentiles
    cycle = metrics.cycle_times
    return {
        "cards": [
            {
                "id": card_id,
                "name": name,
                "started": iso_time(started),
                "done": iso_time(done),
                "days": _number(days),
                **extra,
            }
            for card_id, name, started, done, days, extra in zip(
                cycle["card_id"],
                cycle["name"],
                cycle["started"],
                cycle["done"],
                cycle["days"],
                card_extras(cycle),
                strict=True,
            )
        ],
        "count": len(cycle),
        "p50": _number(percentiles[50]),
        "p85": _number(percentiles[85]),
        "p95": _number(percentiles[95]),
    }


def _wip(metrics: FlowMetrics) -> dict[str, Any]:
    wip = metrics.wip
    return {
        "count": len(wip),
        "cards": [
            {"id": card_id, "name": name, "list": lst, "age_days": _number(age), **extra}
            for card_id, name, lst, age, extra in zip(
                wip["card_id"],
                wip["name"],
                wip["list"],
                wip["age_days"],
                card_extras(wip),
                strict=True,
            )
        ],
    }
