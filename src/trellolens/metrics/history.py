"""Card histories as flat numpy arrays: entering events, the clearing rule, start and done times.

Times are integers (microseconds since 1970-01-01 UTC) so every step is a numpy operation over one
array of events, never a Python loop per card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from trellolens.board import CARD_CREATION_TYPES, Board
from trellolens.board.model import id_timestamp
from trellolens.metrics.workflow import Workflow

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Action types that put a card into ``data.list`` (besides moves: ``updateCard`` with ``listAfter``).
CREATION_TYPES = frozenset(CARD_CREATION_TYPES)
#: Stands for "no timestamp" in the int64 time arrays (sorts after every real time).
MISSING = np.iinfo(np.int64).max
OUTSIDE = -1  # stage index of a list outside the workflow (or of no list at all)
US_PER_DAY = 86_400_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    return (moment - _EPOCH) // _ONE_US


def to_timestamps(values: IntArray) -> pd.DatetimeIndex:
    """int64 microseconds (``MISSING`` for none) -> tz-aware UTC timestamps (NaT for none)."""
    raw = np.where(values == MISSING, np.iinfo(np.int64).min, values).view("datetime64[us]")
    return pd.DatetimeIndex(raw).tz_localize("UTC")


@dataclass(frozen=True)
class CardHistory:
    """Every card's entering events, sorted by (card, time, action id), plus per-card facts.

    ``event_*`` arrays have one row per event; ``card_*`` arrays one row per card of ``board.cards``.
    ``event_archive`` marks the moment a (now archived) card was archived: it ends a visit and takes
    the card out of work in progress, but moves it nowhere in the cumulative flow.
    """

    event_card: IntArray
    event_us: IntArray
    event_stage: IntArray
    event_archive: BoolArray
    card_stage: IntArray
    card_closed: BoolArray
    card_exists: BoolArray  # False for cards not yet on the board at the rewind time
    card_without_creation: BoolArray
    card_unexplained_list: BoolArray
    kept: IntArray  # (cards, stages): entry time per stage after the clearing rule, else MISSING
    oldest_action_us: int | None
    #: Events that put the card into one of ``card_history``'s ``flagged_lists`` (blocked lists).
    event_flagged: BoolArray | None = None
    #: Events that put the card into one of ``card_history``'s ``waiting_lists`` (flow efficiency).
    event_waiting: BoolArray | None = None


class _Collector:
    """The one pass over ``board.actions`` (a Python loop is unavoidable: actions are objects)."""

    def __init__(self, board: Board) -> None:
        self.index = {card.id: i for i, card in enumerate(board.cards)}
        self.cards: list[int] = []
        self.times: list[int] = []
        self.ids: list[str] = []
        self.lists: list[str] = []
        self.created = np.zeros(len(board.cards), dtype=np.bool_)
        self.first_move: dict[int, tuple[int, str, str | None]] = {}
        self.archived_at: dict[int, int] = {}
        self.oldest: int | None = None
        self._collect(board)

    def _collect(self, board: Board) -> None:
        # Hot loop (one turn per action): attributes and methods bound to locals once.
        index_get = self.index.get
        archived_at, first_move, created = self.archived_at, self.first_move, self.created
        add_card, add_time = self.cards.append, self.times.append
        add_id, add_list = self.ids.append, self.lists.append
        oldest = self.oldest
        for action in board.actions:
            kind = action.type
            if kind == "updateCard":
                target = action.list_after_id
                if target is None:
                    if action.old_closed is False:
                        position = index_get(action.card_id or "")
                        if position is not None:
                            when = action.date_us
                            if when > archived_at.get(position, -(2**62)):
                                archived_at[position] = when
                    continue
            elif kind in CREATION_TYPES:
                target = action.list_id
            else:
                continue
            position = index_get(action.card_id or "")
            if position is None:
                continue
            when = action.date_us
            if oldest is None or when < oldest:
                oldest = when
            if kind == "updateCard":
                earliest = first_move.get(position)
                if earliest is None or (when, action.id) < earliest[:2]:
                    first_move[position] = (when, action.id, action.list_before_id)
            else:
                created[position] = True
            if target is None:
                continue
            add_card(position)
            add_time(when)
            add_id(action.id)
            add_list(target)
        self.oldest = oldest


def _synthetic_creations(board: Board, found: _Collector) -> None:
    """A card without a creation-type event starts at its id's timestamp in its first known list."""
    for position in np.flatnonzero(~found.created):
        card = board.cards[position]
        move = found.first_move.get(int(position))
        target = card.list_id if move is None else move[2]
        if target is None:
            continue
        born = id_timestamp(card.id)
        when = to_us(born) if born is not None else None
        if move is not None:
            when = move[0] if when is None else min(when, move[0])
        if when is None:
            continue
        found.cards.append(int(position))
        found.times.append(when)
        found.ids.append("")  # sorts before any real action at the same instant
        found.lists.append(target)


