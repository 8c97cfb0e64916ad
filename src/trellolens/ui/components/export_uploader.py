"""The export upload widget. Owns the session-state keys starting ``export_uploader.``.

An upload is parsed once per file (tracked by Streamlit's file id), so going back to the demo
board is not undone by the file still sitting in the widget.
"""

from __future__ import annotations

import streamlit as st

from trellolens.board import MAX_UPLOAD_BYTES
from trellolens.credentials.redaction import redact
from trellolens.errors import BoardFormatError
from trellolens.ui.data.board_source import use_uploaded_board
from trellolens.ui.markdown_text import plain

KEY_PREFIX = "export_uploader."
FILE_KEY = f"{KEY_PREFIX}file"
HANDLED_FILE_ID_KEY = f"{KEY_PREFIX}handled_file_id"
ERROR_KEY = f"{KEY_PREFIX}error"

MAX_UPLOAD_MEGABYTES = MAX_UPLOAD_BYTES // (1024 * 1024)


def export_uploader() -> None:
    """A file uploader for a Trello JSON export; a good file becomes this visitor's board."""
    uploaded = st.file_uploader(
        "Trello board export (.json)",
        type=["json"],
        key=FILE_KEY,
        max_upload_size=MAX_UPLOAD_MEGABYTES,
        help=f"In Trello: Board menu > Print and export > Export as JSON. Up to {MAX_UPLOAD_MEGABYTES} MB.",
    )
    if uploaded is None:
        st.session_state.pop(ERROR_KEY, None)
        return
    if uploaded.file_id != st.session_state.get(HANDLED_FILE_ID_KEY):
        st.session_state[HANDLED_FILE_ID_KEY] = uploaded.file_id
        if receive_export(uploaded.getvalue(), uploaded.name):
            st.rerun()  # redraw the sidebar and caption with the new board
    error = st.session_state.get(ERROR_KEY)
    if error:
        st.error(plain(redact(error)))


def receive_export(data: bytes, file_name: str) -> bool:
    """Make an export this visitor's board; on a bad file keep the old board and note the error."""
    try:
        use_uploaded_board(data, file_name)
    except BoardFormatError as exc:
        st.session_state[ERROR_KEY] = redact(str(exc))
        return False
    st.session_state.pop(ERROR_KEY, None)
    return True
