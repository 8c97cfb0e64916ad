"""Which browser a session runs in, and from where: what a sign-in is bound to and throttled by.

The browser id is the HttpOnly ``trellolens_browser`` cookie ``signin_routes`` sets on the first
page; a script reads it from its websocket handshake (``st.context.cookies``), never from script
code in the page. Shared by both sign-ins (OAuth 1.0a ``signin``, OAuth 2.0 ``oauth2_signin``).
"""

from __future__ import annotations

import secrets

import streamlit as st

from trellolens.ui.access.signin_routes import BROWSER_COOKIE, BROWSER_ID

THROTTLE_ID_KEY = "visitor.throttle_id"
NO_COOKIE = (
    "Sign-in needs this site's cookie (it binds the sign-in to your browser); reload the page"
)


def this_browser() -> str | None:
    value = st.context.cookies.get(BROWSER_COOKIE)
    return value if isinstance(value, str) and BROWSER_ID.fullmatch(value) else None


def client_address() -> str | None:
    """The websocket peer's address (None on loopback); behind a proxy, the proxy's."""
    value = st.context.ip_address
    return value if isinstance(value, str) else None


def throttle_id() -> str:
    """This browser session's key in the sign-in throttle."""
    value = st.session_state.get(THROTTLE_ID_KEY)
    if not isinstance(value, str):
        value = st.session_state[THROTTLE_ID_KEY] = secrets.token_hex(16)
    return value
