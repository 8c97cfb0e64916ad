"""A forecast for every backlog card: "when will *this* card be done?" at 50/85/95 %.

Each trial replays daily throughput drawn from the sampling window (as ``forecast_when`` does): the
cards in progress are finished first, then the backlog cards one by one in board order, so the
k-th backlog card is done on the first simulated day by which ``wip + k`` cards are done. With
scope growth every simulated day also adds that window day's arrivals at the end of the backlog.
Vectorised over trials: no Python loop per trial or per card, and no trials x cards matrix (per
simulated day it counts how many trials have finished how many cards).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from trellolens.metrics.forecast import LEVELS, MAX_HORIZON_DAYS, _rank, sample_window
from trellolens.metrics.history import US_PER_DAY, CardHistory, IntArray
from trellolens.metrics.workflow import Workflow

if TYPE_CHECKING:
    from trellolens.board import Board
    from trellolens.metrics.calendar import WorkCalendar

#: Trials are simulated in groups of this many (bounds the memory of the day-by-day arrays).
_TRIAL_BLOCK = 2_000
_NEVER = np.iinfo(np.int16).max  # above MAX_HORIZON_DAYS


@dataclass(frozen=True)
class BacklogCard:
    """A card of the backlog, in the order it will be worked."""

    card_id: str
    name: str
    list: str
    url: str


@dataclass(frozen=True)
class BacklogForecast:
    """Per backlog card (``cards``, in order), the dates by which it is done in 50/85/95 %.

    ``dates`` has one row per card and one column per level (None: not within 20 years).
    ``arrivals`` (with scope growth) is how many cards were added to the backlog by the day its
    last card was done, at the 50/85/95th percentile of the trials; None without scope growth.
    """

    cards: tuple[BacklogCard, ...]
    dates: tuple[tuple[date | None, date | None, date | None], ...]
    wip: int
    trials: int
    window_days: int
    scope_growth: bool
    arrivals: tuple[float, float, float] | None = None

    def table(self) -> pd.DataFrame:
        """One row per card: position, card_id, name, list, url, p50, p85, p95."""
        columns = {f"p{level}": [row[i] for row in self.dates] for i, level in enumerate(LEVELS)}
        return pd.DataFrame(
            {
                "position": range(1, len(self.cards) + 1),
                "card_id": [card.card_id for card in self.cards],
                "name": [card.name for card in self.cards],
                "list": [card.list for card in self.cards],
                "url": [card.url for card in self.cards],
                **columns,
            }
        )


def backlog_cards(
    board: Board, workflow: Workflow, history: CardHistory
) -> tuple[BacklogCard, ...]:
    """Open cards (at the as-of time) in the workflow lists before the start list, in board order:
    by list (workflow order), then by the card's position in its list, then by id."""
    stage = history.card_stage
    waiting = (stage >= 0) & (stage < workflow.start_index) & ~history.card_closed
    waiting &= history.card_exists
    positions = np.flatnonzero(waiting)
    cards = board.cards
    order = sorted(positions, key=lambda p: (stage[p], cards[p].pos, cards[p].id))
    names = workflow.stage_names
    return tuple(
        BacklogCard(cards[p].id, cards[p].name, names[stage[p]], cards[p].short_url) for p in order
    )


def daily_arrivals(
    history: CardHistory, workflow: Workflow, first_day: int, as_of_day: int
) -> pd.Series:
    """Cards that entered the backlog per UTC day from ``first_day`` to the as-of day: a card
    arrives with its first event into a workflow list before the start list."""
    into_backlog = (history.event_stage >= 0) & (history.event_stage < workflow.start_index)
    into_backlog &= ~history.event_archive
    cards = history.event_card[into_backlog]
    times = history.event_us[into_backlog]
    first_of_card = np.r_[True, cards[1:] != cards[:-1]] if len(cards) else cards.astype(bool)
    days = times[first_of_card] // US_PER_DAY
    span = max(as_of_day - first_day + 1, 0)
    days = days[(days >= first_day) & (days <= as_of_day)]
    counts = np.bincount(days - first_day, minlength=span)[:span].astype(np.int64)
    index = pd.Index([date(1970, 1, 1) + timedelta(days=first_day + n) for n in range(span)])
    return pd.Series(counts, index=index, name="count")


def _levels_by_day(done: IntArray, wip: int, count: int) -> IntArray:
    """(span, count + 1): per simulated day, how many trials (rows of the running totals ``done``)
    had finished ``wip + v`` cards by its end, for v = 0..count (v = 0 also counts fewer)."""
    span = done.shape[1]
    level = np.clip(done, wip, wip + count) - wip
    level += np.arange(span, dtype=np.int64) * (count + 1)
    counts = np.bincount(level.ravel(), minlength=span * (count + 1))
    return counts.reshape(span, count + 1)


