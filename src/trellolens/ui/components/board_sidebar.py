"""The sidebar's board section, drawn on every page before the page itself.

In order: whether live boards are possible (access gate, credentials, the token's boards), a
``?board=`` link, the board that opens by itself, then the picker and a one-line notice.
A visitor who lands on the app's home page with several boards and none chosen (no link, no
default, none opened before) is taken to the board chooser (the Boards page), once a session.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from trellolens.ui.components.board_banner import sidebar_notice
from trellolens.ui.components.board_picker import board_picker, choose_by_default, default_note
from trellolens.ui.data.board_link import apply_board_link
from trellolens.ui.data.board_source import board_chosen, current_board
from trellolens.ui.data.live_status import LiveState, LiveStatus, live_status

KEY_PREFIX = "board_sidebar."
LANDED_KEY = f"{KEY_PREFIX}landed"
"""Set once this session has been taken to the board chooser: the home page is free after."""


def land_on_chooser(status: LiveStatus) -> bool:
    """Whether this run should open the board chooser instead of the demo board (see above)."""
    if st.session_state.get(LANDED_KEY) or board_chosen():
        return False
    return status.state is LiveState.READY and len(status.open_boards) > 1


def board_sidebar(connect_page: Any = None, chooser_page: Any = None) -> None:
    with st.sidebar:
        waiting = st.empty()

    def notice(line: str) -> None:  # Trello's /1/members window makes the board list wait
        waiting.info(line, icon=":material/hourglass_top:")

    status = live_status(notice)
    apply_board_link(status)
    note = choose_by_default(status)
    if chooser_page is not None and land_on_chooser(status):
        st.session_state[LANDED_KEY] = True
        st.switch_page(chooser_page)
    choice = current_board()  # loads a live board here, with its progress on the page
    if status.state is LiveState.READY:
        with st.sidebar:
            board_picker(status)
            default_note(note)
    sidebar_notice(choice, status, connect_page)
