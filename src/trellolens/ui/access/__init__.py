"""Who may see live Trello boards, and how a visitor signs in with their own Trello account.

The demo board and uploaded exports are per visitor and always open; only boards read with the
app's Trello token are gated. ``TRELLOLENS_ACCESS`` (or ``access`` in ``[trellolens]`` of
secrets.toml) picks the policy, and anything unreadable fails closed:

    local   (default) live boards when the server listens on loopback only and the request names
            a loopback host (or one in ``allowed_hosts``), else as ``login``
    login   live boards for a visitor logged in with ``st.login`` whose e-mail is allowed
    open    live boards for anyone with the URL (the owner's explicit choice)
    visitor each visitor signs in with their own Trello account and sees their own boards;
            the app's own token is never used (``signin.py``; OAuth 2.0 when the app has a
            client_id and client_secret, ``oauth2_signin.py``)

The modules:

    settings         the policy made of trellolens.settings (which reads [trellolens], TRELLOLENS_*)
    hosts            which Host/Origin names reach a loopback-bound app (DNS rebinding)
    policy           ``decide``: the policy as a pure function
    gate             reads the policy's inputs from Streamlit, once per run
    notice           what a visitor sees of the decision
    visitor_session  a signed-in visitor's own client (OAuth 1.0a token, or OAuth 2.0 session)
    signin           the Sign in with Trello panel (OAuth 1.0a, and the dispatch to OAuth 2.0)
    oauth2_signin    Sign in with Trello over OAuth 2.0: the panel and this browser's session
    oauth2_routes    its callback route (sets the signed, HttpOnly session cookie)
    oauth2_app       its client and session store, from configuration only
    browser          the browser id a sign-in is bound to, and the throttle's keys

docs/access.md is the owner's guide.
"""

from __future__ import annotations

from trellolens.ui.access.gate import access_gate, current_access, live_boards_allowed
from trellolens.ui.access.notice import access_notice
from trellolens.ui.access.policy import (
    ANONYMOUS,
    AccessDecision,
    Identity,
    decide,
)
from trellolens.ui.access.settings import (
    MODES,
    AccessMode,
    AccessSettings,
    email_allowed,
    settings_from,
)

__all__ = [
    "ANONYMOUS",
    "MODES",
    "AccessDecision",
    "AccessMode",
    "AccessSettings",
    "Identity",
    "access_gate",
    "access_notice",
    "current_access",
    "decide",
    "email_allowed",
    "live_boards_allowed",
    "settings_from",
]
