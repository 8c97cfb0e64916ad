"""The .env source: same names as the environment, after it, private, read and never exported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, canary, write_secrets
from trellolens.credentials import resolver_from_environment
from trellolens.credentials.sources import DotenvSource
from trellolens.errors import CredentialsError


def dotenv(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    return write_secrets(tmp_path / ".env", text, mode)


def test_values_are_read_with_provenance_and_never_exported(tmp_path: Path) -> None:
    path = dotenv(
        tmp_path,
        f'# local\nexport TRELLO_API_KEY={CANARY_KEY}\nTRELLO_TOKEN="{CANARY_TOKEN}"\n',
    )
    result = DotenvSource(path).load("development")
    assert {k: v.reveal() for k, v in result.values.items()} == {
        "api_key": CANARY_KEY,
        "token": CANARY_TOKEN,
    }
    assert result.origins == {
        "api_key": f"TRELLO_API_KEY in {path}",
        "token": f"TRELLO_TOKEN in {path}",
    }
    assert "TRELLO_API_KEY" not in os.environ
    assert_no_canary(repr(result))


def test_profile_variables_win_and_no_interpolation(tmp_path: Path) -> None:
    os.environ["HOME_TOKEN"] = canary("from-environ")
    path = dotenv(
        tmp_path,
        f"TRELLO_API_KEY={CANARY_KEY}\nTRELLO_OAUTH_TOKEN=${{HOME_TOKEN}}\n"
        f"TRELLO_PRODUCTION_OAUTH_TOKEN={CANARY_TOKEN}\n",
    )
    source = DotenvSource(path)
    assert source.load("production").values["token"].reveal() == CANARY_TOKEN
    assert source.load("development").values["token"].reveal() == "${HOME_TOKEN}"


def test_a_file_others_may_change_is_refused_by_the_secrets_file_rule(tmp_path: Path) -> None:
    path = dotenv(tmp_path, f"TRELLO_API_KEY={CANARY_KEY}\n", mode=0o664)
    with pytest.raises(CredentialsError, match=r"may be changed by other users.*chmod 600") as e:
        DotenvSource(path).load("development")
    assert_no_canary(str(e.value))


def test_no_file_is_a_note_not_an_error(tmp_path: Path) -> None:
    result = DotenvSource(tmp_path / ".env").load("development")
    assert (result.values, result.note) == ({}, "no .env file")


def test_the_default_chain_reads_dotenv_from_the_working_directory_after_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    dotenv(tmp_path, f"TRELLO_API_KEY={canary('dotenv-key')}\nTRELLO_TOKEN={CANARY_TOKEN}\n")
    os.environ["TRELLO_API_KEY"] = CANARY_KEY
    resolution = resolver_from_environment({"TRELLOLENS_SOURCES": "env,dotenv"}).check()
    assert resolution.values["api_key"].reveal() == CANARY_KEY
    assert resolution.provenance == {"api_key": "env", "token": "dotenv"}
    assert resolution.origins["token"] == f"TRELLO_TOKEN in {tmp_path / '.env'}"
