"""The access policy as pure functions: who may see live Trello boards (no Streamlit).

``decide`` is the whole policy; ``gate.py`` reads its inputs from Streamlit. The modes are listed
in ``trellolens.ui.access``; docs/access.md is the owner's guide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trellolens.settings import Settings
from trellolens.ui.access.settings import (
    SECRETS_TABLE,
    AccessMode,
    AccessSettings,
    email_allowed,
)
from trellolens.ui.access.visitor_texts import NOT_SIGNED_IN


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
    f"{Settings.access.variable}=open: anyone who has this app's address sees the live Trello boards "
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


def is_admin(member_id: str, username: str, admins: tuple[str, ...]) -> bool:
    """A signed-in Trello member named in ``admins`` (by username or member id, any case)."""
    names = {name for name in (member_id.lower(), username.lower()) if name}
    return bool(names & set(admins))
