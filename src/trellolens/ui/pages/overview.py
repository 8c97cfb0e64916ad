"""Board overview: open lists with their card counts, label and member breakdowns, due dates."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trellolens.ui.board_source import current_board
from trellolens.ui.components.board_banner import page_caption
from trellolens.ui.data import as_of_now, cards_table_for
from trellolens.ui.tables import (
    DUE_BUCKET,
    LABELS,
    LIST,
    MEMBERS,
    breakdown,
    due_bucket_counts,
    list_counts,
    open_cards,
)
from trellolens.ui.visitor_errors import shows_errors

TILES_PER_ROW = 4


@shows_errors
def render() -> None:
    choice = current_board()
    board = choice.board
    st.title(board.name)
    page_caption(choice)
    as_of = as_of_now()
    cards = open_cards(cards_table_for(choice, as_of))

    st.subheader("Open lists")
    lists = list_counts(board)
    if lists.empty:
        st.info("This board has no open lists.")
    metric_tiles(list(zip(lists[LIST], lists["Cards"], strict=True)))

    labels_column, members_column = st.columns(2)
    with labels_column:
        st.subheader("Labels")
        bar_chart(breakdown(cards, LABELS, empty="(no label)"), LABELS)
    with members_column:
        st.subheader("Members")
        bar_chart(breakdown(cards, MEMBERS, empty="(nobody)"), MEMBERS)

    st.subheader("Due dates")
    st.caption(
        f"Open cards, as of {as_of:%Y-%m-%d %H:%M} UTC. Complete means marked done in Trello."
    )
    buckets = due_bucket_counts(cards)
    metric_tiles(list(zip(buckets[DUE_BUCKET], buckets["Cards"], strict=True)))


def metric_tiles(tiles: list[tuple[str, int]]) -> None:
    """``st.metric`` tiles, ``TILES_PER_ROW`` to a row."""
    for start in range(0, len(tiles), TILES_PER_ROW):
        row = tiles[start : start + TILES_PER_ROW]
        for column, (name, count) in zip(st.columns(TILES_PER_ROW), row, strict=False):
            column.metric(name, int(count))


def bar_chart(counts: pd.DataFrame, category: str) -> None:
    """A horizontal bar per category, most cards first."""
    if counts.empty:
        st.caption("No open cards.")
        return
    chart = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("Cards:Q", title="Open cards"),
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            tooltip=[category, "Cards"],
        )
    )
    st.altair_chart(chart, width="stretch")


if __name__ == "__main__":
    render()
