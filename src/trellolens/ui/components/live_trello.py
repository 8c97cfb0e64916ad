"""The Connect page's live part: check the token with Trello and say what it may do.

The boards themselves are picked in the sidebar of every page (``components/board_picker.py``).

A refused token or key gets one line that says what happened and what to do, never a traceback
and never a value.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from trellolens.credentials.redaction import redact
from trellolens.errors import (
    ConfigError,
    CredentialsError,
    InvalidKeyError,
    InvalidTokenError,
    SignInRequiredError,
    TrelloError,
)
from trellolens.trello import TokenInfo
from trellolens.ui.data.cache import board_list, checked_token, trello_connection
from trellolens.ui.markdown_text import plain
from trellolens.ui.wording import counted

RENEWAL_STEPS = (
    "To get a new token, open `https://trello.com/1/authorize?expiration=30days&scope=read"
    "&response_type=token&name=trellolens&key=<your API key>` signed in as the board's member, approve, and put "
    "the token it shows where the current one lives (the table below says where)."
)


def oauth2_summary(info: TokenInfo, now: datetime) -> str:
    """An OAuth 2.0 sign-in: its granted scopes and its access token's remaining lifetime."""
    scopes = ", ".join(info.granted) or "no scopes"
    if info.expires is None:
        return f"Trello accepts this OAuth 2.0 sign-in: {scopes}."
    left = max(int((info.expires - now).total_seconds()), 0)
    minutes, seconds = divmod(left, 60)
    shown = f"{minutes} min" if minutes else f"{seconds} s"
    return (
        f"Trello accepts this OAuth 2.0 sign-in: {scopes}. The access token has {shown} left "
        "and refreshes itself before it expires."
    )


def token_summary(info: TokenInfo, now: datetime) -> str:
    if info.oauth2:
        return oauth2_summary(info, now)
    scopes = " and ".join(info.scopes) or "no"
    if info.expires is None:
        expiry = "never expires"
    elif info.expires <= now:
        expiry = "has expired"
    else:
        expiry = (
            f"expires on {info.expires:%Y-%m-%d} ({counted((info.expires - now).days, 'day')} left)"
        )
    app = f" for **{plain(info.identifier)}**" if info.identifier else ""
    return f"Trello accepts this token{app}: {scopes} access, {expiry}."


def live_trello() -> None:
    """Check the token and count its boards; explain any refusal in one line."""
    try:
        client = trello_connection().client
        info = checked_token(client)
        st.success(token_summary(info, datetime.now(UTC)))
        if info.can_write and info.oauth2:
            st.warning(
                "This sign-in may also change your boards; trellolens only reads them. Sign in "
                "again with `trellolens login` (it asks for read scopes only)."
            )
        elif info.can_write:
            st.warning(
                "This token may also change your boards; trellolens only reads them. A token "
                "made with `scope=read` is safer if it ever leaks."
            )
        boards = board_list(client)
        open_boards = sum(1 for board in boards if not board.closed)
        st.info(
            f"This token reads {open_boards:d} open board{'s' if open_boards != 1 else ''}: pick "
            "one under **Your boards** in the sidebar of any page, or see them all on **Boards**."
        )
    except SignInRequiredError as exc:  # the refresh token was refused: no legacy how-to
        st.error(redact(str(exc)))
    except (InvalidTokenError, InvalidKeyError) as exc:
        st.error(redact(str(exc)))
        st.info(RENEWAL_STEPS)
    except (ConfigError, CredentialsError, TrelloError) as exc:
        st.error(redact(str(exc)))
