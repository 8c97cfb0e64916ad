"""What the credentials layer hands out: the keys it knows, and ``TrelloCredentials``."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from trellolens.credentials.secret import Secret
from trellolens.settings.chain import DEFAULT_PROFILE as DEFAULT_PROFILE
from trellolens.settings.chain import check_profile as check_profile

API_KEY = "api_key"
API_SECRET = "api_secret"  # noqa: S105 -- a key name
TOKEN = "token"  # noqa: S105 -- a key name
CLIENT_ID = "client_id"
CLIENT_SECRET = "client_secret"  # noqa: S105 -- a key name
REFRESH_TOKEN = "refresh_token"  # noqa: S105 -- a key name
KEYS: tuple[str, ...] = (API_KEY, API_SECRET, TOKEN)
"""The legacy keys (key + token), in display order."""
REQUIRED_KEYS: tuple[str, ...] = (API_KEY, TOKEN)
"""Reading boards needs a key and a token; the API secret only signs OAuth requests."""
OAUTH2_KEYS: tuple[str, ...] = (CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
"""Trello's OAuth 2.0 (3LO): the app's client id and secret, and the owner's refresh token."""
SOURCE_KEYS: tuple[str, ...] = KEYS + OAUTH2_KEYS
"""Every key a source may supply, in display order."""
LEGACY, OAUTH2 = "legacy", "oauth2"
"""The two credential schemes: a key and a never-expiring token, or OAuth 2.0."""
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    API_KEY: ("api_key",),
    API_SECRET: ("api_secret",),
    TOKEN: ("token", "oauth_token"),
    CLIENT_ID: ("client_id",),
    CLIENT_SECRET: ("client_secret",),
    REFRESH_TOKEN: ("refresh_token",),
}
"""Names of each key in a TOML table, a JSON secret or an SSM parameter; the first one wins."""


@dataclass(frozen=True)
class TrelloCredentials:
    """Resolved Trello credentials; every value is a ``Secret``."""

    api_key: Secret
    token: Secret
    api_secret: Secret | None = None


def scheme_of(keys: Collection[str]) -> str:
    """OAuth 2.0 when its three keys are there, or when the legacy pair is incomplete and any
    OAuth 2.0 key is there; legacy otherwise."""
    if all(key in keys for key in OAUTH2_KEYS):
        return OAUTH2
    if all(key in keys for key in REQUIRED_KEYS):
        return LEGACY
    return OAUTH2 if any(key in keys for key in OAUTH2_KEYS) else LEGACY


def complete(keys: Collection[str]) -> bool:
    """Whether ``keys`` hold everything one scheme needs."""
    return all(key in keys for key in REQUIRED_KEYS) or all(key in keys for key in OAUTH2_KEYS)


@dataclass(frozen=True)
class OAuth2Credentials:
    """Resolved OAuth 2.0 credentials; ``refresh_source``/``refresh_origin`` say where the refresh
    token lives (a source name and the resolver's words), so a rotated one goes back there."""

    client_id: Secret
    client_secret: Secret
    refresh_token: Secret
    refresh_source: str = ""
    refresh_origin: str = ""


@dataclass(frozen=True)
class SourceResult:
    """What one source supplied for one profile.

    ``values`` maps a key to its ``Secret``; ``origins`` maps the same key to where exactly it was
    found (a table, variable, secret id or parameter name: never a value). ``note`` says, in one
    line, why a source had nothing (no file, no secret, no AWS region), if it is worth saying.
    """

    values: dict[str, Secret]
    origins: dict[str, str]
    note: str | None = None


EMPTY = SourceResult(values={}, origins={})
