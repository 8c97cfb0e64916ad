"""Day-by-day and week-by-week series: throughput, cumulative flow, WIP over time, time in list."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from trellolens.metrics.history import OUTSIDE, US_PER_DAY, CardHistory, IntArray
from trellolens.metrics.workflow import Workflow

FloatArray = npt.NDArray[np.float64]

_EPOCH_DAY = date(1970, 1, 1)


def _day(day_number: int) -> date:
    return _EPOCH_DAY + timedelta(days=day_number)


def _days(first: int, count: int) -> list[date]:
    return [_day(first + offset) for offset in range(count)]


def daily_throughput(
    done_us: IntArray, as_of_day: int, sizes: FloatArray | None = None
) -> pd.Series:
    """Done cards per UTC day, every day from the first done day to the as-of day (zeros included).

    With ``sizes`` (one per done time) the sum of their sizes instead, as floats.
    """
    dtype = np.int64 if sizes is None else np.float64
    if len(done_us) == 0:
        return pd.Series([], index=pd.Index([], dtype=object), dtype=dtype, name="count")
    days = done_us // US_PER_DAY
    first = int(days.min())
    span = max(as_of_day - first + 1, 0)
    within = days <= as_of_day
    weights = None if sizes is None else sizes[within]
    days = days[within]
    counts = np.bincount(days - first, weights, minlength=span)[:span].astype(dtype)
    return pd.Series(counts, index=pd.Index(_days(first, span), dtype=object), name="count")


def week_numbers(done_us: IntArray) -> IntArray:
    """The Monday (a day number, UTC) of each time's ISO week."""
    days = done_us // US_PER_DAY
    # 1970-01-01 was a Thursday: day + 3 counts from the Monday before it.
    mondays: IntArray = days - (days + 3) % 7
    return mondays


def weekly_throughput(
    done_us: IntArray, as_of_day: int, sizes: FloatArray | None = None
) -> pd.DataFrame:
    """Done cards per ISO week (Monday, UTC), every week from the first done week to the as-of
    day's week, zeros included (done times after the as-of day are left out).

    With ``sizes`` (one per done time) the sum of their sizes instead, as floats.
    """
    dtype = np.int64 if sizes is None else np.float64
    within = done_us // US_PER_DAY <= as_of_day
    if not within.any():
        return pd.DataFrame({"week_start": pd.Series([], dtype=object), "count": []}).astype(
            {"count": dtype}
        )
    mondays = week_numbers(done_us[within])
    first = int(mondays.min())
    last = int(week_numbers(np.array([as_of_day * US_PER_DAY]))[0])
    span = (last - first) // 7 + 1
    weeks = (mondays - first) // 7
    weights = None if sizes is None else sizes[within]
    counts = np.bincount(weeks, weights, minlength=span)[:span].astype(dtype)
    starts = [_day(first + 7 * week) for week in range(span)]
    return pd.DataFrame({"week_start": starts, "count": counts})


def _occupancy(
    history: CardHistory,
    stages: int,
    first_day: int,
    days: int,
    *,
    archive_leaves: bool,
    card_sizes: FloatArray | None = None,
) -> IntArray | FloatArray:
    """Cards in each stage at the end of each day: a (days, stages) array.

    Each event moves a card from its previous position (the stage of its previous event, or
    nowhere) to the event's stage; an outside list is nowhere. With ``archive_leaves`` archiving
    also takes a card nowhere. With ``card_sizes`` (one per card) each card weighs its size.
    """
    keep = (
        np.ones(len(history.event_card), dtype=np.bool_)
        if archive_leaves
        else ~history.event_archive
    )
    cards = history.event_card[keep]
    stage = np.where(history.event_archive[keep], OUTSIDE, history.event_stage[keep])
    day = np.clip(history.event_us[keep] // US_PER_DAY - first_day, 0, None)
    previous = np.r_[OUTSIDE, stage[:-1]] if len(stage) else stage
    if len(cards):
        previous[np.r_[True, cards[1:] != cards[:-1]]] = OUTSIDE
    within = day < days
    enter = within & (stage >= 0)
    leave = within & (previous >= 0)
    size = days * stages
    weight = None if card_sizes is None else card_sizes[cards]
    entered = np.bincount(
        day[enter] * stages + stage[enter], None if weight is None else weight[enter], size
    )
    left = np.bincount(
        day[leave] * stages + previous[leave], None if weight is None else weight[leave], size
    )
    moved = (entered - left).reshape(days, stages).cumsum(axis=0)
    if card_sizes is not None:
        sized: FloatArray = np.round(moved, 9)
        return sized
    occupied: IntArray = moved.astype(np.int64)
    return occupied


def _day_range(history: CardHistory, as_of_day: int) -> tuple[int, int]:
    """First day with a workflow event, and the number of days up to the as-of day."""
    in_flow = history.event_stage >= 0
    if not in_flow.any():
        return as_of_day, 0
    first = int(history.event_us[in_flow].min() // US_PER_DAY)
    return first, max(as_of_day - first + 1, 0)


def cumulative_flow(
    history: CardHistory,
    workflow: Workflow,
    as_of_day: int,
    card_sizes: FloatArray | None = None,
) -> pd.DataFrame:
    """For each day, for each stage: cards in that stage or a later one at the end of the day.

    With ``card_sizes`` (one per card): the sum of their sizes instead.
    """
    stages = len(workflow.stages)
    first, days = _day_range(history, as_of_day)
    occupied = _occupancy(history, stages, first, days, archive_leaves=False, card_sizes=card_sizes)
    at_or_after = occupied[:, ::-1].cumsum(axis=1)[:, ::-1]
    frame = pd.DataFrame(at_or_after, columns=list(workflow.stage_names))
    frame.insert(0, "date", _days(first, days))
    return frame


def wip_over_time(history: CardHistory, workflow: Workflow, as_of_day: int) -> pd.DataFrame:
    """Open cards from the start list up to (not including) the done list, at the end of each day."""
    first, days = _day_range(history, as_of_day)
    occupied = _occupancy(history, len(workflow.stages), first, days, archive_leaves=True)
    wip = occupied[:, workflow.start_index : workflow.done_index].sum(axis=1)
    return pd.DataFrame({"date": _days(first, days), "wip": wip.astype(np.int64)})


def time_in_list(history: CardHistory, workflow: Workflow, as_of_us: int) -> pd.DataFrame:
    """Median days spent in each workflow list, over the cards that visited it.

    A visit lasts until the card's next event (a move anywhere, or its archiving); the last visit
    of a card lasts until the as-of time. Repeated visits of one card add up.
    """
    cards = history.event_card
    times = history.event_us
    last = np.r_[cards[1:] != cards[:-1], True] if len(cards) else np.zeros(0, dtype=np.bool_)
    following = np.r_[times[1:], as_of_us] if len(times) else times
    ends = np.where(last, as_of_us, following)
    spent = np.clip(ends - times, 0, None) / US_PER_DAY
    visits = (history.event_stage >= 0) & ~history.event_archive
    frame = pd.DataFrame(
        {"card": cards[visits], "stage": history.event_stage[visits], "days": spent[visits]}
    )
    per_card = frame.groupby(["stage", "card"], sort=False)["days"].sum()
    by_stage = per_card.groupby(level="stage")
    medians = by_stage.median()
    counts = by_stage.size()
    stages = range(len(workflow.stages))
    return pd.DataFrame(
        {
            "list": list(workflow.stage_names),
            "median_days": [float(medians.get(s, np.nan)) for s in stages],
            "cards": [int(counts.get(s, 0)) for s in stages],
        }
    )
