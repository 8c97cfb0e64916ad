"""The resolver: precedence for every pair of sources, per-key merging, profiles, errors."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import ClassVar

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, canary
from trellolens.credentials import Resolver, Secret
from trellolens.credentials.model import SourceResult
from trellolens.credentials.settings import resolver_from_environment
from trellolens.credentials.sources import EnvironmentSource, Source, StreamlitSecretsSource
from trellolens.errors import CredentialsError, MissingCredentialsError
from trellolens.settings.chain import source_names

ORDER = ("streamlit", "env", "dotenv", "aws-sm", "ssm")


class FixedSource(Source):
    """A stand-in with a real source's name, for precedence tests (real sources are tested apart)."""

    title: ClassVar[str] = "fixed"

    def __init__(self, name: str, values: dict[str, str], error: str | None = None) -> None:
        self.name = name  # type: ignore[misc]
        self.values = values
        self.error = error
        self.loads = 0

    def load(self, profile: str) -> SourceResult:
        self.loads += 1
        if self.error:
            raise CredentialsError(self.error)
        secrets = {key: Secret(value) for key, value in self.values.items()}
        return SourceResult(values=secrets, origins={key: f"{self.name}:{key}" for key in secrets})

    def locations(self, profile: str) -> list[str]:
        return [f"{self.name} place"]


@pytest.mark.parametrize(("strong", "weak"), list(itertools.combinations(ORDER, 2)))
def test_each_precedence_pair_in_the_default_order(strong: str, weak: str) -> None:
    sources = {
        name: FixedSource(name, {"api_key": canary(name), "token": canary(name + "t")})
        for name in (strong, weak)
    }
    chain = [sources[name] for name in ORDER if name in sources]
    resolution = Resolver(chain).check()
    assert resolution.values["api_key"].reveal() == canary(strong)
    assert resolution.provenance == {"api_key": strong, "token": strong}
    assert sources[weak].loads == 0  # complete already: never consulted


def test_keys_merge_across_sources() -> None:
    chain = [
        FixedSource("streamlit", {"api_key": CANARY_KEY}),
        FixedSource("env", {}),
        FixedSource("aws-sm", {"token": CANARY_TOKEN, "api_key": canary("ignored")}),
    ]
    resolution = Resolver(chain).check()
    assert resolution.ok
    assert resolution.provenance == {"api_key": "streamlit", "token": "aws-sm"}
    credentials = resolution.credentials()
    assert credentials.api_key.reveal() == CANARY_KEY
    assert credentials.token.reveal() == CANARY_TOKEN
    assert credentials.api_secret is None


def test_missing_keys_are_one_error_naming_keys_and_places() -> None:
    chain = [FixedSource("streamlit", {"api_key": CANARY_KEY}), FixedSource("env", {})]
    with pytest.raises(MissingCredentialsError) as raised:
        Resolver(chain).resolve()
    message = str(raised.value)
    assert raised.value.missing == ("token",)
    assert "missing for profile development: token." in message
    assert "streamlit place" in message
    assert "env place" in message
    assert "\n" not in message
    assert_no_canary(message)


def test_a_broken_source_fails_even_when_others_fill_in() -> None:
    chain = [
        FixedSource("streamlit", {}, error="secrets.toml: invalid TOML at line 1, column 2"),
        FixedSource("env", {"api_key": CANARY_KEY, "token": CANARY_TOKEN}),
    ]
    resolution = Resolver(chain).check()
    assert resolution.errors == ("secrets.toml: invalid TOML at line 1, column 2",)
    assert resolution.provenance == {"api_key": "env", "token": "env"}
    with pytest.raises(CredentialsError, match="invalid TOML"):
        resolution.credentials()


def test_secrets_file_beats_environment_with_real_sources(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(f'[trello]\ntoken = "{CANARY_TOKEN}"\n')
    path.chmod(0o600)
    environ = {"TRELLO_API_KEY": CANARY_KEY, "TRELLO_OAUTH_TOKEN": canary("env-token")}
    resolver = Resolver(
        [StreamlitSecretsSource([path], use_runtime=False), EnvironmentSource(environ)]
    )
    resolution = resolver.check()
    assert resolution.provenance == {"token": "streamlit", "api_key": "env"}
    assert resolution.origins == {
        "token": f"token in [trello] of {path}",
        "api_key": "TRELLO_API_KEY",
    }


def test_profile_variables_beat_a_plain_secrets_file_only_through_precedence(
    tmp_path: Path,
) -> None:
    """Precedence is per source first: a profile variable does not beat a secrets file."""
    path = tmp_path / "secrets.toml"
    path.write_text(f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n')
    path.chmod(0o600)
    environ = {"TRELLO_PRODUCTION_OAUTH_TOKEN": canary("prod")}
    resolver = Resolver(
        [StreamlitSecretsSource([path], use_runtime=False), EnvironmentSource(environ)],
        "production",
    )
    assert resolver.resolve().token.reveal() == CANARY_TOKEN


def test_profiles_sharing_a_token_are_reported_by_fingerprint() -> None:
    environ = {
        "TRELLO_API_KEY": CANARY_KEY,
        "TRELLO_DEVELOPMENT_TOKEN": CANARY_TOKEN,
        "TRELLO_PRODUCTION_TOKEN": CANARY_TOKEN,
        "TRELLO_STAGING_TOKEN": canary("staging"),
    }
    resolver = Resolver([EnvironmentSource(environ)])
    pairs = resolver.profiles_sharing_token(["development", "staging", "production"])
    assert pairs == [("development", "production")]


def test_sources_and_profile_come_from_the_environment() -> None:
    resolver = resolver_from_environment(
        {"TRELLOLENS_SOURCES": "env, ssm", "TRELLOLENS_PROFILE": "Production"}
    )
    assert [source.name for source in resolver.sources] == ["env", "ssm"]
    assert resolver.profile == "production"
    default = resolver_from_environment({})
    assert [source.name for source in default.sources] == list(ORDER)
    assert default.profile == "development"


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        (
            {"TRELLOLENS_SOURCES": "env,vault"},
            "unknown source(s) vault; choose from streamlit,env,dotenv,aws-sm,ssm",
        ),
        ({"TRELLOLENS_SOURCES": "env,env"}, "each source may appear once"),
        ({"TRELLOLENS_PROFILE": "../prod"}, "TRELLOLENS_PROFILE must be"),
        ({"TRELLOLENS_AWS_REFRESH_SECONDS": "soon"}, "must be a number of seconds"),
    ],
)
def test_bad_settings_are_one_line_errors(variables: dict[str, str], problem: str) -> None:
    with pytest.raises(CredentialsError) as raised:
        resolver_from_environment(variables)
    assert problem in str(raised.value)


def test_default_order_is_documented_order() -> None:
    assert source_names("") == ORDER


def test_plain_environment_resolution_uses_os_environ() -> None:
    os.environ.update({"TRELLO_API_KEY": CANARY_KEY, "TRELLO_OAUTH_TOKEN": CANARY_TOKEN})
    os.environ["TRELLOLENS_SOURCES"] = "env"
    from trellolens.credentials import resolve_credentials

    assert resolve_credentials().token.reveal() == CANARY_TOKEN
