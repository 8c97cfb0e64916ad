"""Which board this visitor sees: an uploaded export, else the bundled demo board.

The choice lives in this visitor's session state only, never in a process-wide cache. A live
Trello board (a later "Connect Trello" page) slots in as one more ``BoardKind`` and one more
branch in ``current_board()``; pages only ever call ``current_board()``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

import streamlit as st

from trellolens.board import Board, parse_board_bytes
from trellolens.ui.data import cached_demo_board

KEY_PREFIX = "board_source."
UPLOADED_KEY = f"{KEY_PREFIX}uploaded"
"""Session-state key holding this visitor's ``UploadedBoard``, if any."""


class BoardKind(StrEnum):
    DEMO = "demo"
    UPLOAD = "upload"


@dataclass(frozen=True)
class UploadedBoard:
    board: Board
    file_name: str
    content_hash: str
    """SHA-256 of the uploaded bytes: the key of this visitor's derived tables."""


@dataclass(frozen=True)
class BoardChoice:
    """The board a page shows and where it came from, in words a visitor understands."""

    board: Board
    kind: BoardKind
    source_label: str
    cache_key: str
    """Cheap, content-derived key for tables derived from this board."""

    @property
    def is_demo(self) -> bool:
        return self.kind is BoardKind.DEMO


DEMO_LABEL = "Demo board"


def current_board() -> BoardChoice:
    """This visitor's board: an uploaded export if they opened one, else the demo board."""
    uploaded = st.session_state.get(UPLOADED_KEY)
    if isinstance(uploaded, UploadedBoard):
        return BoardChoice(
            board=uploaded.board,
            kind=BoardKind.UPLOAD,
            source_label=f"Uploaded export: {uploaded.file_name}",
            cache_key=f"upload:{uploaded.content_hash}",
        )
    demo = cached_demo_board()
    return BoardChoice(board=demo, kind=BoardKind.DEMO, source_label=DEMO_LABEL, cache_key="demo")


def use_uploaded_board(data: bytes, file_name: str) -> Board:
    """Parse an uploaded export and make it this visitor's board.

    Raises ``BoardFormatError`` (and changes nothing) when the bytes are not a board export.
    The bytes are only ever read as JSON, never unpickled or executed.
    """
    board = parse_board_bytes(data, source=file_name)
    digest = hashlib.sha256(data).hexdigest()
    st.session_state[UPLOADED_KEY] = UploadedBoard(board, file_name, digest)
    return board


def use_demo_board() -> None:
    """Forget this visitor's upload and show the demo board again."""
    st.session_state.pop(UPLOADED_KEY, None)