def _reconcile(board: Board, found: _Collector, order: IntArray) -> BoolArray:
    """Cards whose last event did not put them into their current list get an event that does.

    It happens when a card moved without a card action (its list moved between boards, say); the
    entry time is the card's last activity, or its last event when that is unknown.
    """
    cards = np.asarray(found.cards, dtype=np.int64)[order]
    times = np.asarray(found.times, dtype=np.int64)[order]
    last = np.flatnonzero(np.r_[cards[1:] != cards[:-1], True]) if len(cards) else cards
    lists = found.lists
    last_list = {
        card: (lists[row], moment)
        for card, row, moment in zip(
            cards[last].tolist(), order[last].tolist(), times[last].tolist(), strict=True
        )
    }
    unexplained = np.zeros(len(board.cards), dtype=np.bool_)
    for position, card in enumerate(board.cards):
        seen = last_list.get(position)
        if seen is None:  # no event at all: in its current list since its id's timestamp
            born = id_timestamp(card.id)
            if born is None:
                continue
            when = to_us(born)
        elif seen[0] == card.list_id:
            continue
        else:
            when = seen[1]
            if card.date_last_activity is not None:
                when = max(when, to_us(card.date_last_activity))
        unexplained[position] = True
        found.cards.append(position)
        found.times.append(when)
        found.ids.append("\uffff")  # after any real action at the same instant
        found.lists.append(card.list_id)
    return unexplained


def _sort_order(found: _Collector) -> IntArray:
    return event_order(
        np.asarray(found.cards, dtype=np.int64), np.asarray(found.times, dtype=np.int64), found.ids
    )


def event_order(cards: IntArray, times: IntArray, ids: list[str]) -> IntArray:
    """The order of events by (card, time, id), ties kept in place: ``np.lexsort`` on the three,
    without turning every id into a numpy string (only events that share card and time need it)."""
    order = np.lexsort((times, cards)).astype(np.int64)
    if len(order) < 2:
        return order
    tied = (cards[order][1:] == cards[order][:-1]) & (times[order][1:] == times[order][:-1])
    if not tied.any():
        return order
    # Runs of tied neighbours: each run is re-sorted by id (a stable sort keeps equal ids in place).
    edges = np.flatnonzero(np.diff(np.r_[0, tied.astype(np.int8), 0]))
    for first, last in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        run = order[first : last + 1].tolist()
        order[first : last + 1] = sorted(run, key=ids.__getitem__)
    return order


