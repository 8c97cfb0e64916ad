"""Where the board on screen comes from: a sidebar notice and a caption under each page title."""

from __future__ import annotations

import streamlit as st

from trellolens.ui.board_source import BoardChoice
from trellolens.ui.markdown_text import plain

CONNECT_NOTICE = (
    "To see your own boards, set `TRELLO_API_KEY` and `TRELLO_OAUTH_TOKEN` in the environment, "
    "or put them in a `[trello]` table in `.streamlit/secrets.toml` "
    "(`trellolens init` creates it). "
    "The **Connect Trello** page shows what is missing and where it looked. "
    "You can also open a Trello JSON export on the **Open an export** page."
)


def sidebar_notice(choice: BoardChoice) -> None:
    """Label the board in the sidebar; the demo board gets a how-to-connect notice."""
    with st.sidebar:
        if choice.is_demo:
            st.info(f"**Demo board**: {plain(choice.board.name)}\n\n{CONNECT_NOTICE}")
        else:
            st.success(f"**{plain(choice.source_label)}**\n\nShown to you only, for this session.")


def page_caption(choice: BoardChoice) -> None:
    st.caption(f"{plain(choice.source_label)} · {plain(choice.board.name)}")
