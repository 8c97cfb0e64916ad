"""Parsers of the access settings: who may see live boards (docs/access.md).

Each returns (value, None) or ((), a one-line problem naming ``where``, never the value).
"""

from __future__ import annotations

import re

ACCESS_MODES = ("local", "login", "open", "visitor")
ADMIN_ENTRY = re.compile(r"@?[A-Za-z0-9_]{1,64}")


def parse_access(value: object, where: str) -> tuple[str, str | None]:
    text = value.strip().lower() if isinstance(value, str) else None
    if text is None or text not in ("", *ACCESS_MODES):
        return "local", f"{where} must be one of {', '.join(ACCESS_MODES)}"
    return text or "local", None


def _entries(value: object) -> list[str] | None:
    """A comma-separated string or a list of strings, stripped, empty ones left out."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        return None
    return [item.strip() for item in value if item.strip()]


def parse_emails(value: object, where: str) -> tuple[tuple[str, ...], str | None]:
    """``allowed_emails``: addresses and ``*@domain`` patterns, ASCII only."""
    entries = _entries(value)
    if entries is None:
        return (), f"{where} must be a list of e-mail addresses (or one comma-separated string)"
    for number, entry in enumerate(entries, start=1):
        name, at, domain = entry.rpartition("@")
        if not entry.isascii():
            return (), (
                f"entry {number} of {where} has a non-ASCII letter; write the address in ASCII "
                "(an internationalised domain in its xn-- form)"
            )
        if not at or not name or not domain or "@" in name or ("*" in name and name != "*"):
            return (), f"entry {number} of {where} is not an e-mail address or a *@domain pattern"
    return tuple(entries), None


def parse_admins(value: object, where: str) -> tuple[tuple[str, ...], str | None]:
    """``admins``: Trello usernames (``@`` optional) or member ids, compared lower-case."""
    entries = _entries(value)
    if entries is None:
        return (), f"{where} must be a list of Trello usernames or member ids"
    for number, entry in enumerate(entries, start=1):
        if not ADMIN_ENTRY.fullmatch(entry):
            return (), f"entry {number} of {where} is not a Trello username or member id"
    return tuple(entry.lstrip("@").lower() for entry in entries), None


def parse_issuers(value: object, where: str) -> tuple[tuple[str, ...], str | None]:
    """``unverified_email_issuers``: the ``iss`` URLs of providers trusted without the claim."""
    entries = _entries(value)
    if entries is None:
        return (), f"{where} must be a list of issuer URLs (the iss of each provider)"
    return tuple(entries), None
