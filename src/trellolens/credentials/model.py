"""What the credentials layer hands out: the keys it knows, and ``TrelloCredentials``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trellolens.credentials.secret import Secret
from trellolens.errors import CredentialsError

API_KEY = "api_key"
API_SECRET = "api_secret"  # noqa: S105 -- a key name
TOKEN = "token"  # noqa: S105 -- a key name
KEYS: tuple[str, ...] = (API_KEY, API_SECRET, TOKEN)
"""Every key a source may supply, in display order."""
REQUIRED_KEYS: tuple[str, ...] = (API_KEY, TOKEN)
"""Reading boards needs a key and a token; the API secret only signs OAuth requests."""
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    API_KEY: ("api_key",),
    API_SECRET: ("api_secret",),
    TOKEN: ("token", "oauth_token"),
}
"""Names of each key in a TOML table, a JSON secret or an SSM parameter; the first one wins."""

DEFAULT_PROFILE = "development"
_PROFILE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


def check_profile(name: str) -> str:
    """A profile name, lower-cased; anything else is a ``CredentialsError``."""
    profile = name.strip().lower()
    if not _PROFILE_PATTERN.fullmatch(profile):
        raise CredentialsError(
            "TRELLOLENS_PROFILE must be 1-32 characters of a-z, 0-9, '-' or '_' "
            "(such as development or production)"
        )
    return profile


@dataclass(frozen=True)
class TrelloCredentials:
    """Resolved Trello credentials; every value is a ``Secret``."""

    api_key: Secret
    token: Secret
    api_secret: Secret | None = None


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
