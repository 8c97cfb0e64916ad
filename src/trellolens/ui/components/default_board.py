"""The Boards page's "Set as default" row per board. Owns the keys starting ``default_board.``.

The default board is the one that opens for anyone who has not picked one (``default_board`` in
``[trellolens]``, read by ``trellolens.settings``). Clicking writes it into the secrets file that
setting is read from, when that is a local file this process may change and the owner is at the
app's own computer (served on loopback); otherwise one line says what to paste, and where.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from trellolens.credentials.redaction import redact
from trellolens.credentials.sources.streamlit_secrets import configured_files
from trellolens.doctor import DefaultBoardError, locate_default_board, write_default_board
from trellolens.settings import Settings
from trellolens.trello import BoardSummary
from trellolens.ui.access.gate import served_on_loopback
from trellolens.ui.components.board_picker import default_board_setting, find_board
from trellolens.ui.data.board_ref import BoardRefError, parse_board_ref
from trellolens.ui.markdown_text import plain

KEY_PREFIX = "default_board."
RESULT_KEY = f"{KEY_PREFIX}result"
"""``(kind, line)`` of the last click: shown until the next one."""
WRITTEN_KEY = f"{KEY_PREFIX}written"
"""The board id this session wrote as the default, marked before ``st.secrets`` reloads."""


def button_key(board_id: str) -> str:
    return f"{KEY_PREFIX}set.{board_id}"


def current_default(boards: Sequence[BoardSummary]) -> str | None:
    """The id of the listed board the setting names (or this session just wrote), if any."""
    written = st.session_state.get(WRITTEN_KEY)
    setting = written if isinstance(written, str) else default_board_setting()
    if setting is None:
        return None
    try:
        listed = find_board(parse_board_ref(setting), boards)
    except BoardRefError:
        return None
    return listed.id if listed is not None else None


def set_default(board: BoardSummary) -> tuple[str, str]:
    """Write ``board`` as the default where it is read from, or say what to paste: (kind, line)."""
    place = locate_default_board(configured_files(), Settings({}))  # the environment's
    if place.file is None or not served_on_loopback():
        return "info", place.paste_line(board.id)
    try:
        written = write_default_board(place.file, board.id)
    except DefaultBoardError as exc:
        return "error", f"{exc}. {place.paste_line(board.id)}"
    st.session_state[WRITTEN_KEY] = board.id  # st.secrets sees the file when its watcher polls
    return "success", f"{board.name} is the default board now (written to {written})."


def default_board_rows(boards: Sequence[BoardSummary]) -> None:
    """One row per open board: its name, and "Set as default" (or that it is the default)."""
    st.subheader("Default board")
    st.caption(
        "The default board opens for everyone who has not picked one. Each board's table row "
        "above opens it for you."
    )
    default_id = current_default(boards)
    for board in boards:
        name_column, action_column = st.columns([3, 1], vertical_alignment="center")
        name_column.markdown(plain(board.name))
        if board.id == default_id:
            action_column.caption(":material/check: Default board")
        elif action_column.button("Set as default", key=button_key(board.id)):
            st.session_state[RESULT_KEY] = set_default(board)
            st.rerun()  # the rows again, with the new default marked
    result = st.session_state.get(RESULT_KEY)
    if isinstance(result, tuple):
        kind, line = result
        shown = plain(redact(line))
        if kind == "success":
            st.success(shown, icon=":material/check_circle:")
        elif kind == "error":
            st.error(shown, icon=":material/error:")
        else:
            st.info(shown, icon=":material/content_paste:")
