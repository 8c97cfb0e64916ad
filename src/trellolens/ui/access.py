"""The access gate: who may see live Trello boards, read with the server's own credentials.

The demo board and uploaded exports are per visitor and always open; only boards read with the
app's Trello token are gated. ``TRELLOLENS_ACCESS`` (or ``access`` in ``[trellolens]`` of
secrets.toml) picks the policy, and anything unreadable fails closed:

    local   (default) live boards when the server listens on loopback only and the request names
            a loopback host (or one in ``allowed_hosts``), else as ``login``
    login   live boards for a visitor logged in with ``st.login`` whose e-mail is allowed
    open    live boards for anyone with the URL (the owner's explicit choice)
    visitor each visitor signs in with their own Trello account and sees their own boards;
            the app's own token is never used (``components/trello_signin.py``)

``decide`` is the whole policy as a pure function; the rest reads its inputs from Streamlit.
docs/access.md is the owner's guide.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import ipaddress
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit import config as streamlit_config

from trellolens.credentials.sources.secrets_file import check_file_mode, read_secrets_file
from trellolens.credentials.sources.streamlit_secrets import configured_files
from trellolens.errors import CredentialsError
from trellolens.ui import visitor_session
from trellolens.ui.access_settings import (
    ACCESS_VARIABLE,
    EMAILS_VARIABLE,
    HOSTS_VARIABLE,
    ISSUERS_VARIABLE,
    MODES,
    SECRETS_TABLE,
    AccessMode,
    AccessSettings,
    email_allowed,
    settings_from,
)
from trellolens.ui.components import trello_signin
from trellolens.ui.hosts import request_names_an_allowed_host
from trellolens.ui.visitor_session import NOT_SIGNED_IN

log = logging.getLogger(__name__)

__all__ = [
    "ACCESS_VARIABLE",
    "ANONYMOUS",
    "EMAILS_VARIABLE",
    "HOSTS_VARIABLE",
    "ISSUERS_VARIABLE",
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
    "settings_from",
]
DECISION_KEY = "access.decision"
"""Session-state key of this run's ``AccessDecision`` (written by ``access_gate``)."""
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")
"""A request through a reverse proxy is not local, even when the server listens on loopback."""


@dataclass(frozen=True)
class Identity:
    """The visitor as ``st.user`` knows them: logged in or not, their e-mail and who vouches."""

    logged_in: bool
    email: str | None = None
    email_verified: bool = False
    """The provider's ``email_verified`` claim was exactly ``true`` (JSON true, not "true" or 1)."""
    issuer: str | None = None


ANONYMOUS = Identity(logged_in=False)


@dataclass(frozen=True)
class AccessDecision:
    """Whether this visitor sees live boards, and one line that says why (never a secret)."""

    allowed: bool
    reason: str
    offer_login: bool = False
    offer_logout: bool = False
    setup_help: bool = False
    """Show the owner's how-to (configure ``[auth]`` and the allowlist, or choose ``open``)."""
    warning: str | None = None
    misconfigured: bool = False
    """The owner's access settings are wrong: ``reason`` says which and how to fix it."""
    file_warnings: tuple[str, ...] = ()
    """Secrets files other users of the server may read (shown to admitted visitors only)."""
    visitor: bool = False
    """``access = "visitor"``: live boards are read with the visitor's own Trello token."""


SETUP_HINT = "docs/access.md explains how to set up a login and who may see live boards."
OPEN_WARNING = (
    f"{ACCESS_VARIABLE}=open: anyone who has this app's address sees the live Trello boards "
    "of its token."
)


# --- The policy: pure functions -----------------------------------------------------------------


def email_vouched(settings: AccessSettings, identity: Identity) -> str | None:
    """The visitor's e-mail when the provider verified it (or is trusted without), else None."""
    trusted = identity.email_verified or (
        identity.issuer is not None and identity.issuer in settings.unverified_email_issuers
    )
    return identity.email if trusted else None


