"""The chain a process uses, as its settings configure it (``trellolens.settings``), built once
per distinct configuration. ``Settings`` reads ``TRELLOLENS_SOURCES``, ``TRELLOLENS_PROFILE``,
the AWS sources' places and refresh; this module is handed the values."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping

from trellolens.credentials.resolver import Resolver
from trellolens.credentials.sources import (
    AwsSecretsManagerSource,
    AwsSsmSource,
    DotenvSource,
    EnvironmentSource,
    Source,
    StreamlitSecretsSource,
)
from trellolens.errors import ConfigError, CredentialsError
from trellolens.settings import Settings

AWS_CLIENT_VARIABLES = ("AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE")
"""botocore settings the AWS sources' clients are made from: a change builds a new resolver."""


def resolver_from_settings(settings: Settings) -> Resolver:
    """A resolver as ``settings`` configure it (defaults otherwise); a bad setting is a
    ``CredentialsError`` naming its variable."""
    try:
        refresh = settings.aws_refresh_seconds
        secret_id, ssm_path = settings.aws_secret_id, settings.ssm_path
        names, profile = settings.sources, settings.profile
    except ConfigError as problem:
        raise CredentialsError(str(problem)) from None
    builders: dict[str, Callable[[], Source]] = {
        StreamlitSecretsSource.name: lambda: StreamlitSecretsSource(),
        EnvironmentSource.name: lambda: EnvironmentSource(),
        DotenvSource.name: lambda: DotenvSource(),
        AwsSecretsManagerSource.name: lambda: AwsSecretsManagerSource(
            secret_id, refresh_seconds=refresh
        ),
        AwsSsmSource.name: lambda: AwsSsmSource(ssm_path, refresh_seconds=refresh),
    }
    return Resolver([builders[name]() for name in names], profile)


def resolver_from_environment(environ: Mapping[str, str] | None = None) -> Resolver:
    """A resolver as the ``TRELLOLENS_*`` variables of ``environ`` (default: the process's)
    configure it: ``resolver_from_settings(Settings(None, environ))``."""
    return resolver_from_settings(Settings(None, environ))


_lock = threading.Lock()
_built: dict[tuple[object, ...], Resolver] = {}


def default_resolver() -> Resolver:
    """The process-wide resolver for the current settings (``Settings()``).

    Built once per distinct configuration and shared by every session: its AWS sources keep one
    client and one cache for the whole process. Holds no per-visitor state.
    """
    settings = Settings()
    try:
        chain = (
            settings.sources,
            settings.profile,
            settings.aws_secret_id,
            settings.ssm_path,
            settings.aws_refresh_seconds,
        )
    except ConfigError as problem:
        raise CredentialsError(str(problem)) from None
    signature = (*chain, *(os.environ.get(name, "") for name in AWS_CLIENT_VARIABLES))
    with _lock:
        resolver = _built.get(signature)
        if resolver is None:
            resolver = resolver_from_settings(settings)
            _built[signature] = resolver
        return resolver
