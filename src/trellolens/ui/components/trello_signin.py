"""Sign in with Trello (``access = "visitor"``): Trello's OAuth 1.0a flow, in two browser tabs.

1. **Sign in with Trello** (this tab, session S): the app asks Trello for a request token, keeps
   its secret in S's session state only, and shows **Continue on Trello**, which opens Trello's
   approve page in a new tab.
2. Trello sends that tab back to this app with ``oauth_token`` and ``oauth_verifier`` in the
   query string. That tab is a new Streamlit session: it clears the query string at once and
   hands the verifier to the waiting request token (a process-wide map of request token ->
   verifier; neither is a credential without the secret), then tells the visitor to go back.
3. S, polling every second, takes the verifier and exchanges it, with the secret only S holds,
   for the visitor's token, which stays in S's session state (``visitor_session``).

A callback tab never gets a token, so a callback meant for another session, a replayed or an
expired one, or a denied approval ends in one line and no token. Signing out revokes the token.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from trellolens.credentials import default_resolver
from trellolens.credentials.model import API_KEY, API_SECRET
from trellolens.credentials.redaction import redact
from trellolens.errors import ConfigError, CredentialsError, TrelloError
from trellolens.trello.client import base_url_from_environment
from trellolens.trello.oauth1 import (
    OAuthApp,
    PendingSignIn,
    authorize_url,
    finish_sign_in,
    oauth_base_for,
    start_sign_in,
)
from trellolens.ui import visitor_session

SIGNIN_TTL_SECONDS = 600.0
PENDING_KEY = "visitor.pending"
NOTICE_KEY = "visitor.notice"
DEFAULT_APP_NAME = "trellolens"
APP_NAME_VARIABLE = "TRELLOLENS_APP_NAME"
CALLBACK_PARAMS = ("oauth_token", "oauth_verifier", "oauth_problem", "denied")

APPROVED = (
    "Trello approved the sign-in. Go back to the tab where you clicked Sign in with Trello; "
    "you can close this one."
)
UNKNOWN = "This Trello sign-in link is not valid here (used already, expired or started "
UNKNOWN += "elsewhere). Sign in again."
DENIED = "The sign-in was cancelled on Trello; no token was issued."
EXPIRED = "The sign-in took longer than 10 minutes and expired. Sign in again."
NEEDS_KEYS = (
    'access = "visitor" needs the app\'s Trello api_key and api_secret (the OAuth secret on '
    "the app's Power-Up admin page), in [trello] of secrets.toml or TRELLO_API_KEY and "
    "TRELLO_API_SECRET"
)


@dataclass
class _Expected:
    started: float
    arrived: bool = False
    verifier: str | None = None


class CallbackBoard:
    """Request tokens in flight in this process, and the verifier a callback brought for each."""

    def __init__(self, ttl: float = SIGNIN_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._expected: dict[str, _Expected] = {}

    def expect(self, request_token: str) -> None:
        now = time.monotonic()
        with self._lock:
            for token, entry in list(self._expected.items()):
                if now - entry.started > self.ttl:
                    del self._expected[token]
            self._expected[request_token] = _Expected(now)

    def arrive(self, request_token: str, verifier: str | None) -> str:
        """Record a callback once: ``approved``, ``denied``, ``expired`` or ``unknown``."""
        with self._lock:
            entry = self._expected.get(request_token)
            if entry is None or entry.arrived:
                return "unknown"
            if time.monotonic() - entry.started > self.ttl:
                del self._expected[request_token]
                return "expired"
            entry.arrived, entry.verifier = True, verifier
            return "approved" if verifier else "denied"

    def take(self, request_token: str) -> tuple[bool, str | None]:
        """(arrived, verifier) for the starting session; an arrived entry is removed."""
        with self._lock:
            entry = self._expected.get(request_token)
            if entry is None or not entry.arrived:
                return False, None
            del self._expected[request_token]
            return True, entry.verifier

    def forget(self, request_token: str) -> None:
        with self._lock:
            self._expected.pop(request_token, None)


CALLBACKS = CallbackBoard()


@dataclass(frozen=True)
class Pending:
    sign_in: PendingSignIn
    started: float
    url: str

    def __repr__(self) -> str:
        return "Pending(<request token>)"


def oauth_app() -> OAuthApp:
    """The app's key and OAuth secret from the credentials chain; ``CredentialsError`` if absent."""
    values = default_resolver().check().values
    api_key, api_secret = values.get(API_KEY), values.get(API_SECRET)
    if api_key is None or api_secret is None:
        raise CredentialsError(NEEDS_KEYS)
    return OAuthApp(api_key, api_secret, oauth_base_for(base_url_from_environment()))


