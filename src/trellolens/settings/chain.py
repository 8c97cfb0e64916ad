"""The credentials chain's settings, checked: which sources in which order, the profile, where
the AWS sources look and how often they read again, and the open-file override.

``Settings`` reads them (``TRELLOLENS_SOURCES``, ``TRELLOLENS_PROFILE``...); ``credentials`` is
handed the values (``credentials.settings.resolver_from_settings``). Nothing here reads the
environment, and nothing here imports the sources (they import these defaults).
"""

from __future__ import annotations

import re

from trellolens.errors import CredentialsError

SOURCES_VARIABLE = "TRELLOLENS_SOURCES"
PROFILE_VARIABLE = "TRELLOLENS_PROFILE"
SECRET_ID_VARIABLE = "TRELLOLENS_AWS_SECRET_ID"  # noqa: S105 -- a variable name
SSM_PATH_VARIABLE = "TRELLOLENS_SSM_PATH"
REFRESH_VARIABLE = "TRELLOLENS_AWS_REFRESH_SECONDS"
ALLOW_OPEN_FILE_VARIABLE = "TRELLOLENS_ALLOW_OPEN_SECRETS_FILE"
SOURCE_NAMES = ("streamlit", "env", "dotenv", "aws-sm", "ssm")
"""Every credentials source by its short name, in the default order of precedence
(``credentials.sources.SOURCE_TYPES`` holds one class per name, in this order)."""
DEFAULT_PROFILE = "development"
DEFAULT_SECRET_ID = "trellolens/{profile}/trello"  # noqa: S105 -- a secret id
DEFAULT_SSM_PATH = "/trellolens/{profile}/trello/"
DEFAULT_REFRESH_SECONDS = 300.0
"""How often the AWS sources read their secret again (``TRELLOLENS_AWS_REFRESH_SECONDS``)."""
_PROFILE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_NAME_LIKE = re.compile(r"[a-z][a-z-]{0,15}")


def check_profile(name: str) -> str:
    """A profile name, lower-cased; anything else is a ``CredentialsError``."""
    profile = name.strip().lower()
    if not _PROFILE_PATTERN.fullmatch(profile):
        raise CredentialsError(
            f"{PROFILE_VARIABLE} must be 1-32 characters of a-z, 0-9, '-' or '_' "
            "(such as development or production)"
        )
    return profile


def source_names(spec: str) -> tuple[str, ...]:
    """``"streamlit,env"`` -> ``("streamlit", "env")``; empty means the default order."""
    names = tuple(part.strip().lower() for part in spec.split(",") if part.strip())
    if not names:
        return SOURCE_NAMES
    unknown = [name for name in names if name not in SOURCE_NAMES]
    if unknown:
        # A pasted value (a token in the wrong variable) is described, never echoed.
        shown = [
            name if _NAME_LIKE.fullmatch(name) else f"<{len(name)} characters>" for name in unknown
        ]
        raise CredentialsError(
            f"{SOURCES_VARIABLE} names unknown source(s) {', '.join(shown)}; "
            f"choose from {','.join(SOURCE_NAMES)}"
        )
    return names


def refresh_seconds(text: str) -> float:
    if not text.strip():
        return DEFAULT_REFRESH_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise CredentialsError(f"{REFRESH_VARIABLE} must be a number of seconds above 0")
    return seconds
