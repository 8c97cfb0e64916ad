"""Open an export: a Trello JSON export replaces the demo board, for this visitor only."""

from __future__ import annotations

import streamlit as st

from trellolens.ui.components.board_banner import page_caption
from trellolens.ui.components.export_uploader import MAX_UPLOAD_MEGABYTES, export_uploader
from trellolens.ui.data.board_source import BoardKind, current_board, use_demo_board
from trellolens.ui.markdown_text import plain
from trellolens.ui.visitor_errors import shows_errors
from trellolens.ui.wording import counted

KEY_PREFIX = "open_export_page."
BACK_TO_DEMO_KEY = f"{KEY_PREFIX}back_to_demo"


@shows_errors
def render() -> None:
    st.title("Open an export")
    choice = current_board()
    page_caption(choice)
    st.markdown(
        "Open a Trello board export (Board menu > *Print and export* > *Export as JSON*, "
        f"up to {MAX_UPLOAD_MEGABYTES} MB). It replaces the demo board for you only, for this "
        "session; it is not stored on the server or shown to anyone else."
    )
    export_uploader()
    if choice.kind is BoardKind.UPLOAD:  # a live board is left from the sidebar, not from here
        board = choice.board
        st.success(
            f"Showing **{plain(board.name)}**: {counted(len(board.open_lists), 'open list')}, {counted(len(board.cards), 'card')}."
        )
        if st.button("Back to the demo board", key=BACK_TO_DEMO_KEY):
            use_demo_board()
            st.rerun()


if __name__ == "__main__":
    render()
