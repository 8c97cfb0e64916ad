"""A replica's page in the OAuth 2.0 soak: each load asks Trello (never a cache) through
``TrelloConnection``, so every replica needs a live access token on every page load."""

from __future__ import annotations

import os

import streamlit as st

from trellolens import TrelloConnection
from trellolens.errors import TrellolensError

conn = st.connection("trello", type=TrelloConnection)
board_id = os.environ["SOAK_BOARD_ID"]
try:
    board = conn.client.call("GET", f"boards/{board_id}", {"fields": "name"}, "the soak board")
    st.text(f"soak-ok {board['name']}")
except TrellolensError as exc:
    st.text(f"soak-failed {exc}")