def kept_entry_times(
    event_card: IntArray, event_stage: IntArray, event_us: IntArray, cards: int, stages: int
) -> IntArray:
    """The clearing rule, one numpy pass per stage.

    Entering stage ``s`` clears every later stage and keeps the first entry of ``s`` itself. So the
    kept time of ``s`` is the first entry into ``s`` after the card's last entry into an earlier stage.
    Events must be sorted by (card, time); outside events (stage -1) are ignored.
    """
    kept = np.full((cards, stages), MISSING, dtype=np.int64)
    order = np.arange(len(event_card), dtype=np.int64)
    for stage in range(stages):
        earlier = (event_stage >= 0) & (event_stage < stage)
        last_earlier = np.full(cards, -1, dtype=np.int64)
        np.maximum.at(last_earlier, event_card[earlier], order[earlier])
        here = (event_stage == stage) & (order > last_earlier[event_card])
        column = kept[:, stage].copy()
        np.minimum.at(column, event_card[here], event_us[here])
        kept[:, stage] = column
    return kept


def _archivings(board: Board, found: _Collector) -> None:
    """An archived card (or a card in an archived list) leaves the work in progress when archived.

    Without its archiving action (history cut off, or the list was archived), that is its last
    activity, and never before its last event.
    """
    cards = np.asarray(found.cards, dtype=np.int64)
    latest = np.full(len(board.cards), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(latest, cards, np.asarray(found.times, dtype=np.int64))
    has_event = np.bincount(cards, minlength=len(board.cards)) > 0
    closed_lists = {lst.id for lst in board.lists if lst.closed}
    for position, card in enumerate(board.cards):
        if not (card.closed or card.list_id in closed_lists) or not has_event[position]:
            continue
        last_event = int(latest[position])
        archived = found.archived_at.get(position) if card.closed else None
        activity = card.date_last_activity
        if archived is not None:
            when = archived
        else:
            when = last_event if activity is None else to_us(activity)
        found.cards.append(position)
        found.times.append(max(when, last_event))
        found.ids.append("\uffff\uffff")  # after any real action at the same instant
        found.lists.append("")


def card_history(
    board: Board,
    workflow: Workflow,
    rewind_to_us: int | None = None,
    flagged_lists: frozenset[str] = frozenset(),
    waiting_lists: frozenset[str] = frozenset(),
) -> CardHistory:
    """Collect, complete, sort and stage every card's entering events.

    With ``rewind_to_us``, the board as it stood then: later events are dropped (see ``_state_at``).
    Events into ``flagged_lists`` (list ids) are marked in ``event_flagged``.
    """
    found = _Collector(board)
    _synthetic_creations(board, found)
    unexplained = _reconcile(board, found, _sort_order(found))
    _archivings(board, found)
    stage_of = workflow.index_by_list_id()
    event_card = np.asarray(found.cards, dtype=np.int64)
    event_us = np.asarray(found.times, dtype=np.int64)
    # Each distinct list once: its stage, archive mark ("") and membership of the chosen lists.
    codes: dict[str, int] = {}
    event_list = np.asarray([codes.setdefault(n, len(codes)) for n in found.lists], np.int64)
    names = list(codes)
    event_stage = np.asarray([stage_of.get(name, OUTSIDE) for name in names], np.int64)[event_list]
    archive = np.asarray([name == "" for name in names], dtype=np.bool_)[event_list]
    flagged = _into(names, flagged_lists)[event_list]
    waiting = _into(names, waiting_lists)[event_list]
    had_events = np.bincount(event_card, minlength=len(board.cards)) > 0
    order = event_order(event_card, event_us, found.ids)
    if rewind_to_us is not None:  # the sorted events up to then (a stable sort: same order)
        order = order[event_us[order] <= rewind_to_us]
    event_card, event_us = event_card[order], event_us[order]
    event_stage, archive, flagged = event_stage[order], archive[order], flagged[order]
    waiting = waiting[order]
    card_stage, card_closed = _cards_now(board, stage_of)
    card_exists = np.ones(len(board.cards), dtype=np.bool_)
    if rewind_to_us is not None:
        card_stage, card_closed, card_exists = _state_at(
            event_card, event_stage, archive, had_events, card_stage, card_closed
        )
    moves = ~archive
    counts = (len(board.cards), len(workflow.stages))
    kept = kept_entry_times(event_card[moves], event_stage[moves], event_us[moves], *counts)
    return CardHistory(
        event_card=event_card,
        event_us=event_us,
        event_stage=event_stage,
        event_archive=archive,
        card_stage=card_stage,
        card_closed=card_closed,
        card_exists=card_exists,
        card_without_creation=~found.created,
        card_unexplained_list=unexplained,
        kept=kept,
        oldest_action_us=found.oldest,
        event_flagged=flagged if flagged_lists else None,
        event_waiting=waiting if waiting_lists else None,
    )


def _cards_now(board: Board, stage_of: dict[str, int]) -> tuple[IntArray, BoolArray]:
    """Each card's stage (``OUTSIDE`` when its list is not one) and whether it is closed (or
    in a closed list), as the board holds them now."""
    card_stage = np.asarray(
        [stage_of.get(card.list_id, OUTSIDE) for card in board.cards], dtype=np.int64
    )
    closed_lists = {lst.id for lst in board.lists if lst.closed}
    card_closed = np.asarray(
        [card.closed or card.list_id in closed_lists for card in board.cards], dtype=np.bool_
    )
    return card_stage, card_closed


def _into(lists: list[str], chosen: frozenset[str]) -> BoolArray:
    """Which events put the card into one of the ``chosen`` lists."""
    if not chosen:
        return np.zeros(len(lists), dtype=np.bool_)
    return np.asarray([name in chosen for name in lists], dtype=np.bool_)


def _state_at(
    event_card: IntArray,
    event_stage: IntArray,
    archive: BoolArray,
    had_events: BoolArray,
    stage_now: IntArray,
    closed_now: BoolArray,
) -> tuple[IntArray, BoolArray, BoolArray]:
    """Each card's stage, archived flag and existence after the (already cut) sorted events.

    A card is where its last remaining move put it, archived if its archiving remains, and does
    not exist yet when all its events were cut. A card without any event keeps its current state.
    """
    cards = len(stage_now)
    row = np.arange(len(event_card), dtype=np.int64)
    moves = ~archive
    last_move = np.full(cards, -1, dtype=np.int64)
    np.maximum.at(last_move, event_card[moves], row[moves])
    moved = last_move >= 0
    stage = np.full(cards, OUTSIDE, dtype=np.int64)
    stage[moved] = event_stage[last_move[moved]]
    archived = np.zeros(cards, dtype=np.bool_)
    archived[event_card[archive]] = True
    never = ~had_events
    stage[never] = stage_now[never]
    exists = moved | archived | never
    return stage, archived | (never & closed_now), exists


def start_and_done(history: CardHistory, workflow: Workflow) -> tuple[IntArray, IntArray]:
    """Per card: start = earliest kept time at or after the start stage; done = kept done time."""
    kept = history.kept
    started = kept[:, workflow.start_index :].min(axis=1) if len(kept) else kept[:, 0]
    return started, kept[:, workflow.done_index]


def card_stage_times(board: Board, workflow: Workflow) -> pd.DataFrame:
    """Per card: current list and stage, start and done times, and the kept entry time of each stage.

    Columns: card_id, name, list, stage_index (-1 outside the workflow), closed, started, done, then
    one column per ``workflow.stage_names`` (tz-aware UTC timestamps, NaT when not reached).
    """
    history = card_history(board, workflow)
    return stage_times_frame(board, workflow, history)


def stage_times_frame(board: Board, workflow: Workflow, history: CardHistory) -> pd.DataFrame:
    started, done = start_and_done(history, workflow)
    names = {lst.id: lst.name for lst in board.lists}
    frame = pd.DataFrame(
        {
            "card_id": [card.id for card in board.cards],
            "name": [card.name for card in board.cards],
            "list": [names.get(card.list_id, "") for card in board.cards],
            "stage_index": history.card_stage,
            "closed": history.card_closed,
            "started": to_timestamps(started),
            "done": to_timestamps(done),
        }
    )
    for column, stage_name in enumerate(workflow.stage_names):
        frame[stage_name] = to_timestamps(history.kept[:, column])
    return frame
