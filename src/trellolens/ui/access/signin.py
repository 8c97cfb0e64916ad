"""Sign in with Trello (``access = "visitor"``): Trello's OAuth 1.0a flow, bound to one browser.

1. **Sign in with Trello** (this tab, session S; a few per minute per session and per client
   address): the app asks Trello for a request token whose callback is built from configuration
   only (``public_url``), keeps its secret in S's session state only, binds the request token to
   this browser's HttpOnly cookie (``signin_routes``), and shows **Continue on Trello**.
2. Trello sends the approving tab to ``/trellolens/signin/callback``: the verifier is recorded only
   when that tab brings the same browser cookie, and the tab is redirected to the Connect page
   (``?signin=<outcome>``), so the verifier never stays in its history. A callback in any other
   browser is refused and changes nothing.
3. S, polling every second, takes the verifier, exchanges it with the secret only S holds, asks
   Trello what the token may do (``signin_grant``) and keeps it in S's session state
   (``visitor_session``), or revokes a token broader or longer-lived than asked.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from trellolens.connection import app_settings
from trellolens.credentials import Secret, default_resolver
from trellolens.credentials.model import API_KEY, API_SECRET
from trellolens.credentials.redaction import redact
from trellolens.errors import ConfigError, CredentialsError, TrelloError
from trellolens.service import visitors
from trellolens.service.visitors import (
    OAuthApp,
    PendingSignIn,
    authorize_url,
    finish_sign_in,
    start_sign_in,
)
from trellolens.settings import Settings
from trellolens.ui.access import visitor_session
from trellolens.ui.access.public_url import (
    callback_url,
)
from trellolens.ui.access.signin_callbacks import CALLBACKS, SIGNIN_TTL_SECONDS
from trellolens.ui.access.signin_grant import grant_problem
from trellolens.ui.access.signin_routes import OUTCOME_PARAM
from trellolens.ui.access.signin_start import start_checks
from trellolens.ui.access.visitor_session import TrelloMember

PENDING_KEY = "visitor.pending"
NOTICE_KEY = "visitor.notice"
DEFAULT_APP_NAME = "trellolens"
APP_NAME_VARIABLE = "TRELLOLENS_APP_NAME"
CALLBACK_PARAMS = ("oauth_token", "oauth_verifier", "oauth_problem", "denied", "code", "state")

OUTCOME_LINES = {
    "approved": (
        "Trello approved the sign-in. Go back to the tab where you clicked Sign in with Trello; "
        "you can close this one."
    ),
    "denied": "The sign-in was cancelled on Trello; no token was issued.",
    "expired": "The sign-in took longer than 10 minutes and expired. Sign in again.",
    "unknown": (
        "This Trello sign-in link is not valid here (used already, expired or started "
        "elsewhere). Sign in again."
    ),
    "foreign": (
        "Refused: this sign-in was started in another browser, so it cannot finish here and "
        "nothing changed. Click Sign in with Trello in this browser to sign in."
    ),
}
NEEDS_KEYS = (
    'access = "visitor" needs the app\'s Trello api_key and api_secret (the OAuth secret on '
    "the app's Power-Up admin page), in [trello] of secrets.toml or TRELLO_API_KEY and "
    "TRELLO_API_SECRET"
)


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
    return visitors.oauth_app(api_key, api_secret, visitors.api_base_url(app_settings()))


def app_name(settings: Settings) -> str:
    """The name Trello shows on its approval page (``app_name``), else trellolens's."""
    try:
        return settings.app_name or DEFAULT_APP_NAME
    except ConfigError:
        return DEFAULT_APP_NAME


