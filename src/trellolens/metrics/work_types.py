"""Work types: each card has exactly one, so every split adds up to the total.

By label: a card's type is the first of its labels in the order of precedence (the chosen label
names in the order given, else the board's labels in the board's order); labels of one name are one
type. By a ``list`` custom field: the text of the card's chosen option. A card with none of them
has the type ``(none)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.calendar import WorkCalendar
from trellolens.metrics.forecast import WhenForecast, forecast_when
from trellolens.metrics.history import US_PER_DAY, IntArray
from trellolens.metrics.options import NO_TYPE, WorkTypes, custom_field, label_ids_named
from trellolens.metrics.options import unknown_label as _unknown_label
from trellolens.metrics.series import FloatArray, _day, week_numbers


@dataclass(frozen=True)
class WorkTypeResults:
    """Per work type: ``summary`` (type, done, p50, p85, p95, wip), weekly and daily throughput."""

    names: tuple[str, ...]
    by: str
    summary: pd.DataFrame
    #: ``week_start`` then one column per type; the columns add up to the total weekly count.
    weekly_throughput: pd.DataFrame
    daily_throughput: dict[str, pd.Series]
    #: ``date`` then one column per type: cards of that type in progress at each day's end.
    wip_over_time: pd.DataFrame | None = None


def card_types(board: Board, spec: WorkTypes) -> tuple[tuple[str, ...], IntArray]:
    """Type names (in order, ``(none)`` last) and each card's index into them."""
    if spec.field is not None:
        return _by_field(board, spec.field)
    order: list[tuple[str, frozenset[str]]] = []
    if spec.labels:
        for wanted in spec.labels:
            ids = label_ids_named(board, wanted)
            if not ids:
                raise _unknown_label(board, wanted)
            order.append((wanted.strip(), ids))
    else:
        grouped: dict[str, set[str]] = {}
        for label in board.labels:
            grouped.setdefault(label.name.strip() or f"({label.color or 'no colour'})", set()).add(
                label.id
            )
        order = [(name, frozenset(ids)) for name, ids in grouped.items()]
    rank: dict[str, int] = {}
    for position, (_, ids) in enumerate(order):
        for label_id in ids:
            rank.setdefault(label_id, position)
    none = len(order)
    chosen = np.asarray(
        [min((rank.get(i, none) for i in card.label_ids), default=none) for card in board.cards],
        dtype=np.int64,
    )
    return (*(name for name, _ in order), NO_TYPE), chosen


def _by_field(board: Board, wanted: str) -> tuple[tuple[str, ...], IntArray]:
    field = custom_field(board, wanted, "list", "a split by work type")
    names: list[str] = []
    option_type: dict[str, int] = {}
    for option in sorted(field.options, key=lambda o: o.pos):
        text = option.text.strip() or f"({option.color or 'no colour'})"
        if text not in names:
            names.append(text)
        option_type[option.id] = names.index(text)
    none = len(names)
    chosen = []
    for card in board.cards:
        value = next((v for v in card.custom_field_values if v.field_id == field.id), None)
        chosen.append(option_type.get(value.option_id or "", none) if value else none)
    return (*names, NO_TYPE), np.asarray(chosen, dtype=np.int64)


def split_by_type(
    names: tuple[str, ...],
    by: str,
    cycle: pd.DataFrame,
    wip: pd.DataFrame,
    done_us: IntArray,
    done_types: IntArray,
    daily_total: pd.Series,
    sizes: FloatArray | None = None,
) -> WorkTypeResults:
    """Summaries per type from the frames that already carry a ``type`` column."""
    rows = []
    for name in names:
        days = cycle.loc[cycle["type"] == name, "days"].to_numpy(dtype=float)
        p50, p85, p95 = (
            (float(v) for v in np.percentile(days, (50, 85, 95)))
            if len(days)
            else (None, None, None)
        )
        rows.append(
            {
                "type": name,
                "done": len(days),
                "p50": p50,
                "p85": p85,
                "p95": p95,
                "wip": int((wip["type"] == name).sum()),
            }
        )
    weekly = _weekly(names, done_us, done_types, daily_total, sizes)
    return WorkTypeResults(
        names,
        by,
        pd.DataFrame(rows),
        weekly,
        _daily(names, done_us, done_types, daily_total, sizes),
    )


def _daily(
    names: tuple[str, ...],
    done_us: IntArray,
    done_types: IntArray,
    daily_total: pd.Series,
    sizes: FloatArray | None,
) -> dict[str, pd.Series]:
    """Per type, the total's days (so the types add up to it day by day)."""
    span, kinds = len(daily_total), len(names)
    cells: FloatArray = np.zeros((span, kinds))
    if span:
        day = done_us // US_PER_DAY - _day_number(daily_total.index[0])
        within = (day >= 0) & (day < span)
        weights = None if sizes is None else sizes[within]
        flat = np.bincount(day[within] * kinds + done_types[within], weights, span * kinds)
        cells = flat.reshape(span, kinds).astype(np.float64)
    dtype = np.int64 if sizes is None else np.float64
    return {
        name: pd.Series(cells[:, index].astype(dtype), index=daily_total.index, name="count")
        for index, name in enumerate(names)
    }


def _day_number(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _weekly(
    names: tuple[str, ...],
    done_us: IntArray,
    done_types: IntArray,
    daily_total: pd.Series,
    sizes: FloatArray | None,
) -> pd.DataFrame:
    """Per type, done cards per ISO week over the total's days (first done week to the as-of week)."""
    if len(daily_total) == 0:
        frame = pd.DataFrame({"week_start": pd.Series([], dtype=object)})
        for name in names:
            frame[name] = pd.Series([], dtype=np.int64 if sizes is None else np.float64)
        return frame
    as_of_day = _day_number(daily_total.index[-1])
    within = done_us // US_PER_DAY <= as_of_day
    mondays = week_numbers(done_us[within])
    first = int(mondays.min())
    last = int(week_numbers(np.array([as_of_day * US_PER_DAY]))[0])
    count = (last - first) // 7 + 1
    weeks = (mondays - first) // 7
    weights = None if sizes is None else sizes[within]
    cells = np.bincount(
        weeks * len(names) + done_types[within], weights, minlength=count * len(names)
    )
    table = cells.reshape(count, len(names))
    frame = pd.DataFrame({"week_start": [_day(first + 7 * w) for w in range(count)]})
    for index, name in enumerate(names):
        column = table[:, index]
        frame[name] = column.astype(np.int64) if sizes is None else column
    return frame


def forecast_by_type(
    results: WorkTypeResults,
    wip_types: pd.Series,
    *,
    start: date,
    trials: int = 10_000,
    window_days: int = 56,
    seed: int | None = None,
    calendar: WorkCalendar | None = None,
) -> dict[str, WhenForecast]:
    """Per type: when the cards of that type now in progress will be done.

    Each type's forecast draws from that type's daily throughput in the last ``window_days``
    (working) days up to ``start``, like ``forecast_when``.
    """
    counts = wip_types.value_counts()
    return {
        name: forecast_when(
            results.daily_throughput[name],
            int(counts.get(name, 0)),
            start=start,
            trials=trials,
            window_days=window_days,
            seed=seed,
            calendar=calendar,
        )
        for name in results.names
    }
