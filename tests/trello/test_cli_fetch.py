"""`trellolens fetch` and `trellolens metrics BOARD_ID` against the emulator's real server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.helpers.emulator import Served
from trellolens.board import load_board
from trellolens.cli.main import cli
from trellolens.testing import ResponseLimits


@pytest.fixture
def credentials_for(served: Served) -> Served:
    for name in [n for n in os.environ if n.startswith(("TRELLO", "AWS_"))]:
        del os.environ[name]  # tests/conftest.py restores them
    os.environ.update(
        {
            "TRELLOLENS_SOURCES": "env",
            "TRELLO_API_KEY": CANARY_KEY,
            "TRELLO_OAUTH_TOKEN": CANARY_TOKEN,
            "TRELLO_API_BASE_URL": served.base_url,
        }
    )
    return served


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert_no_canary(result.stdout + result.stderr)
    return result


def test_fetch_saves_an_export_that_reads_back_as_the_board(
    credentials_for: Served, tmp_path: Path
) -> None:
    out = tmp_path / "board.json"
    result = invoke("fetch", credentials_for.board.id, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert load_board(out) == credentials_for.board
    assert out.stat().st_mode & 0o777 == 0o600
    assert "2600 history actions" in result.stdout
    assert "1000 history actions..." in result.stderr  # progress, as pages arrive


def test_fetch_in_a_fresh_process_saves_the_board(credentials_for: Served, tmp_path: Path) -> None:
    """As a shell runs it: the parser is not loaded yet and loads while the request is on the way
    (trello/client.py), so this is the path `trellolens fetch` takes in real use."""
    out = tmp_path / "board.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "trellolens.cli",
            "fetch",
            credentials_for.board.id,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_no_canary(done.stdout + done.stderr)
    assert done.returncode == 0, done.stderr
    assert load_board(out) == credentials_for.board
    assert out.stat().st_mode & 0o777 == 0o600


def test_fetch_list_shows_board_ids(credentials_for: Served) -> None:
    result = invoke("fetch", "--list")
    assert result.exit_code == 0
    assert result.stdout.split()[0] == credentials_for.board.id


def test_metrics_of_a_live_board_by_id(credentials_for: Served) -> None:
    result = invoke("metrics", credentials_for.board.id, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["board"]["id"] == credentials_for.board.id


def test_metrics_of_a_live_board_are_as_of_now(credentials_for: Served) -> None:
    before = datetime.now(UTC)
    result = invoke("metrics", credentials_for.board.id, "--json")
    assert result.exit_code == 0, result.stderr
    as_of = datetime.fromisoformat(json.loads(result.stdout)["as_of"].replace("Z", "+00:00"))
    assert credentials_for.board.newest_action_date is not None
    assert credentials_for.board.newest_action_date < before  # so "now" differs from it
    assert before - timedelta(seconds=1) <= as_of <= datetime.now(UTC)


def test_a_revoked_token_is_one_line_with_what_to_do(credentials_for: Served) -> None:
    credentials_for.emulator.revoke_token(CANARY_TOKEN)
    never = Path(os.environ.get("TMPDIR", "/tmp")) / "trellolens-never.json"
    result = invoke("fetch", credentials_for.board.id, "--out", str(never))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "Trello refused the token" in result.stderr
    assert not never.exists()


@pytest.mark.parametrize("argument", ["no/such/file.json", "not-an-id"])
def test_metrics_of_something_that_is_neither_file_nor_id(argument: str) -> None:
    result = invoke("metrics", argument)
    assert result.exit_code == 2
    assert "no such file, and not a Trello board id" in result.stderr


def test_fetch_of_a_board_trello_refuses_in_one_piece_loads_it_in_parts(
    credentials_for: Served, tmp_path: Path
) -> None:
    credentials_for.emulator.response_limits = ResponseLimits(max_cards=200)
    out = tmp_path / "board.json"
    result = invoke("fetch", credentials_for.board.id, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    saved, want = load_board(out), credentials_for.board
    assert sorted(saved.cards, key=lambda c: c.id) == sorted(want.cards, key=lambda c: c.id)
    assert saved.actions == want.actions
    assert "(size limit): loading it in parts" in result.stderr
    assert "in parts: 224 open cards" in result.stderr
    assert "in parts: 76 archived cards" in result.stderr


def test_fetch_honours_the_projects_secrets_table_as_the_doctor_checks_it(
    credentials_for: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``[trellolens] api_base_url`` in ./.streamlit/secrets.toml, no TRELLO_API_BASE_URL: the
    command asks the emulator the table names (before, it went to Trello's own API)."""
    del os.environ["TRELLO_API_BASE_URL"]
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[trellolens]\napi_base_url = "{credentials_for.base_url}"\n')
    secrets.chmod(0o600)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    out = tmp_path / "board.json"
    result = invoke("fetch", credentials_for.board.id, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert load_board(out) == credentials_for.board
    secrets.write_text('[trellolens]\napi_base_url = "http://api.example.com/1"\n')
    refused = invoke("fetch", credentials_for.board.id, "--out", str(out))
    assert refused.exit_code != 0
    assert refused.stderr.strip().splitlines() == [
        "trellolens: error: api_base_url in [trellolens] of secrets.toml must be an https:// "
        "URL such as "
        "https://api.trello.com/1 (plain http:// only to 127.0.0.1 or localhost, e.g. the "
        "Trello emulator)"
    ]
