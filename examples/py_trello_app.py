"""The common py-trello tutorial app, with trellolens finding the credentials.

The tutorial's line

    client = TrelloClient(
        api_key=st.secrets["trello"]["api_key"],
        api_secret=st.secrets["trello"]["api_secret"],
        token=st.secrets["trello"]["oauth_token"],
    )

becomes `client = py_trello_client()`: the same py-trello client, with the credentials from
.streamlit/secrets.toml, the environment, a .env file or AWS, and never shown.

    pip install "trellolens[py-trello]"
    streamlit run examples/py_trello_app.py
"""

import streamlit as st

from trellolens import CredentialsError, py_trello_client

st.title("My Trello boards")
try:
    client = py_trello_client()
except CredentialsError as exc:
    st.error(str(exc))
    st.stop()

for board in client.list_boards():
    st.text(board.name)  # text, not markdown: board names come from Trello
