"""Cards: the board's cards as a table, with sidebar filters and a CSV of exactly what is shown.

The CSV is made only when the visitor clicks "Download CSV" (Streamlit runs the callable then, on
a thread of its own), not on every rerun: on a 10,000-card board it cost most of a filter change.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import streamlit as st

from trellolens.ui.components.board_banner import page_caption
from trellolens.ui.components.card_filters import card_filter_sidebar
from trellolens.ui.components.csv_download import csv_download
from trellolens.ui.components.table import show_table
from trellolens.ui.data.board_source import current_board
from trellolens.ui.data.cache import as_of_now, cards_table_for
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.tables import (
    ARCHIVED,
    DUE,
    LABELS,
    LAST_ACTIVITY,
    LINK,
    MEMBERS,
    cards_csv,
    download_file_name,
    filter_cards,
)
from trellolens.ui.visitor_errors import shows_errors
from trellolens.ui.wording import counted

if TYPE_CHECKING:
    import pandas as pd

KEY_PREFIX = "cards_page."
TABLE_KEY = f"{KEY_PREFIX}table"
DOWNLOAD_KEY = f"{KEY_PREFIX}download_csv"

COLUMN_CONFIG = {
    LINK: st.column_config.LinkColumn(LINK, display_text="Open in Trello"),
    LABELS: st.column_config.ListColumn(LABELS),
    MEMBERS: st.column_config.ListColumn(MEMBERS),
    DUE: st.column_config.DatetimeColumn(DUE, format="YYYY-MM-DD HH:mm"),
    LAST_ACTIVITY: st.column_config.DatetimeColumn(LAST_ACTIVITY, format="YYYY-MM-DD HH:mm"),
    ARCHIVED: st.column_config.CheckboxColumn(ARCHIVED),
}


@shows_errors
def render() -> None:
    choice = current_board()
    board = choice.board
    st.title(f"Cards of {plain(board.name)}")
    page_caption(choice)
    cards = cards_table_for(choice, as_of_now())
    shown = filter_cards(cards, card_filter_sidebar(board, cards))
    st.caption(f"{len(shown)} of {counted(len(cards), 'card')} (times in UTC).")
    cards_table(shown)
    # Built on click, from the rows shown by this run (not on every filter change).
    csv_download(partial(cards_csv, shown), board_name=board.name, what="cards", key=DOWNLOAD_KEY)


def cards_table(shown: pd.DataFrame) -> None:
    show_table(shown, column_config=COLUMN_CONFIG, key=TABLE_KEY)


def csv_file_name(board_name: str) -> str:
    return download_file_name(board_name, "cards")


if __name__ == "__main__":
    render()
