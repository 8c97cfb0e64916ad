"""Checks on the configuration: where each credential came from, shared tokens, the base URL."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from trellolens.credentials import SOURCE_KEYS, Resolution, Resolver
from trellolens.credentials.sources.environment import profile_prefix
from trellolens.doctor.check import Check, failed, passed, warned
from trellolens.errors import ConfigError, CredentialsError
from trellolens.settings import Settings
from trellolens.settings.urls import BASE_URL_VARIABLE, DEFAULT_BASE_URL

SOURCES_TITLE = "Where the credentials come from"
AWS_SOURCE_NAMES = frozenset({"aws-sm", "ssm"})
SHARED_TITLE = "One token per profile"
BASE_URL_TITLE = "Trello API address"
_PROFILE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_PROFILE_VARIABLE = re.compile(
    r"TRELLO_([A-Z0-9_]+?)_"
    r"(API_KEY|API_SECRET|OAUTH_TOKEN|CLIENT_ID|CLIENT_SECRET|REFRESH_TOKEN|TOKEN)"
)
_PLAIN_VARIABLES = frozenset(
    {
        "TRELLO_API_KEY",
        "TRELLO_API_SECRET",
        "TRELLO_OAUTH_TOKEN",
        "TRELLO_TOKEN",
        "TRELLO_CLIENT_ID",
        "TRELLO_CLIENT_SECRET",
        "TRELLO_REFRESH_TOKEN",
    }
)


def sources_check(resolution: Resolution | str) -> Check:
    """Pass with each key's source and place; fail on a broken source or a missing key."""
    if isinstance(resolution, str):  # the TRELLOLENS_* settings themselves are wrong
        return failed(
            "credentials.sources", SOURCES_TITLE, resolution, "fix the TRELLOLENS_* setting named"
        )
    profile = resolution.profile
    found = "; ".join(
        f"{key} from {resolution.provenance[key]} ({resolution.origins[key]})"
        for key in SOURCE_KEYS
        if key in resolution.provenance
    )
    if resolution.errors:
        return failed(
            "credentials.sources",
            SOURCES_TITLE,
            f"profile {profile}: " + "; ".join(resolution.errors),
            "fix the source named above; `trellolens credentials` lists every source",
        )
    if resolution.missing:
        prefix = profile_prefix(profile)
        return failed(
            "credentials.sources",
            SOURCES_TITLE,
            f"profile {profile}: missing {', '.join(resolution.missing)}"
            + (f" (found {found})" if found else " (found nothing in any source)")
            + _aws_notes(resolution),
            "set TRELLO_API_KEY and TRELLO_OAUTH_TOKEN (or "
            f"{prefix}API_KEY and {prefix}OAUTH_TOKEN), or api_key and token under [trello] in "
            ".streamlit/secrets.toml (`trellolens init` creates it)",
        )
    return passed("credentials.sources", SOURCES_TITLE, f"profile {profile}: {found}")


def profiles_in_tables(data: Mapping[str, Any]) -> set[str]:
    """Profiles named by sub-tables of ``[trello]`` or ``[connections.trello]``."""
    found: set[str] = set()
    connections = data.get("connections")
    tables = [
        data.get("trello"),
        connections.get("trello") if isinstance(connections, Mapping) else None,
    ]
    for table in tables:
        if isinstance(table, Mapping):
            found |= {
                name.lower()
                for name, value in table.items()
                if isinstance(value, Mapping) and _PROFILE.fullmatch(name.lower())
            }
    return found


def profiles_in_environment(environ: Mapping[str, str]) -> set[str]:
    """Profiles named by ``TRELLO_<PROFILE>_API_KEY``-style variables that hold something."""
    found: set[str] = set()
    for name, value in environ.items():
        if name in _PLAIN_VARIABLES or not value.strip():
            continue
        match = _PROFILE_VARIABLE.fullmatch(name)
        if match:
            found.add(match.group(1).lower())
    return found


def configured_profiles(
    current: str, tables: Iterable[Mapping[str, Any]], environ: Mapping[str, str]
) -> list[str]:
    """The current profile first, then every other profile the configuration names."""
    others: set[str] = profiles_in_environment(environ)
    for data in tables:
        others |= profiles_in_tables(data)
    return [current, *sorted(others - {current})]


def shared_token_check(resolver: Resolver, profiles: list[str]) -> Check:
    """Fail when two profiles resolve to the same token (compared by fingerprint only)."""
    try:
        pairs = resolver.profiles_sharing_token(profiles)
    except CredentialsError as exc:
        return warned(
            "credentials.shared_token",
            SHARED_TITLE,
            f"not checked: {exc}",
            "fix the credentials problem above first",
        )
    if pairs:
        shared = ", ".join(f"{a} and {b}" for a, b in pairs)
        return failed(
            "credentials.shared_token",
            SHARED_TITLE,
            f"profiles {shared} use the same token: a leak in one is a leak in both",
            "give each profile its own token ([trello.<profile>] token, or "
            "TRELLO_<PROFILE>_OAUTH_TOKEN), made for that environment only",
        )
    if len(profiles) < 2:
        return passed(
            "credentials.shared_token",
            SHARED_TITLE,
            f"only profile {profiles[0]} is configured",
        )
    return passed(
        "credentials.shared_token",
        SHARED_TITLE,
        f"profiles {', '.join(profiles)} each have their own token (or none)",
    )


def base_url_check(settings: Settings) -> Check:
    """Warn when Trello calls go anywhere but Trello's own API address."""
    try:
        configured = settings.api_base_url
    except ConfigError as exc:
        return failed("trello.base_url", BASE_URL_TITLE, str(exc), f"unset {BASE_URL_VARIABLE}")
    if configured == DEFAULT_BASE_URL:
        return passed("trello.base_url", BASE_URL_TITLE, f"{DEFAULT_BASE_URL} (Trello's own)")
    parts = urlsplit(configured)
    shown = f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if _port(parts) else "")
    shown += parts.path
    return warned(
        "trello.base_url",
        BASE_URL_TITLE,
        f"{BASE_URL_VARIABLE} sends key and token to {shown}, not {DEFAULT_BASE_URL}",
        f"unset {BASE_URL_VARIABLE} unless this is a test against the emulator",
    )


def _port(parts: Any) -> int | None:
    try:
        port: int | None = parts.port
    except ValueError:
        return None
    return port


def _aws_notes(resolution: Resolution) -> str:
    """Why an AWS source in the chain had nothing (no region, no credentials), if it said."""
    notes = [
        f"{report.title} {report.note}"
        for report in resolution.sources
        if report.consulted and report.note and report.name in AWS_SOURCE_NAMES
    ]
    return "".join(f"; {note}" for note in notes)
