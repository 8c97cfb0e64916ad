"""Blocked time: a card is blocked while it carries a blocked label or sits in a blocked list.

Label periods come from ``addLabelToCard``/``removeLabelFromCard`` actions; list periods from the
card's entering events (a visit lasts until its next event). Periods of one card that overlap count
once. Only blocked time inside the card's cycle (start to done, or start to the as-of time for work
in progress) counts, so blocked time never exceeds cycle time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from trellolens.board import Board
from trellolens.board.model import id_timestamp
from trellolens.metrics.history import MISSING, BoolArray, CardHistory, IntArray, to_us
from trellolens.metrics.options import BlockedRule, label_ids_named, unknown_label
from trellolens.metrics.series import FloatArray
from trellolens.metrics.workflow import find_list

LABEL_ACTIONS = {"addLabelToCard": 1, "removeLabelFromCard": -1}
#: (card, start, end) of blocked periods, and the number of cards with an unrecorded label.
Periods = tuple[IntArray, IntArray, IntArray, int]


@dataclass(frozen=True)
class BlockedCards:
    """Per card of ``board.cards``: blocked days within its cycle, blocked at the as-of time."""

    days: FloatArray
    now: BoolArray
    #: Cards carrying a blocked label with no action that added it (assumed since creation), or
    #: no longer carrying one that no action removed (assumed removed at their last activity).
    cards_with_unrecorded_label: int


def blocked_list_ids(board: Board, rule: BlockedRule) -> frozenset[str]:
    return frozenset(find_list(board, name).id for name in rule.lists)


def blocked_label_ids(board: Board, rule: BlockedRule) -> frozenset[str]:
    """Ids of the blocked labels on the board, and of deleted ones that actions carried.

    A name (or id) that no label of the board has and no label action ever carried is an error.
    """
    found: set[str] = set()
    for name in rule.labels:
        # A label of the board; else a deleted one that label actions carried.
        ids = label_ids_named(board, name) or _history_label_ids(board, name)
        if not ids:
            raise unknown_label(board, name, in_history=True)
        found |= ids
    return frozenset(found)


def _history_label_ids(board: Board, wanted: str) -> frozenset[str]:
    """Ids of labels named ``wanted`` (any case) or with that id in label actions' data."""
    folded = wanted.strip().casefold()
    found: set[str] = set()
    for action in board.actions:
        if action.type not in LABEL_ACTIONS:
            continue
        label = action.data.get("label")
        if not isinstance(label, dict):
            continue
        label_id, name = label.get("id"), label.get("name")
        if not isinstance(label_id, str):
            continue
        if label_id == wanted or (isinstance(name, str) and name.strip().casefold() == folded):
            found.add(label_id)
    return frozenset(found)


def _label_periods(
    board: Board, rule: BlockedRule, label_ids: frozenset[str]
) -> tuple[list[int], list[int], list[int], int]:
    """(card, start, end) of every blocked-label period, whole history; and unrecorded cards."""
    names = {name.strip().casefold() for name in rule.labels}
    index = {card.id: i for i, card in enumerate(board.cards)}
    seen: list[tuple[int, int, str, int]] = []
    label_step, index_get = LABEL_ACTIONS.get, index.get  # bound once: one turn per action
    for action in board.actions:
        step = label_step(action.type)
        if step is None:
            continue
        position = index_get(action.card_id or "")
        label = action.data.get("label")
        if position is None or not isinstance(label, dict):
            continue
        name = label.get("name")
        if label.get("id") in label_ids or (
            isinstance(name, str) and name.strip().casefold() in names
        ):
            seen.append((position, action.date_us, action.id, step))
    seen.sort()
    cards: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    state: dict[int, tuple[int, int]] = {}  # card -> (blocked since, or -1; last label event)
    for position, when, _, step in seen:
        since, _last = state.get(position, (-1, when))
        if step > 0 and since < 0:
            state[position] = (when, when)
        elif step < 0 and since >= 0:
            cards.append(position)
            starts.append(since)
            ends.append(when)
            state[position] = (-1, when)
        else:
            state[position] = (since, when)
    unrecorded = 0
    for position, card in enumerate(board.cards):
        since, last = state.get(position, (-1, -1))
        carries = not label_ids.isdisjoint(card.label_ids)
        end = MISSING - 1  # still blocked
        if carries and since < 0:
            born = id_timestamp(card.id)
            since = max(last, to_us(born) if born is not None else last)
            unrecorded += 1
        elif not carries and since >= 0:
            activity = card.date_last_activity
            end = max(last, to_us(activity)) if activity is not None else last
            unrecorded += 1
        if since >= 0:
            cards.append(position)
            starts.append(since)
            ends.append(end)
    return cards, starts, ends, unrecorded


