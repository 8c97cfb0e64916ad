"""The live-board picker: the token's boards in a select box. Owns keys starting ``board_picker.``.

Picking a board makes it this visitor's board (``board_source.use_live_board``) in the widget's
callback, so the sidebar and every page show it from that same run on.
"""

from __future__ import annotations

import streamlit as st

from trellolens.trello import BoardSummary, TrelloClient
from trellolens.ui.board_source import LIVE_ERROR_KEY, live_board_ref, use_live_board
from trellolens.ui.data import board_list
from trellolens.ui.markdown_text import plain

KEY_PREFIX = "board_picker."
SELECT_KEY = f"{KEY_PREFIX}board"
NAMES_KEY = f"{KEY_PREFIX}names"


def _label(board: BoardSummary) -> str:
    return f"{board.name} (archived)" if board.closed else board.name


def _picked() -> None:
    board_id = st.session_state.get(SELECT_KEY)
    names = st.session_state.get(NAMES_KEY) or {}
    if isinstance(board_id, str) and board_id in names:
        use_live_board(board_id, names[board_id])


def board_picker(client: TrelloClient) -> None:
    """The select box of the token's boards; raises ``TrelloError`` if they cannot be listed.

    While Trello's /1/members window makes the list wait, a one-line notice says so.
    """
    waiting = st.empty()

    def notice(line: str) -> None:
        waiting.info(line, icon="⏳")

    boards = board_list(client, notice=notice)
    if not boards:
        st.info("This token's member has no boards yet. Create one in Trello, then come back.")
        return
    names = {board.id: board.name for board in boards}
    labels = {board.id: _label(board) for board in boards}
    st.session_state[NAMES_KEY] = names
    ids = list(labels)
    current = live_board_ref()
    st.selectbox(
        f"Your boards ({len(ids)})",
        ids,
        index=ids.index(current.board_id) if current and current.board_id in labels else None,
        format_func=lambda board_id: labels.get(board_id, board_id),
        placeholder="Choose a board to open",
        key=SELECT_KEY,
        on_change=_picked,
        help="The board loads through Trello's API and is kept for 10 minutes.",
    )
    problem = st.session_state.get(LIVE_ERROR_KEY)
    if problem:
        st.error(plain(problem))
    elif current is not None:
        st.success(f"Showing **{plain(current.name)}** on every page, for you only, this session.")