FOREIGN_HOST = (
    "Live Trello boards are off: this page was opened under a name that is not this "
    "computer's (localhost, 127.0.0.1 or [::1]). Open it as http://localhost:<port>, or add the "
    f"name to allowed_hosts in [{SECRETS_TABLE}] of secrets.toml."
)


def decide(
    settings: AccessSettings,
    identity: Identity,
    *,
    loopback: bool,
    login_configured: bool,
    foreign_host: bool = False,
    trello_signed_in: bool = False,
) -> AccessDecision:
    """The access policy: may this visitor see boards read with the server's credentials?

    ``loopback``: the server listens on loopback only and this request names an allowed host.
    ``foreign_host``: the server listens on loopback only but the request names another host
    (a DNS-rebinding page, or a name the owner has not listed).
    """
    if settings.problem is not None:
        return AccessDecision(
            False, f"Live Trello boards are off: {settings.problem}", misconfigured=True
        )
    if settings.mode is AccessMode.OPEN:
        return AccessDecision(True, OPEN_WARNING, warning=OPEN_WARNING)
    if settings.mode is AccessMode.VISITOR:
        if trello_signed_in:
            return AccessDecision(True, "Signed in with Trello.", visitor=True)
        return AccessDecision(False, NOT_SIGNED_IN, visitor=True)
    if settings.mode is AccessMode.LOCAL and loopback:
        return AccessDecision(True, "This app listens on this computer only (loopback).")
    if settings.mode is AccessMode.LOCAL and foreign_host:
        return AccessDecision(False, FOREIGN_HOST)
    if not login_configured:
        return AccessDecision(
            False,
            "Live Trello boards are off: this app can be reached from other computers and no "
            "login is configured.",
            setup_help=True,
        )
    if not settings.allowed_emails:
        return AccessDecision(
            False,
            "Live Trello boards are off: no e-mail address is allowed to see them yet.",
            offer_logout=identity.logged_in,
            setup_help=True,
        )
    if not identity.logged_in:
        return AccessDecision(False, "Log in to see live Trello boards.", offer_login=True)
    email = email_vouched(settings, identity)
    if not email_allowed(email, settings.allowed_emails):
        who = email if email and email.isascii() else "an account without a verified e-mail"
        return AccessDecision(
            False,
            f"You are logged in as {who}, which may not see live Trello boards. Ask the app's "
            "owner to allow it, or log in with another account.",
            offer_logout=True,
        )
    return AccessDecision(True, f"Logged in as {email}.", offer_logout=True)


def is_loopback(address: str | None) -> bool:
    """True for ``localhost`` and loopback IPs; False for unset (all interfaces) and the rest."""
    text = (address or "").strip().strip("[]").lower()
    if text == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def login_providers(auth: Mapping[str, Any] | None) -> tuple[str | None, ...]:
    """The ``st.login`` providers an ``[auth]`` table configures (``None`` is the default one)."""
    if (
        not isinstance(auth, Mapping)
        or not auth.get("redirect_uri")
        or not auth.get("cookie_secret")
    ):
        return ()
    providers: list[str | None] = [None] if auth.get("client_id") else []
    providers += sorted(
        name
        for name, table in auth.items()
        if isinstance(table, Mapping) and table.get("client_id")
    )
    return tuple(providers)


# --- Reading the inputs from Streamlit ----------------------------------------------------------


def _secrets() -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """``st.secrets`` as a dict, after the checks trellolens makes of every secrets file.

    A file others may change, or a broken one, raises ``CredentialsError`` (one line, no value)
    before Streamlit reads it; no secrets anywhere is an empty dict. The tuple holds a warning per
    file other users may read.
    """
    warnings = []
    for path in configured_files():
        if path.is_file():
            warning = check_file_mode(path, os.environ)
            if warning is not None:
                warnings.append(warning)
            read_secrets_file(path)
    try:
        return st.secrets.to_dict(), tuple(warnings)
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets file anywhere
        return {}, tuple(warnings)


