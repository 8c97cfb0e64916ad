"""Data quality: what the board's history could not tell, and so how far to trust the numbers."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from trellolens.board import Board
from trellolens.ui.components.csv_download import csv_download
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.components.table import show_table, titles_of
from trellolens.ui.components.tiles import metric_tiles
from trellolens.ui.views.quality_tables import cards_frame, ignored_lists_frame
from trellolens.ui.visitor_errors import shows_errors

KEY_PREFIX = "data_quality_page."
NO_CREATION_TABLE_KEY = f"{KEY_PREFIX}no_creation"
UNEXPLAINED_TABLE_KEY = f"{KEY_PREFIX}unexplained"


@shows_errors
def render() -> None:
    context = flow_context("Data quality")
    quality = context.metrics.data_quality
    board = context.choice.board

    if quality.actions_may_be_truncated:
        st.warning(
            "The history looks cut off (Trello's export holds at most 1,000 actions, and some "
            "cards have no creation event). Cycle times and the early part of the flow charts "
            "are estimates for those cards."
        )
    else:
        st.success("Every card's history starts with its creation: nothing looks cut off.")

    tiles = [
        ("Actions in the history", f"{quality.actions:,}"),
        (
            "Oldest action",
            "–" if quality.oldest_action is None else f"{quality.oldest_action:%Y-%m-%d}",
        ),
        ("Cards without a creation event", f"{quality.cards_without_creation_event:,}"),
        ("Cards in ignored lists", f"{quality.cards_in_ignored_lists:,}"),
    ]
    metric_tiles(tiles)

    st.subheader("Lists outside the workflow")
    if quality.ignored_lists:
        st.caption(
            "Entering these lists changes no timestamps; a card sitting in one is neither in "
            "progress nor done. Add them to the workflow in the sidebar if they matter."
        )
        show_table(ignored_lists_frame(quality.ignored_lists), key=f"{KEY_PREFIX}lists")
    else:
        st.caption("None: every list of the board is a workflow stage.")

    st.subheader("Cards without a creation event")
    st.caption(
        "Their history was cut off or they were moved in from another board. They start at the "
        "time in their id, in the list they first left (or their current list if they never moved)."
    )
    card_table(
        board,
        quality.card_ids_without_creation_event,
        key=NO_CREATION_TABLE_KEY,
        what="cards-without-creation-event",
    )

    st.subheader("Cards whose current list their history does not explain")
    st.caption("Their last recorded move ends in another list: a move is missing from the history.")
    card_table(
        board,
        quality.card_ids_with_unexplained_list,
        key=UNEXPLAINED_TABLE_KEY,
        what="cards-with-unexplained-list",
    )


def card_table(board: Board, card_ids: Sequence[str], *, key: str, what: str) -> None:
    frame = cards_frame(board, card_ids)
    if frame.empty:
        st.caption("None.")
        return
    config = {
        "card_id": st.column_config.TextColumn("Card id"),
        "name": st.column_config.TextColumn("Card"),
        "list": st.column_config.TextColumn("List"),
        "created": st.column_config.DatetimeColumn("Created", format="YYYY-MM-DD HH:mm"),
        "archived": st.column_config.CheckboxColumn("Archived"),
    }
    show_table(frame, key=key, column_config=config)
    csv_download(frame, board_name=board.name, what=what, titles=titles_of(config))


if __name__ == "__main__":
    render()
