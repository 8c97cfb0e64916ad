"""The floor page of bench/webhook_to_page.py: the same live board path and the same live-updates
fragment as the dashboard, but the page only prints the board's list names.

``?board=ID`` picks the board; the board comes through the dashboard's caching boundary
(``trellolens.ui.data.cache.live_board``: the process's BoardService, the shared Redis cache), the
page records the version it shows and ``live_updates()`` watches for a newer one, as the real
overview page does. What this page costs beyond that is nothing: the floor.
"""

from __future__ import annotations

import streamlit as st

from trellolens.credentials import resolve_credentials
from trellolens.trello import TrelloClient
from trellolens.ui.components.live_updates import live_updates
from trellolens.ui.data.board_source import SHOWN_VERSION_KEY, ShownVersion
from trellolens.ui.data.cache import live_board


@st.cache_resource
def trello() -> TrelloClient:
    return TrelloClient.from_credentials(resolve_credentials())


board_id = st.query_params.get("board", "")
board, _, version = live_board(trello(), board_id, board_id)
if version is not None:
    st.session_state[SHOWN_VERSION_KEY] = ShownVersion(board_id, version)
for trello_list in board.lists:
    st.text(trello_list.name)
live_updates()
