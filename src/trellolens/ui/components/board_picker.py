"""The board picker in the sidebar of every page. Owns session-state keys starting ``board_picker.``.

Which board opens by itself, when the visitor has not chosen one: the token's only open board;
with several, the one this visitor last opened this session, else the owner's default
(``default_board`` in ``[trellolens]`` of secrets.toml, or ``TRELLOLENS_DEFAULT_BOARD``), else
none and the picker asks. Picking a board (or pasting its id, short link or address into the
picker) makes it this visitor's board in the widget's callback, so every page shows it from that
same run on.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from trellolens.connection import app_settings
from trellolens.errors import ConfigError
from trellolens.settings import Settings
from trellolens.trello import BoardSummary
from trellolens.ui.data.board_ref import BoardRefError, matches, parse_board_ref, shown_ref
from trellolens.ui.data.board_source import (
    board_chosen,
    last_opened,
    live_board_ref,
    refuse_live_board,
    use_live_board,
)
from trellolens.ui.data.live_status import LiveState, LiveStatus
from trellolens.ui.markdown_text import plain

KEY_PREFIX = "board_picker."
SELECT_KEY = f"{KEY_PREFIX}board"
NAMES_KEY = f"{KEY_PREFIX}names"
"""``{board id: name}`` of the boards listed, for the widget's callback."""
BOARDS_KEY = f"{KEY_PREFIX}boards"
"""The ``BoardSummary`` tuple listed, for the widget's callback (pasted references)."""


def default_board_setting() -> str | None:
    """The owner's default board: ``default_board`` in ``[trellolens]``, else the variable."""
    try:
        return app_settings().default_board
    except ConfigError:  # not text: no default (the doctor names it)
        return None


def find_board(ref: str, boards: Sequence[BoardSummary]) -> BoardSummary | None:
    """The listed board that ``ref`` (a parsed id or short link) names, if any."""
    return next((board for board in boards if matches(ref, board.id, board.url)), None)


def open_reference(text: str, boards: Sequence[BoardSummary], what: str = "Board link") -> None:
    """Open the board ``text`` names (id, short link or address), validated before any request.

    A board the token does not list is still tried (Trello decides; a refusal becomes one line
    and the demo board). A reference that is not a board's is one line and the demo board.
    """
    try:
        ref = parse_board_ref(text)
    except BoardRefError as exc:
        refuse_live_board(f"{what} {shown_ref(text)!r}: {exc}. Showing the demo board.")
        return
    listed = find_board(ref, boards)
    if listed is not None:
        use_live_board(listed.id, listed.name)
    else:
        use_live_board(ref, f"Board {ref}")


def choose_by_default(status: LiveStatus) -> str | None:
    """Open a board by the rules in the module docstring when the visitor has none; a one-line
    note when the owner's default board cannot be used."""
    if status.state is not LiveState.READY or board_chosen():
        return None
    candidates = status.open_boards
    if len(candidates) == 1:
        use_live_board(candidates[0].id, candidates[0].name)
        return None
    previous = last_opened()
    if previous is not None and find_board(previous.board_id, status.boards) is not None:
        use_live_board(previous.board_id, previous.name)
        return None
    setting = default_board_setting()
    if setting is None:
        return None
    try:
        ref = parse_board_ref(setting)
    except BoardRefError as exc:
        return f"The default board ({Settings.default_board.key}) is {exc}."
    listed = find_board(ref, status.boards)
    if listed is None:
        return f"The default board {ref} is not among this token's boards."
    use_live_board(listed.id, listed.name)
    return None


def _label(board: BoardSummary) -> str:
    return f"{board.name} (archived)" if board.closed else board.name


def _picked() -> None:
    value = st.session_state.get(SELECT_KEY)
    names = st.session_state.get(NAMES_KEY) or {}
    boards = st.session_state.get(BOARDS_KEY) or ()
    if not isinstance(value, str) or not value:
        return
    if value in names:
        use_live_board(value, names[value])
    else:  # typed or pasted into the picker
        open_reference(value, boards, what="Pasted board")


def board_picker(status: LiveStatus) -> None:
    """The select box of the token's boards (in the sidebar); accepts a pasted reference too."""
    boards = status.boards
    if not boards:
        st.caption("This token's member has no boards yet. Create one in Trello, then come back.")
        return
    labels = {board.id: _label(board) for board in boards}
    st.session_state[NAMES_KEY] = {board.id: board.name for board in boards}
    st.session_state[BOARDS_KEY] = boards
    current = live_board_ref()
    if current is not None and current.board_id not in labels:  # opened by a link
        labels[current.board_id] = current.name
    st.session_state[SELECT_KEY] = current.board_id if current else None
    st.selectbox(
        f"Your boards ({len(boards)})",
        list(labels),
        format_func=lambda board_id: labels.get(board_id, board_id),
        placeholder="Choose a board, or paste its link",
        accept_new_options=True,
        key=SELECT_KEY,
        on_change=_picked,
        help="A board id, short link or https://trello.com/b/... address works too. "
        "The board loads through Trello's API and is kept for 10 minutes.",
    )


def default_note(note: str | None) -> None:
    if note:
        st.caption(plain(note))
