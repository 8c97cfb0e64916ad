"""A visitor's own Trello token (``access = "visitor"``): held in their session state only.

The token never goes to disk, a log, a URL or a process-wide cache: it lives in this session's
``st.session_state`` as a ``Secret`` inside a ``TrelloClient``. Caches in ``data.py`` key live data
by the token's fingerprint, so another session (without the token) can never hit them.

``VisitorConnection`` mirrors ``TrelloConnection``: ``data.trello_connection()`` hands it out in
visitor mode, so every page reads live boards with the visitor's token and never the app's.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from trellolens.connection import app_settings
from trellolens.credentials import Secret
from trellolens.errors import CredentialsError, TrellolensError
from trellolens.service.visitors import visitor_client
from trellolens.ui.access import oauth2_signin
from trellolens.ui.access.visitor_texts import NOT_SIGNED_IN

if TYPE_CHECKING:
    from trellolens.board import Board
    from trellolens.trello import BoardSummary, TokenInfo, TrelloClient
    from trellolens.trello.history import Progress

CLIENT_KEY = "visitor.client"
"""Session-state key of this visitor's ``SignedIn``."""


@dataclass(frozen=True)
class SignedIn:
    client: TrelloClient
    member: TrelloMember

    def __repr__(self) -> str:
        return "SignedIn(<visitor token>)"


@dataclass(frozen=True)
class TrelloMember:
    """Who signed in, as Trello said when the token was checked (for the admins list)."""

    member_id: str
    username: str


def sign_in(api_key: Secret, token: Secret, base_url: str, member: TrelloMember) -> None:
    """Keep the visitor's token, in a client of its own, in this session only."""
    sign_out_locally()
    client = visitor_client(api_key, token, base_url, app_settings())
    st.session_state[CLIENT_KEY] = SignedIn(client, member)


def signed_in_member() -> TrelloMember | None:
    held = st.session_state.get(CLIENT_KEY)
    if isinstance(held, SignedIn):
        return held.member
    found = oauth2_signin.current_session()
    return None if found is None else TrelloMember(found[2].member_id, found[2].username)


def signed_in_client() -> TrelloClient | None:
    """This visitor's client: their OAuth 1.0a token in this session, or their OAuth 2.0
    session (cookie), read fresh from the session store each time."""
    held = st.session_state.get(CLIENT_KEY)
    if isinstance(held, SignedIn):
        return held.client
    found = oauth2_signin.current_session()
    return None if found is None else found[0].client(found[1])


def sign_out_locally() -> None:
    """Forget the token (and close its connections) without telling Trello."""
    held = st.session_state.pop(CLIENT_KEY, None)
    if isinstance(held, SignedIn):
        held.client.close()


def sign_out() -> str | None:
    """Revoke the token at Trello, then forget it; a one-line problem if Trello said no."""
    client = signed_in_client()
    if client is None:
        return None
    problem = None
    try:
        client.revoke_token()
    except TrellolensError as exc:
        problem = (
            f"Trello could not revoke the sign-in ({type(exc).__name__}); it expires by itself"
        )
    finally:
        sign_out_locally()
    return problem


class VisitorConnection:
    """The visitor's Trello access, shaped like ``TrelloConnection`` (what pages call)."""

    @property
    def client(self) -> TrelloClient:
        client = signed_in_client()
        if client is None:
            raise CredentialsError(NOT_SIGNED_IN)
        return client

    @property
    def token_fingerprint(self) -> str:
        return self.client.token_fingerprint

    def boards(self) -> list[BoardSummary]:
        return self.client.boards()

    def board_snapshot(
        self, board_id: str, *, max_actions: int | None = None, progress: Progress | None = None
    ) -> Board:
        return self.client.board_snapshot(board_id, max_actions=max_actions, progress=progress)

    def token_info(self) -> TokenInfo:
        return self.client.token_info()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            sign_out_locally()

    def __repr__(self) -> str:
        return "VisitorConnection()"
