"""Where the board on screen comes from: the sidebar's board section and a caption under titles."""

from __future__ import annotations

from typing import Any

import streamlit as st

from trellolens.ui.data.board_source import BoardChoice, live_problem
from trellolens.ui.data.live_status import LiveState, LiveStatus
from trellolens.ui.markdown_text import plain

CONNECT_NOTICE = "For your own boards: **Connect Trello**, or **Open an export**."
"""Short, so the flow pages' Workflow and As of stay above the fold (the pages say the rest)."""
BROKEN_NOTICE = "Trello credentials do not work: {reason}."


def sidebar_notice(choice: BoardChoice, status: LiveStatus, connect_page: Any = None) -> None:
    """Label the board in the sidebar, with one line for whatever kept a live board away.

    The how-to-connect notice is for an app with no credentials at all; configured but broken
    credentials get one line and a link to Connect Trello instead.
    """
    with st.sidebar:
        problem = live_problem()
        if problem:
            st.error(plain(problem), icon=":material/error:")
        if status.sign_in:  # boards held from before the OAuth 2.0 sign-in ended
            st.warning(plain(status.sign_in), icon=":material/key:")
        if status.state is LiveState.BROKEN:
            st.warning(plain(BROKEN_NOTICE.format(reason=status.reason)), icon=":material/key:")
            if connect_page is not None:
                st.page_link(
                    connect_page, label="Connect Trello: what to fix", icon=":material/key:"
                )
        elif status.state is LiveState.REFUSED and not problem:
            st.caption(plain(status.reason))
        if choice.is_demo:
            notice = CONNECT_NOTICE if status.state is LiveState.UNCONFIGURED else ""
            st.info(f"**Demo board**: {plain(choice.board.name)}\n\n{notice}".strip())
        else:
            st.success(f"**{plain(choice.source_label)}**\n\nShown to you only, for this session.")


def page_caption(choice: BoardChoice) -> None:
    st.caption(f"{plain(choice.source_label)} · {plain(choice.board.name)}")
