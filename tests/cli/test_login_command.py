"""`trellolens login`: the print-the-URL flow against the emulator over real HTTP."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.helpers.aws import current_json_secret
from tests.helpers.canaries import assert_no_canary
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.helpers.oauth2_login import start_login
from tests.testing.emulator_support import make_emulator
from trellolens.credentials import Secret
from trellolens.testing import TrelloEmulator
from trellolens.trello.oauth2 import TokenManager
from trellolens.trello.oauth2_store import SecretsFileStore

Served = tuple[TrelloEmulator, str, str]


@pytest.fixture
def served() -> Iterator[Served]:
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    with emulator.serve() as base_url:
        yield emulator, base_url, emulator.oauth2.base_url(base_url)


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_prints_a_least_privilege_pkce_url_and_stores_the_refresh_token(
    served: Served, tmp_path: Path
) -> None:
    _emulator, base_url, auth_base = served
    path = tmp_path / "secrets.toml"
    process, url = start_login(auth_base, "--secrets-file", str(path))
    asked = query_of(url)
    assert url.startswith(f"{auth_base}/authorize?")
    assert asked["scope"] == "read:board:trello read:member:trello offline_access"
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["state"]) >= 32
    assert asked["redirect_uri"].startswith("http://127.0.0.1:")
    forged = httpx.get(asked["redirect_uri"], params={"state": "forged", "code": "x"})
    assert forged.status_code == 400  # ignored: the real sign-in still finishes
    done = httpx.get(url, follow_redirects=True)
    assert "Signed in to Trello" in done.text
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "refresh token stored in file:" in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = SecretsFileStore(path).read()
    assert stored is not None
    assert stored.reveal() not in out + err
    manager = TokenManager(
        Secret(CLIENT_ID), Secret(CLIENT_SECRET), SecretsFileStore(path), auth_base_url=auth_base
    )
    boards = httpx.get(
        f"{base_url}/members/me/boards",
        headers={"Authorization": f"Bearer {manager.access_token().reveal()}"},
    )
    assert boards.status_code == 200
    assert_no_canary(out + err, CLIENT_SECRET)


def test_write_scope_only_when_asked(served: Served, tmp_path: Path) -> None:
    _, _, auth_base = served
    process, url = start_login(auth_base, "--allow-write", "--store", "print")
    assert query_of(url)["scope"].split() == [
        "read:board:trello",
        "read:member:trello",
        "offline_access",
        "write:board:trello",
    ]
    httpx.get(url, follow_redirects=True)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert len(out.strip().splitlines()[-1]) > 40  # --store print: the token, on stdout alone
    assert "the refresh token follows" in err


def test_a_denied_sign_in_is_one_line(served: Served) -> None:
    emulator, _, auth_base = served
    emulator.oauth2.auto_approve_member = None
    process, url = start_login(auth_base, "--store", "print")
    page = httpx.get(url)
    request_id = page.text.split('name="request" value="')[1].split('"')[0]
    httpx.get(
        f"{auth_base}/authorize/decide",
        params={"request": request_id, "decision": "deny"},
        follow_redirects=True,
    )
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert (
        err.strip()
        == "trellolens: error: Trello did not sign you in (access_denied); run login again"
    )


def test_stores_into_a_new_secrets_manager_secret(served: Served, aws: str) -> None:
    _, _, auth_base = served
    process, url = start_login(auth_base, "--store", "aws-secrets-manager")
    httpx.get(url, follow_redirects=True)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "aws-sm:trellolens/development/trello" in out
    assert set(current_json_secret("trellolens/development/trello")) == {"refresh_token"}


def test_without_a_client_it_says_what_to_set(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from trellolens.cli.main import cli

    result = CliRunner().invoke(cli, ["login", "--no-browser"], env={"TRELLOLENS_SOURCES": "env"})
    assert result.exit_code == 2
    assert "set the OAuth 2.0 client first" in result.output
