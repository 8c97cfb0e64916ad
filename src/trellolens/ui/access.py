"""The access gate: who may see live Trello boards, read with the server's own credentials.

The demo board and uploaded exports are per visitor and always open; only boards read with the
app's Trello token are gated. ``TRELLOLENS_ACCESS`` (or ``access`` in ``[trellolens]`` of
secrets.toml) picks the policy, and anything unreadable fails closed:

    local   (default) live boards when the server listens on loopback only, else as ``login``
    login   live boards for a visitor logged in with ``st.login`` whose e-mail is allowed
    open    live boards for anyone with the URL (the owner's explicit choice)

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
from enum import StrEnum
from typing import Any

import streamlit as st
from streamlit import config as streamlit_config

from trellolens.credentials.sources.secrets_file import check_file_mode, read_secrets_file
from trellolens.credentials.sources.streamlit_secrets import configured_files
from trellolens.errors import CredentialsError

log = logging.getLogger(__name__)

ACCESS_VARIABLE = "TRELLOLENS_ACCESS"
EMAILS_VARIABLE = "TRELLOLENS_ALLOWED_EMAILS"
SECRETS_TABLE = "trellolens"
DECISION_KEY = "access.decision"
"""Session-state key of this run's ``AccessDecision`` (written by ``access_gate``)."""
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")
"""A request through a reverse proxy is not local, even when the server listens on loopback."""


class AccessMode(StrEnum):
    LOCAL = "local"
    LOGIN = "login"
    OPEN = "open"


MODES = ", ".join(mode.value for mode in AccessMode)


@dataclass(frozen=True)
class AccessSettings:
    """The owner's policy; ``problem`` is a one-line configuration error (then nobody is let in)."""

    mode: AccessMode = AccessMode.LOCAL
    allowed_emails: tuple[str, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class Identity:
    """The visitor as ``st.user`` knows them: logged in or not, and a verified e-mail if any."""

    logged_in: bool
    email: str | None = None


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


SETUP_HINT = "docs/access.md explains how to set up a login and who may see live boards."
OPEN_WARNING = (
    f"{ACCESS_VARIABLE}=open: anyone who has this app's address sees the live Trello boards "
    "of its token."
)


# --- The policy: pure functions -----------------------------------------------------------------


def email_allowed(email: str | None, patterns: tuple[str, ...]) -> bool:
    """Exact addresses and ``*@domain`` patterns, case-insensitive; no e-mail is never allowed."""
    if not email or email.count("@") != 1:
        return False
    address = email.strip().casefold()
    domain = address.partition("@")[2]
    for pattern in patterns:
        wanted = pattern.strip().casefold()
        if wanted.startswith("*@"):
            if domain and domain == wanted[2:]:
                return True
        elif address == wanted:
            return True
    return False


def decide(
    settings: AccessSettings, identity: Identity, *, loopback: bool, login_configured: bool
) -> AccessDecision:
    """The access policy: may this visitor see boards read with the server's credentials?"""
    if settings.problem is not None:
        return AccessDecision(
            False, f"Live Trello boards are off: {settings.problem}", misconfigured=True
        )
    if settings.mode is AccessMode.OPEN:
        return AccessDecision(True, OPEN_WARNING, warning=OPEN_WARNING)
    if settings.mode is AccessMode.LOCAL and loopback:
        return AccessDecision(True, "This app listens on this computer only (loopback).")
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
    if not email_allowed(identity.email, settings.allowed_emails):
        who = identity.email or "an account without a verified e-mail"
        return AccessDecision(
            False,
            f"You are logged in as {who}, which may not see live Trello boards. Ask the app's "
            "owner to allow it, or log in with another account.",
            offer_logout=True,
        )
    return AccessDecision(True, f"Logged in as {identity.email}.", offer_logout=True)


def _email_entries(value: object, where: str) -> tuple[tuple[str, ...], str | None]:
    if isinstance(value, str):
        entries = [part.strip() for part in value.split(",")]
    elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        entries = [item.strip() for item in value]
    else:
        return (), f"{where} must be a list of e-mail addresses (or one comma-separated string)"
    entries = [entry for entry in entries if entry]
    for number, entry in enumerate(entries, start=1):
        name, at, domain = entry.rpartition("@")
        if not at or not name or not domain or "@" in name or ("*" in name and name != "*"):
            return (), (f"entry {number} of {where} is not an e-mail address or a *@domain pattern")
    return tuple(entries), None


def settings_from(table: Mapping[str, Any] | None, environ: Mapping[str, str]) -> AccessSettings:
    """The policy from ``[trellolens]`` of secrets.toml, else from the environment."""
    table = table or {}
    if "access" in table:
        raw, where = table["access"], f"access in [{SECRETS_TABLE}] of secrets.toml"
    else:
        raw, where = environ.get(ACCESS_VARIABLE, ""), ACCESS_VARIABLE
    text = raw.strip().lower() if isinstance(raw, str) else None
    if text is None or text not in {"", *AccessMode}:
        return AccessSettings(
            AccessMode.LOGIN,
            problem=f"{where} must be one of {MODES}; fix it, then reload this page.",
        )
    mode = AccessMode(text) if text else AccessMode.LOCAL
    if "allowed_emails" in table:
        emails, problem = _email_entries(
            table["allowed_emails"], f"allowed_emails in [{SECRETS_TABLE}] of secrets.toml"
        )
    else:
        emails, problem = _email_entries(environ.get(EMAILS_VARIABLE, ""), EMAILS_VARIABLE)
    if problem is not None:
        return AccessSettings(mode, problem=f"{problem}; fix it, then reload this page.")
    return AccessSettings(mode, emails)


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


def current_identity() -> Identity:
    """This visitor from ``st.user``: logged in only when Streamlit says so, e-mail if verified."""
    user = st.user.to_dict()
    if user.get("is_logged_in") is not True:
        return ANONYMOUS
    email = user.get("email")
    verified = user.get("email_verified") is not False
    return Identity(True, email if isinstance(email, str) and verified else None)


def listens_on_loopback_only() -> bool:
    """Whether the server listens on loopback and this request did not come through a proxy."""
    if not is_loopback(streamlit_config.get_option("server.address")):
        return False
    headers = st.context.headers
    return not any(headers.get(name) for name in PROXY_HEADERS)


def authlib_installed() -> bool:
    return importlib.util.find_spec("authlib") is not None


def _evaluate() -> tuple[AccessDecision, tuple[str | None, ...]]:
    try:
        secrets, file_warnings = _secrets()
    except CredentialsError as exc:
        return AccessDecision(False, f"Live Trello boards are off: {exc}", misconfigured=True), ()
    table = secrets.get(SECRETS_TABLE)
    settings = settings_from(table if isinstance(table, Mapping) else None, os.environ)
    providers = login_providers(secrets.get("auth")) if authlib_installed() else ()
    decision = decide(
        settings,
        current_identity(),
        loopback=listens_on_loopback_only(),
        login_configured=bool(providers),
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
