"""The chain a process uses, configured by ``TRELLOLENS_*`` variables, built once per process."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping

from trellolens.credentials.model import DEFAULT_PROFILE, check_profile
from trellolens.credentials.resolver import Resolver
from trellolens.credentials.sources import (
    SOURCE_TYPES,
    AwsSecretsManagerSource,
    AwsSsmSource,
    DotenvSource,
    EnvironmentSource,
    Source,
    StreamlitSecretsSource,
)
from trellolens.credentials.sources.aws_cache import DEFAULT_REFRESH_SECONDS
from trellolens.credentials.sources.aws_secrets_manager import DEFAULT_SECRET_ID
from trellolens.credentials.sources.aws_ssm import DEFAULT_PATH
from trellolens.errors import CredentialsError

SOURCES_VARIABLE = "TRELLOLENS_SOURCES"
PROFILE_VARIABLE = "TRELLOLENS_PROFILE"
SECRET_ID_VARIABLE = "TRELLOLENS_AWS_SECRET_ID"  # noqa: S105 -- a variable name
SSM_PATH_VARIABLE = "TRELLOLENS_SSM_PATH"
REFRESH_VARIABLE = "TRELLOLENS_AWS_REFRESH_SECONDS"
SETTINGS_VARIABLES = (
    SOURCES_VARIABLE,
    PROFILE_VARIABLE,
    SECRET_ID_VARIABLE,
    SSM_PATH_VARIABLE,
    REFRESH_VARIABLE,
)
AWS_CLIENT_VARIABLES = ("AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE")
"""botocore settings the AWS sources' clients are made from: a change builds a new resolver."""
DEFAULT_ORDER = tuple(SOURCE_TYPES)
_NAME_LIKE = re.compile(r"[a-z][a-z-]{0,15}")


def source_names(spec: str) -> tuple[str, ...]:
    """``"streamlit,env"`` -> ``("streamlit", "env")``; empty means the default order."""
    names = tuple(part.strip().lower() for part in spec.split(",") if part.strip())
    if not names:
        return DEFAULT_ORDER
    unknown = [name for name in names if name not in SOURCE_TYPES]
    if unknown:
        # A pasted value (a token in the wrong variable) is described, never echoed.
        shown = [
            name if _NAME_LIKE.fullmatch(name) else f"<{len(name)} characters>" for name in unknown
        ]
        raise CredentialsError(
            f"{SOURCES_VARIABLE} names unknown source(s) {', '.join(shown)}; "
            f"choose from {','.join(DEFAULT_ORDER)}"
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


def resolver_from_environment(environ: Mapping[str, str] | None = None) -> Resolver:
    """A resolver as configured by ``TRELLOLENS_*`` variables (defaults otherwise)."""
    env = os.environ if environ is None else environ
    refresh = refresh_seconds(env.get(REFRESH_VARIABLE, ""))
    builders: dict[str, Callable[[], Source]] = {
        StreamlitSecretsSource.name: lambda: StreamlitSecretsSource(),
        EnvironmentSource.name: lambda: EnvironmentSource(),
        DotenvSource.name: lambda: DotenvSource(),
        AwsSecretsManagerSource.name: lambda: AwsSecretsManagerSource(
            env.get(SECRET_ID_VARIABLE, "").strip() or DEFAULT_SECRET_ID, refresh_seconds=refresh
        ),
        AwsSsmSource.name: lambda: AwsSsmSource(
            env.get(SSM_PATH_VARIABLE, "").strip() or DEFAULT_PATH, refresh_seconds=refresh
        ),
    }
    sources: list[Source] = [
        builders[name]() for name in source_names(env.get(SOURCES_VARIABLE, ""))
    ]
    profile = check_profile(env.get(PROFILE_VARIABLE, "").strip() or DEFAULT_PROFILE)
    return Resolver(sources, profile)


_lock = threading.Lock()
_built: dict[tuple[str, ...], Resolver] = {}


def default_resolver() -> Resolver:
    """The process-wide resolver for the current ``TRELLOLENS_*`` settings.

    Built once per distinct setting and shared by every session: its AWS sources keep one
    client and one cache for the whole process. Holds no per-visitor state.
    """
    signature = tuple(
        os.environ.get(name, "") for name in (*SETTINGS_VARIABLES, *AWS_CLIENT_VARIABLES)
    )
    with _lock:
        resolver = _built.get(signature)
        if resolver is None:
            resolver = resolver_from_environment()
            _built[signature] = resolver
        return resolver