def handle_callback() -> None:
    """The Connect page after the callback route: one line for its outcome; no verifier here."""
    params = st.query_params
    outcome = params.get(OUTCOME_PARAM)
    stray = any(name in params for name in CALLBACK_PARAMS)
    if outcome is None and not stray:
        return
    for name in (*CALLBACK_PARAMS, OUTCOME_PARAM):  # a stray verifier is never used or kept
        params.pop(name, None)
    from trellolens.ui.access import oauth2_signin

    lines = OUTCOME_LINES if oauth2_signin.configured() is None else oauth2_signin.OUTCOME_LINES
    key = outcome if isinstance(outcome, str) and outcome in lines and not stray else "unknown"
    st.session_state[NOTICE_KEY] = lines[key]


def _start(name: str, public_url: str | None, page_origin: str | None) -> None:
    checked = start_checks(public_url, page_origin)
    if isinstance(checked, str):
        st.session_state[NOTICE_KEY] = checked
        return
    browser, base = checked
    try:
        app = oauth_app()
        pending = start_sign_in(app, callback_url(base))
    except (ConfigError, CredentialsError, TrelloError) as exc:
        st.session_state[NOTICE_KEY] = redact(f"Sign-in could not start: {exc}")
        return
    CALLBACKS.expect(pending.token, browser)
    url = authorize_url(app, pending, name=name)
    st.session_state[PENDING_KEY] = Pending(pending, time.monotonic(), url)


def _checked_token(app: OAuthApp, token: Secret, base_url: str) -> TrelloMember | str:
    """Whose the token is when it is what the app asked for; else revoke it, and say why."""
    with visitors.visitor_client(app.api_key, token, base_url, app_settings()) as client:
        info = client.token_info()
        problem = grant_problem(info, datetime.now(UTC))
        if problem is not None:
            with contextlib.suppress(TrelloError):
                client.revoke_token()
            return problem
        me = client.call("GET", "/members/me", {"fields": "username"}, "your Trello member")
    username = me.get("username") if isinstance(me, dict) else None
    return TrelloMember(info.member_id, username if isinstance(username, str) else "")


def _finish(pending: Pending, verifier: str | None) -> None:
    if verifier is None:
        st.session_state[NOTICE_KEY] = OUTCOME_LINES["denied"]
        return
    try:
        app = oauth_app()
        token = finish_sign_in(app, pending.sign_in, verifier)
        base_url = visitors.api_base_url(app_settings())
        checked = _checked_token(app, token, base_url)
        if isinstance(checked, str):
            st.session_state[NOTICE_KEY] = (
                f"Sign-in refused: Trello granted a token {checked}; it was revoked. Sign in "
                "again and approve the page this app opens, unchanged."
            )
            return
        visitor_session.sign_in(app.api_key, token, base_url, checked)
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
        st.session_state[NOTICE_KEY] = OUTCOME_LINES["expired"]
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


def signin_panel(
    signed_in: bool, name: str, public_url: str | None, page_origin: str | None = None
) -> None:
    """The notice of the last step, then Sign in (or the wait for Trello), or Sign out.

    ``page_origin`` (the browser's ``Origin``) is only compared with the configured address, so
    a visitor on another name for this app is told where to sign in; it never builds a URL.
    """
    from trellolens.ui.access import oauth2_signin

    notice = st.session_state.pop(NOTICE_KEY, None)
    if isinstance(notice, str):
        st.info(notice, icon=":material/info:")
    oauth2 = oauth2_signin.configured()
    if oauth2 is not None:
        oauth2_signin.oauth2_panel(oauth2, signed_in, public_url, page_origin)
        return
    if signed_in:
        st.caption("Signed in with Trello: you see your own boards, read with your own token.")
        st.button("Sign out", key="visitor.sign_out", on_click=_sign_out)
        return
    if isinstance(st.session_state.get(PENDING_KEY), Pending):
        _await_approval()
        st.button("Cancel sign-in", key="visitor.cancel", on_click=_cancel)
        return
    st.button(
        "Sign in with Trello",
        key="visitor.sign_in",
        type="primary",
        on_click=_start,
        args=(name, public_url, page_origin),
    )
