"""Sign in with Trello over OAuth 2.0 (``access = "visitor"`` with ``client_id``/``client_secret``).

1. **Sign in with Trello** (this tab; throttled like OAuth 1.0a): the app makes a ``state`` and
   a PKCE verifier, keeps them server-side bound to this browser's cookie, and shows **Continue
   on Trello** (the consent page, least scopes, callback URL from ``public_url`` only).
2. Trello sends the approving tab to the callback route (``oauth2_routes``): it finishes the
   sign-in there, sets the session cookie (an opaque, signed id) and leaves that tab signed in.
3. This tab, polling every second, picks the session up by its ``state``. A reload, another tab
   or another replica finds it through the cookie; Sign out revokes the grant at Trello and
   deletes the session everywhere. No token ever reaches the browser.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from trellolens.errors import ConfigError, CredentialsError, TrellolensError
from trellolens.service.visitor_oauth2 import VisitorOAuth2
from trellolens.service.visitor_store import PENDING_SECONDS, VisitorSession
from trellolens.ui.access.oauth2_app import (
    OAUTH2_CALLBACK_PATH,
    SESSION_COOKIE,
    visitor_oauth2,
)
from trellolens.ui.access.signin_start import start_checks
from trellolens.ui.markdown_text import plain

log = logging.getLogger(__name__)
SESSION_KEY = "visitor.oauth2.session"
"""Session-state key of the session id this tab picked up after signing in (before a reload)."""
PENDING_KEY = "visitor.oauth2.pending"
NOTICE_KEY = "visitor.notice"
OUTCOME_LINES = {
    "approved": (
        "Signed in with Trello. This tab is signed in too; the tab where you clicked Sign in "
        "goes on by itself."
    ),
    "denied": "The sign-in was cancelled on Trello; no token was issued.",
    "unknown": (
        "This Trello sign-in link is not valid here (forged, used already or expired); nothing "
        "changed. Sign in again."
    ),
    "foreign": (
        "Refused: this sign-in was started in another browser, so it cannot finish here and "
        "nothing changed. Click Sign in with Trello in this browser to sign in."
    ),
    "code": (
        "Refused: Trello did not accept the sign-in code (used, expired or not this sign-in's); "
        "nothing changed. Sign in again."
    ),
    "grant": (
        "Sign-in refused: Trello granted more (or less) than the app asks for; it was revoked. "
        "Sign in again and approve the page this app opens, unchanged."
    ),
    "failed": "The sign-in could not finish (Trello or the app's session store did not answer).",
}


@dataclass(frozen=True)
class Pending:
    state: str
    url: str
    started: float

    def __repr__(self) -> str:
        return "Pending(<sign-in>)"


def configured() -> VisitorOAuth2 | None:
    """The OAuth 2.0 client for visitors, or None (OAuth 1.0a then, or a bad setting)."""
    try:
        return visitor_oauth2()
    except (ConfigError, CredentialsError):
        return None


def session_cookie_value() -> str | None:
    """The session cookie this tab's websocket handshake brought (``HttpOnly``: never scripts')."""
    value = st.context.cookies.get(SESSION_COOKIE)
    return value if isinstance(value, str) else None


def current_session() -> tuple[VisitorOAuth2, str, VisitorSession] | None:
    """This browser's live session (the cookie, or the one this tab picked up), else None.

    Read from the store on every call, so a sign-out anywhere is a sign-out here; a forged,
    foreign or expired cookie is no session.
    """
    app = configured()
    if app is None:
        return None
    adopted = st.session_state.get(SESSION_KEY)
    session_id = adopted if isinstance(adopted, str) else None
    if session_id is None:
        session_id = app.keys.verify(session_cookie_value())
    if session_id is None:
        return None
    try:
        session = app.session(session_id)
    except TrellolensError as exc:
        log.warning("The visitor session store did not answer (%s)", type(exc).__name__)
        return None
    if session is None:
        st.session_state.pop(SESSION_KEY, None)
        return None
    return app, session_id, session


def _start(app: VisitorOAuth2, public_url: str | None, page_origin: str | None) -> None:
    checked = start_checks(public_url, page_origin)
    if isinstance(checked, str):
        st.session_state[NOTICE_KEY] = checked
        return
    browser, base = checked
    try:
        url, state = app.begin(browser, base + OAUTH2_CALLBACK_PATH)
    except TrellolensError as exc:
        st.session_state[NOTICE_KEY] = f"Sign-in could not start ({type(exc).__name__})."
        return
    st.session_state[PENDING_KEY] = Pending(state, url, time.monotonic())


@st.fragment(run_every=1.0)
def _await_approval(app: VisitorOAuth2) -> None:
    pending = st.session_state.get(PENDING_KEY)
    if not isinstance(pending, Pending):
        return
    if time.monotonic() - pending.started > PENDING_SECONDS:
        del st.session_state[PENDING_KEY]
        st.session_state[NOTICE_KEY] = "The sign-in took longer than 10 minutes; sign in again."
        st.rerun()
    try:
        session_id = app.store.take_finished(pending.state)
    except TrellolensError:
        session_id = None
    if session_id is None:
        st.link_button("Continue on Trello", pending.url, type="primary")
        st.caption("Approve on Trello's page (a new tab); this page goes on by itself.")
        return
    del st.session_state[PENDING_KEY]
    st.session_state[SESSION_KEY] = session_id
    st.rerun()


def _cancel() -> None:
    st.session_state.pop(PENDING_KEY, None)


def _sign_out() -> None:
    _cancel()
    found = current_session()
    st.session_state.pop(SESSION_KEY, None)
    if found is None:
        return
    app, session_id, _ = found
    try:
        told = app.sign_out(session_id)
    except TrellolensError as exc:
        st.session_state[NOTICE_KEY] = f"Sign out could not reach the session store ({exc})."
        return
    st.session_state[NOTICE_KEY] = (
        "Signed out: Trello revoked the sign-in."
        if told
        else "Signed out here; Trello could not be told, so the sign-in ends when it expires."
    )


def oauth2_panel(
    app: VisitorOAuth2, signed_in: bool, public_url: str | None, page_origin: str | None
) -> None:
    """Sign in (or the wait for Trello), or Sign out."""
    if signed_in:
        st.caption("Signed in with Trello: you see your own boards, read with your own sign-in.")
        st.button("Sign out", key="visitor.sign_out", on_click=_sign_out)
        return
    if isinstance(st.session_state.get(PENDING_KEY), Pending):
        _await_approval(app)
        st.button("Cancel sign-in", key="visitor.cancel", on_click=_cancel)
        return
    st.button(
        "Sign in with Trello",
        key="visitor.sign_in",
        type="primary",
        on_click=_start,
        args=(app, public_url, page_origin),
    )


def show_session_facts() -> bool:
    """The Security page's lines for a visitor signed in over OAuth 2.0 (False: not one)."""
    found = current_session()
    if found is None:
        return False
    session = found[2]
    who = f"@{session.username}" if session.username else session.member_id
    until = datetime.fromtimestamp(session.expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    st.markdown(
        f"- Signed in with Trello (OAuth 2.0) as **{plain(who)}**\n"
        f"- Granted: **{plain(', '.join(session.scopes) or 'nothing')}**\n"
        f"- Signed in until **{plain(until)}** at the latest\n"
        "- Your tokens stay on the server (the access token lives about an hour and refreshes "
        "itself); this browser holds only a signed session id. **Sign out** on the Connect "
        "Trello page revokes them at Trello and ends the session everywhere."
    )
    return True
