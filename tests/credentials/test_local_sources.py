"""The Streamlit secrets and environment sources: tables, profiles, aliases, bad files, modes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.helpers.canaries import (
    CANARY_KEY,
    CANARY_SECRET,
    CANARY_TOKEN,
    assert_no_canary,
    canary,
    write_secrets,
)
from trellolens.credentials import Secret
from trellolens.credentials.sources import EnvironmentSource, StreamlitSecretsSource
from trellolens.errors import CredentialsError

PROFILE = "development"


def revealed(values: Mapping[str, Secret]) -> dict[str, str]:
    return {key: value.reveal() for key, value in values.items()}


def source_for(*files: Path) -> StreamlitSecretsSource:
    return StreamlitSecretsSource(files, use_runtime=False)


def test_the_trello_table_is_read(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path / "secrets.toml",
        f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\napi_secret = "{CANARY_SECRET}"\n',
    )
    result = source_for(path).load(PROFILE)
    assert revealed(result.values) == {
        "api_key": CANARY_KEY,
        "token": CANARY_TOKEN,
        "api_secret": CANARY_SECRET,
    }
    assert result.origins["token"] == f"token in [trello] of {path}"
    assert_no_canary(repr(result))


def test_connections_trello_is_read_and_trello_wins_per_key(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path / "secrets.toml",
        f'[connections.trello]\napi_key = "{canary("conn-key")}"\ntoken = "{canary("conn-token")}"\n'
        f'[trello]\ntoken = "{CANARY_TOKEN}"\n',
    )
    result = source_for(path).load(PROFILE)
    assert revealed(result.values) == {"api_key": canary("conn-key"), "token": CANARY_TOKEN}


def test_the_profile_table_overrides_the_base_table_per_key(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path / "secrets.toml",
        f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{canary("dev")}"\n'
        f'[trello.production]\ntoken = "{canary("prod")}"\n',
    )
    assert revealed(source_for(path).load("production").values) == {
        "api_key": CANARY_KEY,
        "token": canary("prod"),
    }
    assert revealed(source_for(path).load(PROFILE).values)["token"] == canary("dev")


def test_files_merge_per_key_not_per_table(tmp_path: Path) -> None:
    """Streamlit would drop the global api_key: the project [trello] table replaces it whole."""
    global_file = write_secrets(
        tmp_path / "home" / "secrets.toml", f'[trello]\napi_key = "{CANARY_KEY}"\n'
    )
    project = write_secrets(
        tmp_path / "project" / "secrets.toml", f'[trello]\ntoken = "{CANARY_TOKEN}"\n'
    )
    result = source_for(global_file, project).load(PROFILE)
    assert revealed(result.values) == {"api_key": CANARY_KEY, "token": CANARY_TOKEN}
    assert result.origins["api_key"] == f"api_key in [trello] of {global_file}"


def test_no_secrets_file_means_no_values(tmp_path: Path) -> None:
    result = source_for(tmp_path / "missing.toml").load(PROFILE)
    assert result.values == {}
    assert result.note == "no secrets file"


def test_invalid_toml_names_file_line_and_column_without_the_value(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path / "secrets.toml", f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = {CANARY_TOKEN}\n'
    )
    with pytest.raises(CredentialsError) as raised:
        source_for(path).load(PROFILE)
    message = str(raised.value)
    assert message.startswith(f"{path}: invalid TOML at line 3, column 9:")
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None
    assert_no_canary(message + repr(raised.value))


@pytest.mark.parametrize("mode", [0o664, 0o660, 0o646, 0o606])
def test_a_file_others_can_change_is_refused(tmp_path: Path, mode: int) -> None:
    path = write_secrets(tmp_path / "secrets.toml", f'[trello]\ntoken = "{CANARY_TOKEN}"\n', mode)
    with pytest.raises(CredentialsError) as raised:
        source_for(path).load(PROFILE)
    assert f"(mode {mode:04o})" in str(raised.value)
    assert f"chmod 600 {path}" in str(raised.value)
    assert_no_canary(str(raised.value))


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_file_of_ours_others_can_read_is_still_read(tmp_path: Path, mode: int) -> None:
    """Flagged by doctor, the Security page and the sidebar (tests/credentials/test_secrets_file_modes.py)."""
    path = write_secrets(tmp_path / "secrets.toml", f'[trello]\ntoken = "{CANARY_TOKEN}"\n', mode)
    assert revealed(source_for(path).load(PROFILE).values) == {"token": CANARY_TOKEN}


def test_the_open_mode_refusal_can_be_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_secrets(tmp_path / "secrets.toml", f'[trello]\ntoken = "{CANARY_TOKEN}"\n', 0o666)
    monkeypatch.setenv("TRELLOLENS_ALLOW_OPEN_SECRETS_FILE", "1")  # read through Settings
    source = StreamlitSecretsSource([path], use_runtime=False)
    assert revealed(source.load(PROFILE).values) == {"token": CANARY_TOKEN}
    assert revealed(
        StreamlitSecretsSource([path], use_runtime=False, allow_open=True).load(PROFILE).values
    )
    monkeypatch.setenv("TRELLOLENS_ALLOW_OPEN_SECRETS_FILE", "yes")
    with pytest.raises(CredentialsError, match=r"^TRELLOLENS_ALLOW_OPEN_SECRETS_FILE must be 1"):
        source.load(PROFILE)


def test_a_non_string_value_is_an_error_without_the_value(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / "secrets.toml", "[trello]\napi_key = 123456789\n")
    with pytest.raises(
        CredentialsError, match=r"api_key in \[trello\] of .* must be a string"
    ) as raised:
        source_for(path).load(PROFILE)
    assert "123456789" not in str(raised.value)


def test_environment_variables_with_alias_and_profile_override() -> None:
    environ = {
        "TRELLO_API_KEY": CANARY_KEY,
        "TRELLO_TOKEN": canary("alias"),
        "TRELLO_PRODUCTION_TOKEN": canary("prod"),
        "TRELLO_API_SECRET": "   ",
    }
    source = EnvironmentSource(environ)
    development = source.load(PROFILE)
    assert revealed(development.values) == {"api_key": CANARY_KEY, "token": canary("alias")}
    assert development.origins == {"api_key": "TRELLO_API_KEY", "token": "TRELLO_TOKEN"}
    production = source.load("production")
    assert revealed(production.values)["token"] == canary("prod")
    assert production.origins["token"] == "TRELLO_PRODUCTION_TOKEN"


def test_oauth_token_wins_over_its_alias() -> None:
    environ = {"TRELLO_OAUTH_TOKEN": CANARY_TOKEN, "TRELLO_TOKEN": canary("alias")}
    assert revealed(EnvironmentSource(environ).load(PROFILE).values) == {"token": CANARY_TOKEN}


def test_hyphenated_profiles_map_to_underscores() -> None:
    environ = {"TRELLO_STAGING_EU_API_KEY": CANARY_KEY}
    result = EnvironmentSource(environ).load("staging-eu")
    assert result.origins == {"api_key": "TRELLO_STAGING_EU_API_KEY"}
