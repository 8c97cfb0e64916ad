"""``trellolens.credentials`` re-exports the errors it raises, as ``trellolens.trello`` does."""

from __future__ import annotations

import pytest

import trellolens.credentials as credentials
from trellolens import errors
from trellolens.credentials import MissingCredentialsError, Resolver
from trellolens.credentials.sources import EnvironmentSource


@pytest.mark.parametrize(
    "name",
    [
        "AwsConfigurationError",
        "ConfigError",
        "CredentialsError",
        "MissingCredentialsError",
        "SourceUnavailable",
    ],
)
def test_each_error_is_the_one_of_the_hierarchy(name: str) -> None:
    assert getattr(credentials, name) is getattr(errors, name)


def test_a_caller_catches_what_resolve_raises_by_the_packages_name() -> None:
    with pytest.raises(MissingCredentialsError):
        Resolver([EnvironmentSource(environ={})]).resolve()
