"""Where Trello credentials come from: ``st.secrets``, the environment, AWS; never shown.

from trellolens.credentials import resolve_credentials

credentials = resolve_credentials()        # TrelloCredentials of Secrets, or CredentialsError
credentials.token.reveal()                 # the value itself, only where it is needed
"""

from __future__ import annotations

from trellolens.credentials.model import (
    DEFAULT_PROFILE,
    KEYS,
    LEGACY,
    OAUTH2,
    OAUTH2_KEYS,
    REQUIRED_KEYS,
    SOURCE_KEYS,
    OAuth2Credentials,
    TrelloCredentials,
)
from trellolens.credentials.py_trello import py_trello_client
from trellolens.credentials.resolver import Resolution, Resolver, SourceReport
from trellolens.credentials.secret import Secret
from trellolens.credentials.settings import (
    default_resolver,
    resolver_from_environment,
    resolver_from_settings,
)
from trellolens.errors import (
    AwsConfigurationError,
    ConfigError,
    CredentialsError,
    MissingCredentialsError,
    SourceUnavailable,
)


def check_credentials(profile: str | None = None) -> Resolution:
    """What the process's resolver finds, without raising for missing or broken sources."""
    return default_resolver().check(profile)


def resolve_credentials(profile: str | None = None) -> TrelloCredentials:
    """The process's Trello credentials, or a ``CredentialsError`` that holds no value."""
    return default_resolver().resolve(profile)


__all__ = [
    "DEFAULT_PROFILE",
    "KEYS",
    "LEGACY",
    "OAUTH2",
    "OAUTH2_KEYS",
    "REQUIRED_KEYS",
    "SOURCE_KEYS",
    "AwsConfigurationError",
    "ConfigError",
    "CredentialsError",
    "MissingCredentialsError",
    "OAuth2Credentials",
    "Resolution",
    "Resolver",
    "Secret",
    "SourceReport",
    "SourceUnavailable",
    "TrelloCredentials",
    "check_credentials",
    "default_resolver",
    "py_trello_client",
    "resolve_credentials",
    "resolver_from_environment",
    "resolver_from_settings",
]
