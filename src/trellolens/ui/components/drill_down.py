"""Clickable charts and the table of the cards behind a click. Owns keys starting ``drill_down.``.

A chart drawn here reruns the page on a click (``on_select="rerun"``); the page reads the clicked
points with ``views.drill_down.picked`` and shows their cards with ``cards_table``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from trellolens.ui.components.csv_download import csv_download
from trellolens.ui.components.table import show_table
from trellolens.ui.markdown_text import plain
from trellolens.ui.wording import counted

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

KEY_PREFIX = "drill_down."
HINT = "Click a {what} to list its cards below; double-click the chart to clear."


def clickable_chart(
    chart: alt.Chart | alt.LayerChart,
    frame: pd.DataFrame,
    *,
    board_name: str,
    what: str,
    point: str,
    keep: frozenset[str] = frozenset(),
) -> object:
    """Draw ``chart`` (it carries a point selection), its CSV download and a one-line hint; the
    selection event of this run. ``keep``: columns named after the board (its lists)."""
    event = st.altair_chart(chart, width="stretch", on_select="rerun", key=f"{KEY_PREFIX}{what}")
    st.caption(HINT.format(what=plain(point)))
    csv_download(frame, board_name=board_name, what=what, keep=keep)
    return event


def cards_table(table: pd.DataFrame, *, heading: str, what: str, days_title: str = "Days") -> None:
    """The cards behind a click: name and list as text, days to 0.1, a link to each card."""
    st.markdown(f"**{plain(heading)}**: {plain(counted(len(table), 'card'))}")
    if table.empty:
        return
    show_table(
        table,
        key=f"{KEY_PREFIX}{what}.cards",
        column_config={
            "name": st.column_config.TextColumn("Card"),
            "list": st.column_config.TextColumn("List"),
            "days": st.column_config.NumberColumn(days_title, format="%.1f"),
            "link": st.column_config.LinkColumn("Link", display_text="Open in Trello"),
        },
    )