def app_name(table: Mapping[str, Any] | None) -> str:
    """``app_name`` in ``[trellolens]``, else ``TRELLOLENS_APP_NAME``, else trellolens."""
    name = (table or {}).get("app_name", os.environ.get(APP_NAME_VARIABLE))
    return name.strip()[:60] if isinstance(name, str) and name.strip() else DEFAULT_APP_NAME


def handle_callback() -> None:
    """A tab Trello sent back: clear the query string, hand over the verifier, say one line."""
    params = st.query_params
    if "oauth_token" not in params:
        return
    request_token = params.get("oauth_token") or ""
    verifier = params.get("oauth_verifier") or None
    for name in CALLBACK_PARAMS:  # never kept in the address bar or the history
        params.pop(name, None)
    outcome = CALLBACKS.arrive(request_token, verifier)
    message = {"approved": APPROVED, "denied": DENIED, "expired": EXPIRED}.get(outcome, UNKNOWN)
    st.session_state[NOTICE_KEY] = message


def _start(name: str) -> None:
    try:
        app = oauth_app()
        callback = st.context.url
        if not callback:
            raise CredentialsError("this page's address is unknown; reload the page")
        pending = start_sign_in(app, callback)
    except (ConfigError, CredentialsError, TrelloError) as exc:
        st.session_state[NOTICE_KEY] = redact(f"Sign-in could not start: {exc}")
        return
    CALLBACKS.expect(pending.token)
    url = authorize_url(app, pending, name=name)
    st.session_state[PENDING_KEY] = Pending(pending, time.monotonic(), url)


def _finish(pending: Pending, verifier: str | None) -> None:
    if verifier is None:
        st.session_state[NOTICE_KEY] = DENIED
        return
    try:
        app = oauth_app()
        token = finish_sign_in(app, pending.sign_in, verifier)
        visitor_session.sign_in(app.api_key, token, base_url_from_environment())
    except (ConfigError, CredentialsError, TrelloError) as exc:
        st.session_state[NOTICE_KEY] = redact(f"Sign-in failed: {exc}")


@st.fragment(run_every=1.0)
def _await_approval() -> None:
    pending = st.session_state.get(PENDING_KEY)
    if not isinstance(pending, Pending):
        return
    if time.monotonic() - pending.started > SIGNIN_TTL_SECONDS:
        CALLBACKS.forget(pending.sign_in.token)
        del st.session_state[PENDING_KEY]
        st.session_state[NOTICE_KEY] = EXPIRED
        st.rerun()
    arrived, verifier = CALLBACKS.take(pending.sign_in.token)
    if not arrived:
        st.link_button("Continue on Trello", pending.url, type="primary")
        st.caption("Approve on Trello's page (a new tab); this page goes on by itself.")
        return
    del st.session_state[PENDING_KEY]
    _finish(pending, verifier)
    st.rerun()


def _cancel() -> None:
    pending = st.session_state.pop(PENDING_KEY, None)
    if isinstance(pending, Pending):
        CALLBACKS.forget(pending.sign_in.token)


def _sign_out() -> None:
    _cancel()
    problem = visitor_session.sign_out()
    st.session_state[NOTICE_KEY] = problem or "Signed out: Trello revoked the sign-in."


def signin_panel(signed_in: bool, name: str) -> None:
    """The notice of the last step, then Sign in (or the wait for Trello), or Sign out."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if isinstance(notice, str):
        st.info(notice, icon=":material/info:")
    if signed_in:
        st.caption("Signed in with Trello: you see your own boards, read with your own token.")
        st.button("Sign out", key="visitor.sign_out", on_click=_sign_out)
        return
    if isinstance(st.session_state.get(PENDING_KEY), Pending):
        _await_approval()
        st.button("Cancel sign-in", key="visitor.cancel", on_click=_cancel)
        return
    st.button(
        "Sign in with Trello", key="visitor.sign_in", type="primary", on_click=_start, args=(name,)
    )
