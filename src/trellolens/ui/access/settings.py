"""The owner's access policy, from ``trellolens.settings`` (which reads and checks the values).

Pure functions, no Streamlit: ``access_settings`` turns the settings into the policy,
``email_allowed`` matches an e-mail against the allowlist. ``policy.py`` decides with them; docs/access.md is the guide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trellolens.errors import ConfigError
from trellolens.settings import SECRETS_TABLE, Settings

__all__ = [
    "MODES",
    "SECRETS_TABLE",
    "AccessMode",
    "AccessSettings",
    "access_settings",
    "email_allowed",
    "settings_from",
]


class AccessMode(StrEnum):
    LOCAL = "local"
    LOGIN = "login"
    OPEN = "open"
    VISITOR = "visitor"


MODES = ", ".join(mode.value for mode in AccessMode)


@dataclass(frozen=True)
class AccessSettings:
    """The owner's policy; ``problem`` is a one-line configuration error (then nobody is let in)."""

    mode: AccessMode = AccessMode.LOCAL
    allowed_emails: tuple[str, ...] = ()
    problem: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    """Host names besides loopback that ``local`` accepts in ``Host``/``Origin``."""
    unverified_email_issuers: tuple[str, ...] = ()
    """Identity providers (``iss``) whose e-mails count without ``email_verified = true``."""
    public_url: str | None = None
    """The app's address as visitors open it (the sign-in callback is built from it only)."""
    admins: tuple[str, ...] = ()
    """Trello usernames or member ids who see the server's facts on the Security page."""


def email_allowed(email: str | None, patterns: tuple[str, ...]) -> bool:
    """Exact addresses and ``*@domain`` patterns, ASCII case-insensitive; no e-mail is never allowed.

    Only ASCII addresses match: ``str.casefold`` (or ``lower``) maps look-alikes such as the
    Kelvin sign onto ASCII letters, so a non-ASCII address is refused rather than folded.
    """
    if not email or not email.isascii() or email.count("@") != 1:
        return False
    address = email.strip().lower()
    domain = address.partition("@")[2]
    for pattern in patterns:
        if not pattern.isascii():
            continue
        wanted = pattern.strip().lower()
        if wanted.startswith("*@"):
            if domain and domain == wanted[2:]:
                return True
        elif address == wanted:
            return True
    return False


def settings_from(table: Mapping[str, Any] | None, environ: Mapping[str, str]) -> AccessSettings:
    """The policy from ``[trellolens]`` of secrets.toml, else from the environment."""
    return access_settings(Settings(table, environ))


def access_settings(settings: Settings) -> AccessSettings:
    """The policy of ``settings``; a bad access setting lets nobody in (``problem`` says why)."""
    try:
        mode = AccessMode(settings.access)
    except ConfigError as problem:
        return AccessSettings(
            AccessMode.LOGIN, problem=f"{problem}; fix it, then reload this page."
        )
    try:
        return AccessSettings(
            mode,
            settings.allowed_emails,
            allowed_hosts=settings.allowed_hosts,
            unverified_email_issuers=settings.unverified_email_issuers,
            public_url=settings.public_url,
            admins=settings.admins,
        )
    except ConfigError as problem:
        return AccessSettings(mode, problem=f"{problem}; fix it, then reload this page.")
