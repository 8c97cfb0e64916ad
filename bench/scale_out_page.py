"""The page each replica of bench/scale_out.py serves: one live board (``?board=ID``) loaded
through the dashboard's own caching boundary (``trellolens.ui.data.cache.live_board``: the process slot,
the shared Redis cache when TRELLOLENS_REDIS_URL is set, the shared or local rate limits)."""

from __future__ import annotations

import hashlib

import streamlit as st

from trellolens.credentials import resolve_credentials
from trellolens.errors import RateLimitedError, TrellolensError
from trellolens.trello import TrelloClient
from trellolens.ui.data.cache import live_board


@st.cache_resource
def trello() -> TrelloClient:
    return TrelloClient.from_credentials(resolve_credentials())


board_id = st.query_params.get("board", "")
try:
    board, load_key, _ = live_board(trello(), board_id, board_id)
    positions = repr(sorted((card.id, card.list_id) for card in board.cards)).encode()
    loaded_at = load_key.rsplit(":", 1)[-1]  # when this replica got this copy (time.time())
    st.write(
        f"BOARD-OK {len(board.cards)} cards STATE-{hashlib.sha256(positions).hexdigest()[:12]} "
        f"LOADED-{loaded_at}"
    )
except RateLimitedError:
    st.write("BOARD-429")
except TrellolensError:
    st.write("BOARD-ERROR")