def blocked_cards(
    board: Board,
    rule: BlockedRule,
    history: CardHistory,
    window_start: IntArray,
    window_end: IntArray,
    as_of_us: int,
    measure: Callable[[IntArray, IntArray], FloatArray],
    periods: Periods | None = None,
) -> BlockedCards:
    """Blocked time of each card between ``window_start`` and ``window_end`` (MISSING: none).

    ``periods``: ``blocked_periods``' answer when the caller already has it.
    """
    card, start, end, unrecorded = periods or blocked_periods(board, rule, history, as_of_us)
    # Blocked at the as-of time: after every action at or before it, so a period that starts
    # exactly then has begun and one that ends exactly then is over (periods are [start, end)).
    now = np.zeros(len(window_start), dtype=bool)
    now[card[(start <= as_of_us) & (end > as_of_us)]] = True
    days = _union_inside(card, start, np.minimum(end, as_of_us), window_start, window_end, measure)
    return BlockedCards(days, now, unrecorded)


def blocked_periods(
    board: Board, rule: BlockedRule, history: CardHistory, as_of_us: int
) -> Periods:
    """(card, start, end) of every blocked period known at the as-of time, not cut at it (an
    ongoing period ends at ``MISSING``); and the cards with an unrecorded label."""
    label_ids = blocked_label_ids(board, rule)
    cards, starts, ends, unrecorded = _label_periods(board, rule, label_ids)
    card = np.asarray(cards, dtype=np.int64)
    start = np.asarray(starts, dtype=np.int64)
    end = np.asarray(ends, dtype=np.int64)
    # Nothing after the as-of time is known (or it is the future).
    known = start <= as_of_us
    card, start, end = card[known], start[known], end[known]
    end = np.where(end > as_of_us, MISSING, end)
    if history.event_flagged is not None:
        visit_card, visit_start, visit_end = list_periods(history, history.event_flagged)
        card = np.r_[card, visit_card]
        start = np.r_[start, visit_start]
        end = np.r_[end, visit_end]
    return card, start, end, unrecorded


def list_periods(history: CardHistory, flagged: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """Visits that the ``flagged`` events began: to the card's next event, else ongoing (MISSING)."""
    cards, times = history.event_card, history.event_us
    last = np.r_[cards[1:] != cards[:-1], True] if len(cards) else np.zeros(0, dtype=bool)
    following = np.r_[times[1:], MISSING] if len(times) else times
    ends = np.where(last, MISSING, following)
    return cards[flagged], times[flagged], ends[flagged]


def union_segments(
    card: IntArray, start: IntArray, end: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Each card's periods as disjoint segments (a running count over sorted boundaries)."""
    keep = end > start
    card, start, end = card[keep], start[keep], end[keep]
    points_card = np.r_[card, card]
    points_time = np.r_[start, end]
    points_step = np.r_[np.ones(len(card), np.int64), -np.ones(len(card), np.int64)]
    order = np.lexsort((points_step, points_time, points_card))
    points_card, points_time = points_card[order], points_time[order]
    running = np.cumsum(points_step[order])
    if len(points_card) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    seg_card = points_card[:-1]
    open_ = (running[:-1] > 0) & (points_card[1:] == seg_card)
    return seg_card[open_], points_time[:-1][open_], points_time[1:][open_]


def time_inside(
    seg_card: IntArray,
    seg_start: IntArray,
    seg_end: IntArray,
    window_start: IntArray,
    window_end: IntArray,
    measure: Callable[[IntArray, IntArray], FloatArray],
) -> FloatArray:
    """Per card, the measured time of its (disjoint) segments inside its window."""
    lo = np.maximum(seg_start, window_start[seg_card])
    hi = np.minimum(seg_end, window_end[seg_card])
    inside = (window_start[seg_card] != MISSING) & (hi > lo)
    spent = measure(lo[inside], hi[inside])
    days: FloatArray = np.bincount(seg_card[inside], spent, minlength=len(window_start)).astype(
        np.float64
    )
    return days


def _union_inside(
    card: IntArray,
    start: IntArray,
    end: IntArray,
    window_start: IntArray,
    window_end: IntArray,
    measure: Callable[[IntArray, IntArray], FloatArray],
) -> FloatArray:
    """Union of each card's periods inside its window, measured."""
    seg_card, seg_start, seg_end = union_segments(card, start, end)
    return time_inside(seg_card, seg_start, seg_end, window_start, window_end, measure)