def _add_block(total: IntArray, block: IntArray, earlier_trials: int) -> IntArray:
    """``total`` plus one block's counts; the shorter one is padded with trials that reached every
    level (a block only stops short of the longest span when all its trials finished every card)."""
    span = max(len(total), len(block))
    padded = []
    for counts, trials in ((total, earlier_trials), (block, int(block[0].sum()))):
        extra = np.zeros((span - len(counts), counts.shape[1]), dtype=np.int64)
        extra[:, -1] = trials
        padded.append(np.concatenate([counts, extra]))
    summed: IntArray = padded[0] + padded[1]
    return summed


def _simulate(
    throughput: IntArray,
    arrivals: IntArray | None,
    wip: int,
    count: int,
    trials: int,
    seed: int | None,
) -> tuple[IntArray, npt.NDArray[np.float64] | None]:
    """Per simulated day, how many trials had finished ``wip + v`` cards (see ``_levels_by_day``);
    and per trial the arrivals up to the day its last backlog card was done."""
    rng = np.random.default_rng(seed)
    mean = float(throughput.mean())
    goal = wip + count
    horizon = int(min(MAX_HORIZON_DAYS, np.ceil(goal / mean * 1.5) + 30))
    total = np.zeros((0, count + 1), dtype=np.int64)
    added = np.zeros(trials, dtype=np.float64) if arrivals is not None else None
    for first in range(0, trials, _TRIAL_BLOCK):
        rows = min(_TRIAL_BLOCK, trials - first)
        span = horizon
        while True:
            picks = rng.integers(0, len(throughput), size=(rows, span))
            done = throughput[picks].cumsum(axis=1)
            if (done[:, -1] >= goal).all() or span >= MAX_HORIZON_DAYS:
                break
            span = min(span * 2, MAX_HORIZON_DAYS)
        total = _add_block(total, _levels_by_day(done, wip, count), first)
        if added is not None and arrivals is not None:
            # the day the last card was done (the last simulated day when it never was)
            last = np.minimum((done < goal).sum(axis=1) + 1, span)
            on_day = arrivals[picks].cumsum(axis=1)
            added[first : first + rows] = on_day[np.arange(rows), last - 1]
    return total, added


def forecast_backlog(
    daily_throughput: pd.Series,
    cards: tuple[BacklogCard, ...],
    wip: int,
    *,
    start: date,
    trials: int = 10_000,
    window_days: int = 56,
    seed: int | None = None,
    calendar: WorkCalendar | None = None,
    arrivals: pd.Series | None = None,
) -> BacklogForecast:
    """When each backlog card is done: work in progress first, then the cards in order.

    With ``arrivals`` (daily cards into the backlog, same days as ``daily_throughput``) the
    scope grows: each simulated day adds the arrivals of the same window day it drew.
    """
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")
    window = sample_window(daily_throughput, start, window_days, calendar)
    growth = None
    if arrivals is not None:
        growth = sample_window(
            arrivals.reindex(daily_throughput.index, fill_value=0), start, window_days, calendar
        )
    empty = (None, None, None)
    if not cards or len(window) == 0 or not window.any():
        return BacklogForecast(
            cards, tuple(empty for _ in cards), wip, trials, window_days, arrivals is not None
        )
    levels, added = _simulate(window, growth, wip, len(cards), trials, seed)
    ranks = [_rank(trials, level) for level in LEVELS]
    dates = _to_dates(_ranked_days(levels, ranks), start, calendar)
    found = None
    if added is not None:
        p50, p85, p95 = (float(v) for v in np.percentile(added, LEVELS))
        found = (p50, p85, p95)
    return BacklogForecast(cards, dates, wip, trials, window_days, arrivals is not None, found)


def _ranked_days(levels: IntArray, ranks: list[int]) -> npt.NDArray[np.int16]:
    """Per backlog card, the ``ranks``-th smallest day over the trials on which it was done:
    (cards, levels), ``_NEVER`` when that is after the last simulated day.

    Card k is done in a trial by day d when that trial finished ``wip + k`` cards by then, so the
    trials that have it done by day d are those at level k or above on day d; that number never
    falls from one day to the next, and the answer is the first day on which it exceeds the rank.
    """
    at_least = levels[:, ::-1].cumsum(axis=1)[:, ::-1][:, 1:]  # (days, cards)
    span = len(at_least)
    short = np.stack([(at_least <= rank).sum(axis=0) for rank in ranks], axis=1)
    return np.where(short >= span, _NEVER, short + 1).astype(np.int16)


def _to_dates(
    days: npt.NDArray[np.int16], start: date, calendar: WorkCalendar | None
) -> tuple[tuple[date | None, date | None, date | None], ...]:
    """Simulated day numbers -> dates (the N-th working day with a calendar); never -> None."""
    real = days[days <= MAX_HORIZON_DAYS]
    longest = int(real.max()) if len(real) else 0
    if calendar is None:
        lookup = [start + timedelta(days=n) for n in range(longest + 1)]
    else:
        lookup = [start, *calendar.working_days_after(start, longest)]
    rows = []
    for row in days.tolist():
        picked = [lookup[d] if d <= MAX_HORIZON_DAYS and d < len(lookup) else None for d in row]
        rows.append((picked[0], picked[1], picked[2]))
    return tuple(rows)
