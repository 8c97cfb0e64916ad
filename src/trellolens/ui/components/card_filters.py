"""Sidebar filters of the cards table. Owns the session-state keys starting ``card_filters.``.

Each filter is in the URL too (``?list=Doing&list=Review&label=Bug&due=overdue&archived=1``),
read back on a reload; a name the board does not have drops that filter with one line.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trellolens.board import Board
from trellolens.ui.components.view_link import (
    LinkParam,
    flag,
    listed,
    names_from,
    read_links,
    write_links,
)
from trellolens.ui.views.tables import DUE_BUCKETS, LABELS, MEMBERS, CardFilter, label_name

KEY_PREFIX = "card_filters."
LISTS_KEY = f"{KEY_PREFIX}lists"
LABELS_KEY = f"{KEY_PREFIX}labels"
MEMBERS_KEY = f"{KEY_PREFIX}members"
DUE_BUCKETS_KEY = f"{KEY_PREFIX}due_buckets"
ARCHIVED_KEY = f"{KEY_PREFIX}include_archived"


def link_params(board: Board, cards: pd.DataFrame) -> list[LinkParam]:
    """The filters' query parameters, checked against this board's names."""

    def names(name: str, key: str, choices: list[str], what: str) -> LinkParam:
        return LinkParam(
            name, key, names_from(choices), listed, f"the {what} filter", f"{what}s of this board"
        )

    return [
        names("list", LISTS_KEY, _list_names(board), "list"),
        names("label", LABELS_KEY, _label_names(board, cards), "label"),
        names("member", MEMBERS_KEY, _member_names(board, cards), "member"),
        names("due", DUE_BUCKETS_KEY, list(DUE_BUCKETS), "due bucket"),
        LinkParam(
            "archived",
            ARCHIVED_KEY,
            flag,
            lambda on: ["1"] if on else [],
            "the archived cards switch",
            "1 or 0",
        ),
    ]


def card_filter_sidebar(board: Board, cards: pd.DataFrame) -> CardFilter:
    """Draw the filters in the sidebar (from the URL on a reload) and return what was chosen."""
    params = link_params(board, cards)
    read_links(params)
    filters = _draw(board, cards)
    write_links(params)
    return filters


def _draw(board: Board, cards: pd.DataFrame) -> CardFilter:
    with st.sidebar:
        st.subheader("Filter cards")
        lists = st.multiselect("List", _list_names(board), key=LISTS_KEY, placeholder="Any list")
        labels = st.multiselect(
            "Label", _label_names(board, cards), key=LABELS_KEY, placeholder="Any label"
        )
        members = st.multiselect(
            "Member", _member_names(board, cards), key=MEMBERS_KEY, placeholder="Anyone"
        )
        buckets = st.multiselect(
            "Due", DUE_BUCKETS, key=DUE_BUCKETS_KEY, placeholder="Any due date"
        )
        include_archived = st.checkbox("Include archived cards", key=ARCHIVED_KEY)
    return CardFilter(
        lists=tuple(lists),
        labels=tuple(labels),
        members=tuple(members),
        due_buckets=tuple(buckets),
        include_archived=include_archived,
    )


def _list_names(board: Board) -> list[str]:
    """Open lists in board order, then archived ones."""
    ordered = sorted(board.lists, key=lambda lst: (lst.closed, lst.pos))
    return list(dict.fromkeys(lst.name for lst in ordered))


def _label_names(board: Board, cards: pd.DataFrame) -> list[str]:
    names = [label_name(label) for label in board.labels]
    return list(dict.fromkeys([*names, *sorted(_used(cards, LABELS))]))


def _member_names(board: Board, cards: pd.DataFrame) -> list[str]:
    names = sorted(member.full_name for member in board.members)
    return list(dict.fromkeys([*names, *sorted(_used(cards, MEMBERS))]))


def _used(cards: pd.DataFrame, column: str) -> set[str]:
    return {name for names in cards[column] for name in names}
