"""Environment variables: ``TRELLO_API_KEY`` and friends, with ``TRELLO_<PROFILE>_...`` overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import ClassVar

from trellolens.credentials.model import (
    API_KEY,
    API_SECRET,
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH_TOKEN,
    SOURCE_KEYS,
    TOKEN,
    SourceResult,
)
from trellolens.credentials.secret import Secret
from trellolens.credentials.sources.base import Source

SUFFIXES: dict[str, tuple[str, ...]] = {
    API_KEY: ("API_KEY",),
    API_SECRET: ("API_SECRET",),
    TOKEN: ("OAUTH_TOKEN", "TOKEN"),  # TRELLO_TOKEN is an alias, TRELLO_OAUTH_TOKEN wins
    CLIENT_ID: ("CLIENT_ID",),
    CLIENT_SECRET: ("CLIENT_SECRET",),
    REFRESH_TOKEN: ("REFRESH_TOKEN",),
}


def profile_prefix(profile: str) -> str:
    """``TRELLO_PRODUCTION_`` for profile ``production`` (``-`` becomes ``_``)."""
    return f"TRELLO_{profile.upper().replace('-', '_')}_"


def variable_names(key: str, profile: str) -> list[str]:
    """The variables read for ``key``, strongest first: profile ones, then plain ones."""
    prefixes = (profile_prefix(profile), "TRELLO_")
    return [prefix + suffix for prefix in prefixes for suffix in SUFFIXES[key]]


def read_variables(variables: Mapping[str, str], profile: str, where: str = "") -> SourceResult:
    """The credentials among ``variables`` (the environment's names, strongest first); each
    origin is the variable's name, followed by ``where`` (`` in .env``) when given."""
    values: dict[str, Secret] = {}
    origins: dict[str, str] = {}
    for key in SOURCE_KEYS:
        for variable in variable_names(key, profile):
            value = variables.get(variable, "").strip()
            if value:
                values[key] = Secret(value)
                origins[key] = f"{variable}{where}"
                break
    return SourceResult(values=values, origins=origins)


class EnvironmentSource(Source):
    """Reads the process environment (or a given mapping) each time; empty variables are unset."""

    name: ClassVar[str] = "env"
    title: ClassVar[str] = "Environment variables"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ

    def load(self, profile: str) -> SourceResult:
        return read_variables(os.environ if self._environ is None else self._environ, profile)

    def locations(self, profile: str) -> list[str]:
        return [", ".join(name for key in SOURCE_KEYS for name in variable_names(key, profile))]
