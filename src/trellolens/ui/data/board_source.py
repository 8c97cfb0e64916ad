"""Which board this visitor sees: a live Trello board or an uploaded export, else the demo board.

The choice lives in this visitor's session state only, never in a process-wide cache (a live
board's data is cached per token fingerprint in ``data.py``). Pages only call ``current_board()``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from trellolens.board import Board, parse_board_bytes
from trellolens.credentials.redaction import redact
from trellolens.errors import (
    InvalidKeyError,
    InvalidTokenError,
    RateLimitedError,
    SignInRequiredError,
    TrellolensError,
    TrelloUnavailableError,
)
from trellolens.ui.access import live_boards_allowed
from trellolens.ui.data.board_choice import BoardChoice as BoardChoice
from trellolens.ui.data.board_choice import BoardKind as BoardKind
from trellolens.ui.data.cache import cached_demo_board, live_board, trello_connection
from trellolens.ui.markdown_text import plain

KEY_PREFIX = "board_source."
UPLOADED_KEY = f"{KEY_PREFIX}uploaded"
"""Session-state key holding this visitor's ``UploadedBoard``, if any."""
LIVE_KEY = f"{KEY_PREFIX}live"
"""Session-state key holding this visitor's ``LiveBoardRef``, if any."""
LIVE_ERROR_KEY = f"{KEY_PREFIX}live_error"
"""Session-state key of the one-line reason the last live board could not be loaded."""
DEMO_CHOSEN_KEY = f"{KEY_PREFIX}demo_chosen"
"""Set when this visitor is to see the demo board (chosen, or a live board refused): no live
board opens by itself from then on."""
LAST_OPENED_KEY = f"{KEY_PREFIX}last_opened"
"""The ``LiveBoardRef`` this visitor last opened successfully, this session."""
SHOWN_VERSION_KEY = f"{KEY_PREFIX}shown_version"
"""The ``ShownVersion`` of the live board this run shows (``components/live_updates.py``)."""


@dataclass(frozen=True)
class LiveBoardRef:
    """The Trello board this visitor picked: its id and name (the data sits in ``data.py``)."""

    board_id: str
    name: str


@dataclass(frozen=True)
class ShownVersion:
    """Which shared version (Redis) of which live board this visitor's page shows."""

    board_id: str
    version: str


@dataclass(frozen=True)
class UploadedBoard:
    board: Board
    file_name: str
    content_hash: str
    """SHA-256 of the uploaded bytes: the key of this visitor's derived tables."""


DEMO_LABEL = "Demo board"


def one_line(text: str) -> str:
    """``text`` with line breaks and runs of spaces made single spaces (for one-line notices)."""
    return " ".join(text.split())


_SHORT = {
    InvalidTokenError: "Trello refused the token",
    InvalidKeyError: "Trello does not accept the API key",
    RateLimitedError: "Trello is limiting requests; try again in a minute",
    TrelloUnavailableError: "Trello could not be reached",
}
SHORT_REASON_CHARS = 90


SIGN_IN_AGAIN = "Trello ended the OAuth 2.0 sign-in; sign in again: `trellolens login`"
REPLAYED = (
    "Trello revoked the OAuth 2.0 sign-in: a refresh token was used twice (a stolen copy?); "
    "sign in again: `trellolens login`"
)


def short_reason(exc: Exception) -> str:
    """What went wrong, in a few words: no how-to, no path, no backticks (Connect Trello has
    those), except the one command that fixes a refused OAuth 2.0 sign-in."""
    if isinstance(exc, SignInRequiredError):
        return REPLAYED if exc.reason == "reused" else SIGN_IN_AGAIN
    for kind, text in _SHORT.items():
        if isinstance(exc, kind):
            reason = getattr(exc, "reason", "")
            return f"{text} ({reason})" if kind is InvalidTokenError and reason else text
    first = one_line(redact(str(exc))).replace("`", "")
    first = first.split("; ")[0].split(": ")[0].split(" (")[0]
    if len(first) > SHORT_REASON_CHARS:
        first = first[: SHORT_REASON_CHARS - 1].rstrip() + "…"
    return first


