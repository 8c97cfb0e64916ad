"""The owner's access settings: ``[trellolens]`` of secrets.toml, else ``TRELLOLENS_*`` variables.

Pure functions, no Streamlit: ``settings_from`` reads the policy, ``email_allowed`` matches an
e-mail against the allowlist. ``policy.py`` decides with them; docs/access.md is the guide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trellolens.ui.access.hosts import parse_allowed_hosts
from trellolens.ui.access.public_url import PUBLIC_URL_VARIABLE, parse_public_url

ACCESS_VARIABLE = "TRELLOLENS_ACCESS"
EMAILS_VARIABLE = "TRELLOLENS_ALLOWED_EMAILS"
HOSTS_VARIABLE = "TRELLOLENS_ALLOWED_HOSTS"
ISSUERS_VARIABLE = "TRELLOLENS_UNVERIFIED_EMAIL_ISSUERS"
ADMINS_VARIABLE = "TRELLOLENS_ADMINS"
SECRETS_TABLE = "trellolens"


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
        if not entry.isascii():
            return (), (
                f"entry {number} of {where} has a non-ASCII letter; write the address in ASCII "
                "(an internationalised domain in its xn-- form)"
            )
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
    hosts, problem = _listed(table, "allowed_hosts", environ, HOSTS_VARIABLE)
    if problem is None:
        issuers, problem = _issuers(table, environ)
    public_url: str | None = None
    admins: tuple[str, ...] = ()
    if problem is None:
        public_url, problem = _public_url(table, environ)
    if problem is None:
        admins, problem = _admins(table, environ)
    if problem is not None:
        return AccessSettings(mode, problem=f"{problem}; fix it, then reload this page.")
    return AccessSettings(
        mode,
        emails,
        allowed_hosts=hosts,
        unverified_email_issuers=issuers,
        public_url=public_url,
        admins=admins,
    )


def _public_url(
    table: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[str | None, str | None]:
    if "public_url" in table:
        return parse_public_url(table["public_url"], f"public_url in [{SECRETS_TABLE}]")
    return parse_public_url(environ.get(PUBLIC_URL_VARIABLE), PUBLIC_URL_VARIABLE)


ADMIN_ENTRY = re.compile(r"@?[A-Za-z0-9_]{1,64}")


def _admins(
    table: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[tuple[str, ...], str | None]:
    """``admins``: Trello usernames (``@`` optional) or member ids, compared lower-case."""
    raw: object = table["admins"] if "admins" in table else environ.get(ADMINS_VARIABLE, "")
    where = f"admins in [{SECRETS_TABLE}] of secrets.toml" if "admins" in table else ADMINS_VARIABLE
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        return (), f"{where} must be a list of Trello usernames or member ids"
    entries = [item.strip() for item in raw if item.strip()]
    for number, entry in enumerate(entries, start=1):
        if not ADMIN_ENTRY.fullmatch(entry):
            return (), f"entry {number} of {where} is not a Trello username or member id"
    return tuple(entry.lstrip("@").lower() for entry in entries), None


def _listed(
    table: Mapping[str, Any], key: str, environ: Mapping[str, str], variable: str
) -> tuple[tuple[str, ...], str | None]:
    if key in table:
        return parse_allowed_hosts(table[key], f"{key} in [{SECRETS_TABLE}] of secrets.toml")
    return parse_allowed_hosts(environ.get(variable, ""), variable)


def _issuers(
    table: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[tuple[str, ...], str | None]:
    """``unverified_email_issuers``: the ``iss`` URLs of providers trusted without the claim."""
    key = "unverified_email_issuers"
    raw: object = table[key] if key in table else environ.get(ISSUERS_VARIABLE, "")
    where = f"{key} in [{SECRETS_TABLE}] of secrets.toml" if key in table else ISSUERS_VARIABLE
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        return (), f"{where} must be a list of issuer URLs (the iss of each provider)"
    return tuple(item.strip() for item in raw if item.strip()), None
