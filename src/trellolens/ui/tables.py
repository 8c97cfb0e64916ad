"""Board -> pandas tables for the dashboard: cards, due-date buckets, breakdowns and CSV.

Pure pandas, no Streamlit, so every rule here is unit-testable. Due-date buckets take the
as-of time ``now`` as an argument. The dashboard passes the current time for every board,
an uploaded export included: a due date says what needs doing relative to today, so a card
due last year is "overdue" even in an old export. (History metrics, which replay an
export as of its newest action, are a different question and live in ``trellolens.metrics``.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from trellolens.board import Board, Card, Label, TrelloList

OVERDUE = "overdue"
DUE_SOON = "due within 7 days"
LATER = "later"
NO_DUE_DATE = "no due date"
COMPLETE = "complete"
DUE_BUCKETS = (OVERDUE, DUE_SOON, LATER, NO_DUE_DATE, COMPLETE)
"""Every due bucket, in the order the dashboard shows them."""

DUE_SOON_WINDOW = timedelta(days=7)

# Columns of the cards table, in display order; the CSV download has exactly these.
CARD = "Card"
LIST = "List"
LABELS = "Labels"
MEMBERS = "Members"
DUE = "Due"
DUE_BUCKET = "Due bucket"
LAST_ACTIVITY = "Last activity"
ARCHIVED = "Archived"
LINK = "Link"
CARD_COLUMNS = (CARD, LIST, LABELS, MEMBERS, DUE, DUE_BUCKET, LAST_ACTIVITY, ARCHIVED, LINK)

CSV_LIST_SEPARATOR = "; "


def due_bucket(due: datetime | None, due_complete: bool, now: datetime) -> str:
    """The due bucket of one card as of ``now`` (a time-zone-aware datetime).

    A card marked complete is "complete" whatever its date; otherwise a due date before
    ``now`` is overdue, one up to seven days after ``now`` is due soon, and later is later.
    """
    if due_complete:
        return COMPLETE
    if due is None:
        return NO_DUE_DATE
    if due < now:
        return OVERDUE
    if due <= now + DUE_SOON_WINDOW:
        return DUE_SOON
    return LATER


def label_name(label: Label) -> str:
    """What a label is called on screen: its name, else its colour (2014-era exports)."""
    return label.name or f"({label.color or 'no colour'})"


def slug(text: str) -> str:
    """A file-name-safe ASCII slug: ``"Ärger & Co!"`` -> ``"arger-co"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "board"


def cards_table(board: Board, now: datetime) -> pd.DataFrame:
    """One row per card, open and archived, with the columns of ``CARD_COLUMNS``.

    ``Archived`` is true for an archived card and for every card of an archived list.
    Labels and members are lists of names; dates are UTC timestamps (or NaT).
    """
    rows = [_card_row(board, card, now) for card in _cards_in_board_order(board)]
    frame = pd.DataFrame(rows, columns=list(CARD_COLUMNS))
    for column in (DUE, LAST_ACTIVITY):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame[ARCHIVED] = frame[ARCHIVED].astype(bool)
    return frame


def _cards_in_board_order(board: Board) -> list[Card]:
    list_rank = {lst.id: rank for rank, lst in enumerate(sorted(board.lists, key=_list_key))}
    unknown = len(list_rank)
    return sorted(board.cards, key=lambda card: (list_rank.get(card.list_id, unknown), card.pos))


def _list_key(lst: TrelloList) -> tuple[bool, float]:
    return lst.closed, lst.pos


def _card_row(board: Board, card: Card, now: datetime) -> dict[str, object]:
    trello_list = board.lists_by_id.get(card.list_id)
    labels = [label_name(board.labels_by_id[i]) for i in card.label_ids if i in board.labels_by_id]
    members = [
        board.members_by_id[i].full_name for i in card.member_ids if i in board.members_by_id
    ]
    return {
        CARD: card.name,
        LIST: trello_list.name if trello_list else "(unknown list)",
        LABELS: labels,
        MEMBERS: members,
        DUE: card.due,
        DUE_BUCKET: due_bucket(card.due, card.due_complete, now),
        LAST_ACTIVITY: card.date_last_activity,
        ARCHIVED: card.closed or bool(trello_list and trello_list.closed),
        LINK: card.short_url or None,
    }