def current_board() -> BoardChoice:
    """This visitor's board: the live board or export they opened, else the demo board."""
    live = _live_choice()
    if live is not None:
        return live
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
    st.session_state.pop(LIVE_KEY, None)
    st.session_state.pop(LIVE_ERROR_KEY, None)  # the board on screen is this one now
    return board


def use_demo_board() -> None:
    """Forget this visitor's upload or live board and show the demo board again."""
    st.session_state.pop(UPLOADED_KEY, None)
    st.session_state.pop(LIVE_KEY, None)
    st.session_state[DEMO_CHOSEN_KEY] = True


def refuse_live_board(line: str) -> None:
    """Show the demo board with ``line`` (which board, and why not): never another board."""
    use_demo_board()
    st.session_state[LIVE_ERROR_KEY] = redact(line)


def use_live_board(board_id: str, name: str) -> None:
    """Make a Trello board this visitor's board; it loads on the next ``current_board()``."""
    st.session_state[LIVE_KEY] = LiveBoardRef(board_id, name)
    st.session_state.pop(UPLOADED_KEY, None)
    st.session_state.pop(LIVE_ERROR_KEY, None)
    st.session_state.pop(DEMO_CHOSEN_KEY, None)


def board_chosen() -> bool:
    """Whether this visitor has a board, or chose (or was sent back to) the demo board."""
    return (
        live_board_ref() is not None
        or isinstance(st.session_state.get(UPLOADED_KEY), UploadedBoard)
        or bool(st.session_state.get(DEMO_CHOSEN_KEY))
    )


def last_opened() -> LiveBoardRef | None:
    ref = st.session_state.get(LAST_OPENED_KEY)
    return ref if isinstance(ref, LiveBoardRef) else None


def live_problem() -> str | None:
    """The one line that says which live board could not be shown and why, if any."""
    problem = st.session_state.get(LIVE_ERROR_KEY)
    return problem if isinstance(problem, str) else None


def shown_version() -> ShownVersion | None:
    """The shared version of the live board this run shows; None for an upload, the demo
    board, or a live board without Redis."""
    shown = st.session_state.get(SHOWN_VERSION_KEY)
    return shown if isinstance(shown, ShownVersion) else None


def live_board_ref() -> LiveBoardRef | None:
    ref = st.session_state.get(LIVE_KEY)
    return ref if isinstance(ref, LiveBoardRef) else None


def _live_choice() -> BoardChoice | None:
    """The picked live board, loaded (or cached); on failure, forget it and keep the reason."""
    st.session_state.pop(SHOWN_VERSION_KEY, None)  # set again below for a live board only
    ref = live_board_ref()
    if ref is None:
        return None
    if not live_boards_allowed():  # checked before data.py is asked for anything live
        st.session_state.pop(LIVE_KEY, None)
        return None
    loading = st.empty()  # the "Loading ... from Trello" box, replaced by the result if it fails
    try:
        with loading.container():
            board, load_key, version = live_board(
                trello_connection().client, ref.board_id, ref.name
            )
    except TrellolensError as exc:  # a revoked token, Trello down, credentials gone...
        line = f"{ref.name} could not be loaded: {short_reason(exc)}."
        refuse_live_board(line)
        loading.error(plain(redact(line)), icon=":material/error:")
        return None
    st.session_state[LAST_OPENED_KEY] = ref
    if version is not None:  # shared through Redis: an open page can watch for a new one
        st.session_state[SHOWN_VERSION_KEY] = ShownVersion(ref.board_id, version)
    return BoardChoice(
        board=board,
        kind=BoardKind.LIVE,
        source_label="Live from Trello",
        cache_key=f"live:{load_key}",
    )
