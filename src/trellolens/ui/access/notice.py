"""What a visitor sees of the access decision: one line, and a login, logout or sign-in button."""

from __future__ import annotations

import streamlit as st

from trellolens.connection import app_settings
from trellolens.ui.access import gate, signin
from trellolens.ui.access.gate import DECISION_KEY
from trellolens.ui.access.policy import SETUP_HINT, AccessDecision
from trellolens.ui.access.settings import access_settings

LOGIN_SETUP = """\
To let chosen people see live boards, add a login and an allowlist to `.streamlit/secrets.toml`
(on Streamlit Community Cloud: *Settings > Secrets*):

```toml
[auth]
redirect_uri = "https://your-app.example.com/oauth2callback"
cookie_secret = "a long random string"
client_id = "..."
client_secret = "..."
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"

[trellolens]
access = "login"
allowed_emails = ["you@example.com", "*@your-company.example"]
```

Or set `TRELLOLENS_ACCESS=open` to accept that anyone with the app's address sees the boards.
"""


def _provider_label(provider: str | None) -> str:
    return "Log in" if provider is None else f"Log in with {provider}"


def access_notice(decision: AccessDecision) -> None:
    """One short explanation, and a login (or logout) button when that can help."""
    if decision.visitor and not decision.misconfigured:
        settings = app_settings()
        if not decision.allowed:
            st.info(decision.reason, icon=":material/lock:")
        public_url = access_settings(settings).public_url
        origin = {k.lower(): v for k, v in gate.request_headers().items()}.get("origin")
        signin.signin_panel(decision.allowed, signin.app_name(settings), public_url, origin)
        return
    if decision.allowed:
        if decision.warning:
            st.warning(decision.warning, icon=":material/public:")
        if decision.offer_logout:
            st.caption(decision.reason)
            if st.button("Log out", key="access.logout"):
                st.logout()
        return
    stored = st.session_state.get(DECISION_KEY)
    providers = stored[1] if isinstance(stored, tuple) and stored[0] == decision else ()
    if decision.misconfigured:
        st.error(decision.reason)
    else:
        st.info(decision.reason, icon=":material/lock:")
    if decision.offer_login:
        for provider in providers:
            if st.button(_provider_label(provider), key=f"access.login.{provider or 'default'}"):
                st.login(provider)
    if decision.offer_logout and st.button("Log out", key="access.logout"):
        st.logout()
    if decision.setup_help:
        with st.expander("How the app's owner can allow live boards"):
            st.markdown(LOGIN_SETUP)
            st.caption(SETUP_HINT)
