"""Trello as a Streamlit connection: `st.connection("trello", type=TrelloConnection)`.

Credentials come from [connections.trello] (api_key and token, or py-trello's oauth_token),
[trello], the environment, a .env file or AWS, and are never shown.

    pip install trellolens
    streamlit run examples/connection_app.py
"""

import streamlit as st

from trellolens import CredentialsError, TrelloConnection

st.title("My Trello boards")
try:
    conn = st.connection("trello", type=TrelloConnection)
    boards = conn.boards()
except CredentialsError as exc:
    st.error(str(exc))
    st.stop()

for board in boards:
    st.text(board.name)  # text, not markdown: board names come from Trello
