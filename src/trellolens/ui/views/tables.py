"""Board -> pandas tables for the dashboard: cards, due-date buckets, breakdowns and CSV.

Pure pandas, no Streamlit, so every rule here is unit-testable. Due-date buckets take the
as-of time ``now`` as an argument. The dashboard passes the current time for every board,
an uploaded export included: a due date says what needs doing relative to today, so a card
due last year is "overdue" even in an old export. (History metrics, which replay an
export as of its newest action, are a different question and live in ``trellolens.metrics``.)
"""

from __future__ import annotations

import csv
import io
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
MAX_SLUG_CHARS = 80
MAX_FILE_NAME_CHARS = 100
"""Downloads are named after the board: a 300-character name must not make a 300-character file."""


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


def slug(text: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """A file-name-safe ASCII slug of at most ``max_chars``: ``"Ärger & Co!"`` -> ``"arger-co"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    dashed = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return dashed[:max_chars].rstrip("-") or "board"


def download_file_name(board_name: str, what: str) -> str:
    """``"<board slug>-<what>.csv"``, at most ``MAX_FILE_NAME_CHARS`` long whatever the name."""
    suffix = f"-{slug(what)}.csv"
    return f"{slug(board_name, MAX_FILE_NAME_CHARS - len(suffix))}{suffix}"


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
    names come from whoever made the board) gets a leading ``'``, as OWASP advises for CSV:
    each label and member before they are joined, so none hides behind the first one.
    """
    out = frame.copy()
    for column in (LABELS, MEMBERS):
        if column in out.columns:
            out[column] = out[column].map(_defused_join)
    for column in (CARD, LIST, LABELS, MEMBERS, DUE_BUCKET, LINK):
        if column in out.columns:
            out[column] = out[column].map(_defuse_formula)
    for column in (DUE, LAST_ACTIVITY):
        if column in out.columns:
            out[column] = out[column].map(_iso_or_empty)
    return _csv_bytes(out)


CSV_DECIMALS = 4
"""Places kept in a CSV's fractions: 4 (a day to about 9 seconds), not float noise."""


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Any table as a safe CSV: the defusing of ``cards_csv`` applied to every text cell and header.

    Timestamps become ISO 8601 (empty when missing); fractions are rounded to
    ``CSV_DECIMALS`` places (days to under a tenth of a second), whole numbers stay whole.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.map(_iso_or_empty)
        elif pd.api.types.is_float_dtype(values):
            out[column] = values.round(CSV_DECIMALS)
        elif not pd.api.types.is_numeric_dtype(values):
            out[column] = values.map(_defuse_formula)
    out.columns = pd.Index([_defuse_formula(str(name)) for name in out.columns])
    return _csv_bytes(out)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = re.compile(r'[,;"\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]')
"""Separators of either locale, quotes, and every character some reader takes as a line break."""


_FORMULA_INSIDE = re.compile('([,;\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"*)(?=[=+\\-@\t\r])')
"""A formula starter right after a separator or a line break inside a cell (quotes between)."""


def _defuse_formula(value: object) -> object:
    """``value`` with a ``'`` before every formula a spreadsheet could find in it.

    At the start, and after every separator or line break inside it: a reader splitting on
    ``;`` (or at a line break a quote it did not see as opening cannot protect) would start a
    cell there.
    """
    if not isinstance(value, str):
        return value
    value = _FORMULA_INSIDE.sub(r"\1'", value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _defused_join(values: Iterable[object]) -> str:
    return CSV_LIST_SEPARATOR.join(str(_defuse_formula(str(value))) for value in values)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV, quoting every field that holds a comma or a semicolon.

    A spreadsheet in a locale whose list separator is ``;`` splits unquoted text there: the part
    after the separator would start a cell of its own, undefused. Quoting keeps it one cell.
    """
    lines = [",".join(_csv_field(str(name)) for name in frame.columns)]
    # "\r\n" ends pandas' rows, so it quotes any field holding a CR or an LF (a Trello name may);
    # read back with newline="" so a line break inside a quoted field stays in the field.
    plain_csv = frame.to_csv(index=False, header=False, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(plain_csv, newline="")):
        lines.append(",".join(_csv_field(field) for field in row))
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def _csv_field(text: str) -> str:
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


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
