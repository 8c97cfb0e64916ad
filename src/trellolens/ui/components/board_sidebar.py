"""The sidebar's board section, drawn on every page before the page itself.

In order: whether live boards are possible (access gate, credentials, the token's boards), a
``?board=`` link, the board that opens by itself, then the picker and a one-line notice.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from trellolens.ui.components.board_banner import sidebar_notice
from trellolens.ui.components.board_picker import board_picker, choose_by_default, default_note
from trellolens.ui.data.board_link import apply_board_link
from trellolens.ui.data.board_source import current_board
from trellolens.ui.data.live_status import LiveState, live_status


def board_sidebar(connect_page: Any = None) -> None:
    with st.sidebar:
        waiting = st.empty()

    def notice(line: str) -> None:  # Trello's /1/members window makes the board list wait
        waiting.info(line, icon=":material/hourglass_top:")

    status = live_status(notice)
    apply_board_link(status)
    note = choose_by_default(status)
    choice = current_board()  # loads a live board here, with its progress on the page
    if status.state is LiveState.READY:
        with st.sidebar:
            board_picker(status)
            default_note(note)
    sidebar_notice(choice, status, connect_page)
