"""OAuth 2.0 credentials (client id, client secret, refresh token) from every source, by name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.aws import put_json_secret, put_parameters
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, write_secrets
from trellolens.cli.main import cli
from trellolens.credentials import OAUTH2, Resolver
from trellolens.credentials.sources import (
    AwsSecretsManagerSource,
    AwsSsmSource,
    DotenvSource,
    EnvironmentSource,
    StreamlitSecretsSource,
)
from trellolens.credentials.sources.aws_cache import PolledCache
from trellolens.errors import ConfigError, CredentialsError, MissingCredentialsError
from trellolens.settings import Settings

CLIENT_ID = "canary-client-id-CANARY"
CLIENT_SECRET = "ATTACANARYCLIENTSECRET0001"
REFRESH = "ATTACANARYREFRESHTOKEN0001"
OAUTH2_TOML = (
    f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\nrefresh_token = "{REFRESH}"\n'
)


def check_values(resolver: Resolver) -> None:
    resolution = resolver.check()
    assert resolution.scheme == OAUTH2
    assert resolution.ok
    oauth2 = resolution.oauth2()
    assert (oauth2.client_id.reveal(), oauth2.client_secret.reveal()) == (CLIENT_ID, CLIENT_SECRET)
    assert oauth2.refresh_token.reveal() == REFRESH
    assert_no_canary(repr(oauth2) + repr(resolution) + str(resolution.origins), REFRESH)


@pytest.mark.parametrize("table", ["trello", "connections.trello", "trello.development"])
def test_secrets_file_tables(tmp_path: Path, table: str) -> None:
    path = write_secrets(tmp_path / "secrets.toml", f"[{table}]\n{OAUTH2_TOML}")
    resolver = Resolver([StreamlitSecretsSource([path], use_runtime=False)])
    check_values(resolver)
    assert resolver.check().oauth2().refresh_origin == f"refresh_token in [{table}] of {path}"


def test_environment_variables() -> None:
    os.environ.update(
        {
            "TRELLO_CLIENT_ID": CLIENT_ID,
            "TRELLO_CLIENT_SECRET": CLIENT_SECRET,
            "TRELLO_DEVELOPMENT_REFRESH_TOKEN": REFRESH,
        }
    )
    resolver = Resolver([EnvironmentSource()])
    check_values(resolver)
    assert resolver.check().origins["refresh_token"] == "TRELLO_DEVELOPMENT_REFRESH_TOKEN"


def test_dotenv_file(tmp_path: Path) -> None:
    text = (
        f"TRELLO_CLIENT_ID={CLIENT_ID}\nTRELLO_CLIENT_SECRET={CLIENT_SECRET}\n"
        f"TRELLO_REFRESH_TOKEN={REFRESH}\n"
    )
    path = write_secrets(tmp_path / ".env", text)
    check_values(Resolver([DotenvSource(path)]))


def test_secrets_manager(aws: str) -> None:
    payload = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH}
    put_json_secret("trellolens/development/trello", payload)
    resolver = Resolver([AwsSecretsManagerSource(cache=PolledCache())])
    check_values(resolver)
    assert resolver.check().oauth2().refresh_source == "aws-sm"


def test_ssm(aws: str) -> None:
    path = "/trellolens/development/trello/"
    put_parameters(
        path, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH}
    )
    resolver = Resolver([AwsSsmSource(cache=PolledCache())])
    check_values(resolver)
    assert resolver.check().oauth2().refresh_origin == f"parameter {path}refresh_token"


def test_a_missing_oauth2_part_is_named_and_legacy_callers_get_one_line(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path / "secrets.toml",
        f'[trello]\nclient_id = "{CLIENT_ID}"\nrefresh_token = "{REFRESH}"\n',
    )
    resolution = Resolver([StreamlitSecretsSource([path], use_runtime=False)]).check()
    assert resolution.scheme == OAUTH2
    assert resolution.missing == ("client_secret",)
    with pytest.raises(MissingCredentialsError) as missing:
        resolution.oauth2()
    assert_no_canary(str(missing.value), REFRESH)
    complete = write_secrets(tmp_path / "full.toml", f"[trello]\n{OAUTH2_TOML}")
    full = Resolver([StreamlitSecretsSource([complete], use_runtime=False)]).check()
    with pytest.raises(CredentialsError, match=r"configured for OAuth 2\.0") as legacy:
        full.credentials()
    assert "\n" not in str(legacy.value)


def test_a_complete_legacy_pair_in_a_stronger_source_wins(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path / "secrets.toml", f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n'
    )
    os.environ.update({"TRELLO_CLIENT_ID": CLIENT_ID, "TRELLO_REFRESH_TOKEN": REFRESH})
    resolution = Resolver(
        [StreamlitSecretsSource([path], use_runtime=False), EnvironmentSource()]
    ).check()
    assert resolution.scheme == "legacy"
    assert resolution.ok
    with pytest.raises(CredentialsError, match=r"no OAuth 2\.0 credentials"):
        resolution.oauth2()


def test_credentials_command_shows_scheme_and_places_never_values(tmp_path: Path) -> None:
    os.environ.update(
        {
            "TRELLOLENS_SOURCES": "env",
            "TRELLO_CLIENT_ID": CLIENT_ID,
            "TRELLO_CLIENT_SECRET": CLIENT_SECRET,
            "TRELLO_REFRESH_TOKEN": REFRESH,
        }
    )
    result = CliRunner().invoke(cli, ["credentials"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "scheme:  OAuth 2.0 (client id + secret, rotating refresh token)" in lines
    assert "  refresh_token  env       TRELLO_REFRESH_TOKEN" in lines
    assert "  client_secret  env       TRELLO_CLIENT_SECRET" in lines
    assert "auth:    https://auth.atlassian.com (TRELLO_AUTH_BASE_URL)" in lines
    as_json = CliRunner().invoke(cli, ["credentials", "--json"])
    payload = json.loads(as_json.output)
    assert payload["scheme"] == "oauth2"
    assert payload["keys"]["client_id"] == {"source": "env", "where": "TRELLO_CLIENT_ID"}
    assert_no_canary(result.output + as_json.output, REFRESH, CLIENT_SECRET)


def test_auth_base_url_defaults_to_atlassian_and_follows_the_variable() -> None:
    assert Settings().auth_base_url == "https://auth.atlassian.com"
    os.environ["TRELLO_AUTH_BASE_URL"] = "http://127.0.0.1:9999/atlassian/"
    assert Settings().auth_base_url == "http://127.0.0.1:9999/atlassian"
    os.environ["TRELLO_AUTH_BASE_URL"] = "http://auth.example.com"
    with pytest.raises(ConfigError, match=r"^TRELLO_AUTH_BASE_URL must be an https://"):
        _ = Settings().auth_base_url


def test_py_trello_client_says_in_one_line_why_it_cannot_carry_a_bearer_token() -> None:
    from trellolens.credentials import py_trello_client

    os.environ.update(
        {
            "TRELLOLENS_SOURCES": "env",
            "TRELLO_CLIENT_ID": CLIENT_ID,
            "TRELLO_CLIENT_SECRET": CLIENT_SECRET,
            "TRELLO_REFRESH_TOKEN": REFRESH,
        }
    )
    with pytest.raises(CredentialsError) as raised:
        py_trello_client()
    message = str(raised.value)
    assert "\n" not in message
    assert "cannot send an OAuth 2.0 Bearer token" in message
    assert "trellolens.trello.oauth2_client()" in message
    assert_no_canary(message, REFRESH, CLIENT_SECRET)