@dataclass(frozen=True, slots=True)
class CardFilter:
    """What the visitor chose in the sidebar; an empty selection means "any"."""

    lists: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    due_buckets: tuple[str, ...] = ()
    include_archived: bool = False


def filter_cards(frame: pd.DataFrame, chosen: CardFilter) -> pd.DataFrame:
    """Rows of a ``cards_table`` that match every chosen filter (any of the values within one)."""
    keep = pd.Series(True, index=frame.index)
    if not chosen.include_archived:
        keep &= ~frame[ARCHIVED]
    if chosen.lists:
        keep &= frame[LIST].isin(chosen.lists)
    if chosen.due_buckets:
        keep &= frame[DUE_BUCKET].isin(chosen.due_buckets)
    if chosen.labels:
        keep &= frame[LABELS].map(_shares_any(chosen.labels)).astype(bool)
    if chosen.members:
        keep &= frame[MEMBERS].map(_shares_any(chosen.members)).astype(bool)
    return frame.loc[keep].reset_index(drop=True)


def _shares_any(wanted: Collection[str]) -> Callable[[Iterable[str]], bool]:
    wanted_set = frozenset(wanted)

    def check(values: Iterable[str]) -> bool:
        return not wanted_set.isdisjoint(values)

    return check


def cards_csv(frame: pd.DataFrame) -> bytes:
    """The CSV download of a cards table: the same rows and columns, lists joined with "; ".

    Text that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR; card
    names come from whoever made the board) gets a leading ``'``, as OWASP advises for CSV.
    """
    out = frame.copy()
    for column in (LABELS, MEMBERS):
        if column in out.columns:
            out[column] = out[column].map(CSV_LIST_SEPARATOR.join)
    for column in (CARD, LIST, LABELS, MEMBERS, DUE_BUCKET, LINK):
        if column in out.columns:
            out[column] = out[column].map(_defuse_formula)
    for column in (DUE, LAST_ACTIVITY):
        if column in out.columns:
            out[column] = out[column].map(_iso_or_empty)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Any table as a safe CSV: the defusing of ``cards_csv`` applied to every text cell and header.

    Timestamps become ISO 8601 (empty when missing); numbers are left as they are.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.map(_iso_or_empty)
        elif not pd.api.types.is_numeric_dtype(values):
            out[column] = values.map(_defuse_formula)
    out.columns = pd.Index([_defuse_formula(str(name)) for name in out.columns])
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _defuse_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _iso_or_empty(value: object) -> str:
    return value.isoformat() if isinstance(value, pd.Timestamp) else ""


def open_cards(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[~frame[ARCHIVED]].reset_index(drop=True)


def list_counts(board: Board) -> pd.DataFrame:
    """Every open list in board order with its open-card count (columns ``List``, ``Cards``)."""
    counts: dict[str, int] = {}
    for card in board.cards:
        if not card.closed:
            counts[card.list_id] = counts.get(card.list_id, 0) + 1
    rows = [(lst.name, counts.get(lst.id, 0)) for lst in board.open_lists]
    return pd.DataFrame(rows, columns=[LIST, "Cards"])


def breakdown(frame: pd.DataFrame, column: str, empty: str) -> pd.DataFrame:
    """Cards per value of a list column (``Labels`` or ``Members``), most frequent first.

    A card with two labels counts once for each; a card with none counts under ``empty``.
    """
    values = frame[column].map(lambda names: list(names) or [empty]).explode()
    counts = values.value_counts(sort=False).rename("Cards").rename_axis(column).reset_index()
    return counts.sort_values(["Cards", column], ascending=[False, True]).reset_index(drop=True)


def due_bucket_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Cards per due bucket, every bucket present in ``DUE_BUCKETS`` order (zeros included)."""
    counts = frame[DUE_BUCKET].value_counts()
    rows = [(bucket, int(counts.get(bucket, 0))) for bucket in DUE_BUCKETS]
    return pd.DataFrame(rows, columns=[DUE_BUCKET, "Cards"])
