"""The access gate: reads the policy's inputs from Streamlit and decides once per run.

``policy.decide`` is the policy; this module feeds it the owner's settings, ``st.user``, the
request's headers and the visitor's Trello sign-in, and fails closed on anything unexpected.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit import config as streamlit_config

from trellolens.connection import app_settings
from trellolens.credentials.sources.secrets_file import check_file_mode, read_secrets_file
from trellolens.credentials.sources.streamlit_secrets import configured_files
from trellolens.errors import CredentialsError
from trellolens.loopback import is_loopback
from trellolens.settings import Settings
from trellolens.ui.access import oauth2_signin, signin, visitor_session
from trellolens.ui.access.hosts import request_names_an_allowed_host
from trellolens.ui.access.policy import (
    ANONYMOUS,
    AccessDecision,
    Identity,
    decide,
    is_admin,
    login_providers,
)
from trellolens.ui.access.settings import SECRETS_TABLE, AccessMode, access_settings

log = logging.getLogger(__name__)

DECISION_KEY = "access.decision"
"""Session-state key of this run's ``AccessDecision`` (written by ``access_gate``)."""
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")
"""A request through a reverse proxy is not local, even when the server listens on loopback."""


# --- Reading the inputs from Streamlit ----------------------------------------------------------


def _secrets() -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """``st.secrets`` as a dict, after the checks trellolens makes of every secrets file.

    A file others may change, or a broken one, raises ``CredentialsError`` (one line, no value)
    before Streamlit reads it; no secrets anywhere is an empty dict. The tuple holds a warning per
    file other users may read.
    """
    warnings = []
    allow_open = Settings().allow_open_secrets_file  # the environment's: it guards the file
    for path in configured_files():
        if path.is_file():
            warning = check_file_mode(path, allow_open)
            if warning is not None:
                warnings.append(warning)
            read_secrets_file(path)
    try:
        return st.secrets.to_dict(), tuple(warnings)
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets file anywhere
        return {}, tuple(warnings)


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
    settings = access_settings(app_settings(table if isinstance(table, Mapping) else {}))
    if settings.mode is AccessMode.VISITOR and settings.problem is None:
        signin.handle_callback()
        try:
            if oauth2_signin.configured() is None:
                signin.oauth_app()
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


def sees_server_facts(decision: AccessDecision) -> bool:
    """May this visitor see the server's facts (working directory, Redis host, API base URL,
    the owner's token)? Whoever the gate admits, except in visitor mode: there only an admin
    (``admins``) or a page served on loopback."""
    if not decision.visitor:
        return decision.allowed
    if served_on_loopback():
        return True
    settings = access_settings(app_settings())
    member = visitor_session.signed_in_member()
    return member is not None and is_admin(member.member_id, member.username, settings.admins)


def served_on_loopback() -> bool:
    """Is this page served on loopback, under a name this computer answers to (no proxy)? Then
    whoever reads it sits at the app's own computer: the owner."""
    settings = access_settings(app_settings())
    return server_on_loopback() and request_names_an_allowed_host(
        request_headers(), settings.allowed_hosts
    )


def live_boards_allowed() -> bool:
    return current_access().allowed