def _secrets_table() -> Mapping[str, Any] | None:
    try:
        table = st.secrets.to_dict().get(SECRETS_TABLE)
    except FileNotFoundError:
        return None
    return table if isinstance(table, Mapping) else None


def current_identity() -> Identity:
    """This visitor from ``st.user``: logged in only when Streamlit says so.

    ``email_verified`` counts only as JSON ``true``: a missing claim, ``"true"`` or ``1`` is not.
    """
    user = st.user.to_dict()
    if user.get("is_logged_in") is not True:
        return ANONYMOUS
    email, issuer = user.get("email"), user.get("iss")
    return Identity(
        True,
        email if isinstance(email, str) else None,
        email_verified=user.get("email_verified") is True,
        issuer=issuer if isinstance(issuer, str) else None,
    )


def request_headers() -> Mapping[str, str]:
    """The headers of this session's websocket handshake (``Host``, ``Origin``...)."""
    return dict(st.context.headers.items())


def server_on_loopback() -> bool:
    """Whether the server listens on loopback and this request did not come through a proxy."""
    if not is_loopback(streamlit_config.get_option("server.address")):
        return False
    headers = request_headers()
    lowered = {name.lower() for name, value in headers.items() if value}
    return not any(name.lower() in lowered for name in PROXY_HEADERS)


def authlib_installed() -> bool:
    return importlib.util.find_spec("authlib") is not None


def _evaluate() -> tuple[AccessDecision, tuple[str | None, ...]]:
    try:
        secrets, file_warnings = _secrets()
    except CredentialsError as exc:
        return AccessDecision(False, f"Live Trello boards are off: {exc}", misconfigured=True), ()
    table = secrets.get(SECRETS_TABLE)
    settings = settings_from(table if isinstance(table, Mapping) else None, os.environ)
    if settings.mode is AccessMode.VISITOR and settings.problem is None:
        trello_signin.handle_callback()
        try:
            trello_signin.oauth_app()
        except CredentialsError as exc:
            reason = f"Live Trello boards are off: {exc}; fix it, then reload this page."
            return AccessDecision(False, reason, misconfigured=True, visitor=True), ()
    providers = login_providers(secrets.get("auth")) if authlib_installed() else ()
    on_loopback = server_on_loopback()
    named_ok = on_loopback and request_names_an_allowed_host(
        request_headers(), settings.allowed_hosts
    )
    decision = decide(
        settings,
        current_identity(),
        loopback=named_ok,
        login_configured=bool(providers),
        foreign_host=on_loopback and not named_ok,
        trello_signed_in=visitor_session.signed_in_client() is not None,
    )
    if decision.allowed and file_warnings:
        decision = dataclasses.replace(decision, file_warnings=file_warnings)
    return decision, providers


def access_gate() -> AccessDecision:
    """Decide once per run, before any page or the sidebar reads live data; fail closed."""
    try:
        decision, providers = _evaluate()
    except Exception:  # an unexpected Streamlit shape must never open the gate
        log.exception("The access gate could not decide; live boards are off for this run")
        decision, providers = AccessDecision(False, "Live Trello boards are off for now."), ()
    st.session_state[DECISION_KEY] = (decision, providers)
    return decision


def current_access() -> AccessDecision:
    """This run's decision (``access_gate`` ran first in ``app.main``; else decided now)."""
    stored = st.session_state.get(DECISION_KEY)
    if isinstance(stored, tuple) and isinstance(stored[0], AccessDecision):
        return stored[0]
    return access_gate()


def live_boards_allowed() -> bool:
    return current_access().allowed


# --- What a refused visitor sees ---------------------------------------------------------------

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
        table = _secrets_table()
        if not decision.allowed:
            st.info(decision.reason, icon=":material/lock:")
        trello_signin.signin_panel(decision.allowed, trello_signin.app_name(table))
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
