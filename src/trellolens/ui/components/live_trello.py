"""The Connect page's live part: check the token with Trello, say what it may do, list its boards.

A refused token or key gets one line that says what happened and what to do, never a traceback
and never a value.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from trellolens.errors import (
    CredentialsError,
    InvalidKeyError,
    InvalidTokenError,
    TrelloError,
)
from trellolens.guard.redaction import redact
from trellolens.trello import TokenInfo
from trellolens.ui.components.board_picker import board_picker
from trellolens.ui.data import checked_token, trello_connection
from trellolens.ui.markdown_text import plain

RENEWAL_STEPS = (
    "To get a new token, open `https://trello.com/1/authorize?expiration=30days&scope=read"
    "&response_type=token&name=trellolens&key=<your API key>` signed in as the board's member, approve, and put "
    "the token it shows where the current one lives (the table below says where)."
)


def token_summary(info: TokenInfo, now: datetime) -> str:
    scopes = " and ".join(info.scopes) or "no"
    if info.expires is None:
        expiry = "never expires"
    elif info.expires <= now:
        expiry = "has expired"
    else:
        expiry = f"expires on {info.expires:%Y-%m-%d} ({(info.expires - now).days} days left)"
    app = f" for **{plain(info.identifier)}**" if info.identifier else ""
    return f"Trello accepts this token{app}: {scopes} access, {expiry}."


def live_trello() -> None:
    """Check the token and show the board picker; explain any refusal in one line."""
    try:
        client = trello_connection().client
        info = checked_token(client)
        st.success(token_summary(info, datetime.now(UTC)))
        if info.can_write:
            st.warning(
                "This token may also change your boards; trellolens only reads them. A token "
                "made with `scope=read` is safer if it ever leaks."
            )
        st.subheader("Open a live board")
        board_picker(client)
    except (InvalidTokenError, InvalidKeyError) as exc:
        st.error(redact(str(exc)))
        st.info(RENEWAL_STEPS)
    except (TrelloError, CredentialsError) as exc:
        st.error(redact(str(exc)))
