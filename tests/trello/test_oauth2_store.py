"""The refresh-token stores on their own: fresh files, missing places, an interrupted rename."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.helpers.canaries import write_secrets
from trellolens.credentials import Secret
from trellolens.errors import CredentialsError
from trellolens.trello.oauth2_store import (
    DotenvStore,
    SecretsFileStore,
    SecretsManagerStore,
    SsmStore,
)

OLD, NEW = "ATTACANARYOLD0001", "ATTACANARYNEW0002"


def test_a_first_login_creates_a_private_secrets_file(tmp_path: Path) -> None:
    path = tmp_path / ".streamlit" / "secrets.toml"
    store = SecretsFileStore(path, ("trello", "production"))
    assert not path.exists()
    store.write(Secret(NEW))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.read() == Secret(NEW)
    assert "[trello.production]" in path.read_text()
    assert SecretsFileStore(path, ("trello",)).read() is None


def test_a_broken_secrets_file_is_named_never_shown(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / "secrets.toml", f'[trello]\nrefresh_token = "{OLD}\n')
    with pytest.raises(CredentialsError, match="cannot read it as TOML") as raised:
        SecretsFileStore(path).read()
    assert OLD not in str(raised.value)


def test_a_renamed_not_yet_temporary_file_is_adopted_and_a_stale_one_ignored(
    tmp_path: Path,
) -> None:
    path = write_secrets(tmp_path / "secrets.toml", f'[trello]\nrefresh_token = "{OLD}"\n')
    stale = write_secrets(tmp_path / "secrets.toml.rotating-aaaaaaaaaaaa.tmp", 'x = "1"\n')
    os.utime(stale, ns=(0, 0))  # older than the file: another tool's leftover
    interrupted = tmp_path / "secrets.toml.rotating-bbbbbbbbbbbb.tmp"
    write_secrets(interrupted, f'[trello]\nrefresh_token = "{NEW}"\n')
    assert SecretsFileStore(path).read() == Secret(NEW)
    assert not interrupted.exists()
    assert NEW in path.read_text()
    assert stale.exists()  # not ours to touch (doctor reports it)
    assert SecretsFileStore(path).read() == Secret(NEW)


def test_dotenv_gains_the_line_when_missing(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / ".env", "TRELLO_CLIENT_ID=abc")
    store = DotenvStore(path)
    assert store.read() is None
    store.write(Secret(NEW))
    assert path.read_text() == f"TRELLO_CLIENT_ID=abc\nTRELLO_REFRESH_TOKEN={NEW}\n"
    assert store.read() == Secret(NEW)


def test_absent_aws_places_read_as_nothing(aws: str) -> None:
    assert SsmStore("/trellolens/none/trello/refresh_token").read() is None
    assert SecretsManagerStore("trellolens/none/trello").read() is None


def test_a_denied_aws_store_is_one_line(aws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with pytest.raises(CredentialsError) as raised:
        SsmStore("/trellolens/x/trello/refresh_token").write(Secret(NEW))
    assert "\n" not in str(raised.value)
    assert NEW not in str(raised.value)
