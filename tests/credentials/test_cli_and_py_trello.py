"""`trellolens credentials` and the py-trello bridge: names only, values only where they are used."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN, assert_no_canary
from trellolens.cli.main import cli
from trellolens.credentials import Secret, TrelloCredentials, py_trello_client
from trellolens.errors import ConfigError


def run(*args: str) -> tuple[int, str]:
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    result = CliRunner().invoke(cli, ["credentials", *args])
    return result.exit_code, result.output


def test_lists_each_key_with_its_source(tmp_path: Path) -> None:
    os.environ.update({"TRELLO_API_KEY": CANARY_KEY, "TRELLO_PRODUCTION_TOKEN": CANARY_TOKEN})
    code, output = run("--profile", "production")
    assert code == 0
    assert "  api_key    env       TRELLO_API_KEY" in output.splitlines()
    assert "  token      env       TRELLO_PRODUCTION_TOKEN" in output.splitlines()
    assert_no_canary(output)


def test_json_output_and_exit_status_1_when_missing() -> None:
    os.environ["TRELLO_API_KEY"] = CANARY_KEY
    code, output = run("--json")
    assert code == 1
    payload = json.loads(output)
    assert payload["missing"] == ["token"]
    assert payload["keys"] == {"api_key": {"source": "env", "where": "TRELLO_API_KEY"}}
    assert_no_canary(output)


def test_missing_lines_go_to_stderr_with_exit_1() -> None:
    code, output = run()
    assert code == 1
    assert "trellolens: error: Trello credentials missing for profile development" in output


def test_py_trello_client_gets_the_resolved_values() -> None:
    credentials = TrelloCredentials(
        api_key=Secret(CANARY_KEY), token=Secret(CANARY_TOKEN), api_secret=Secret(CANARY_SECRET)
    )
    client = py_trello_client(credentials)
    assert (client.api_key, client.api_secret, client.resource_owner_key) == (
        CANARY_KEY,
        CANARY_SECRET,
        CANARY_TOKEN,
    )


def test_py_trello_client_resolves_from_the_process_by_default() -> None:
    os.environ.update(
        {"TRELLOLENS_SOURCES": "env", "TRELLO_API_KEY": CANARY_KEY, "TRELLO_TOKEN": CANARY_TOKEN}
    )
    assert py_trello_client().resource_owner_key == CANARY_TOKEN


def test_py_trello_client_follows_trello_api_base_url_to_the_emulator() -> None:
    from tests.testing.emulator_support import BOARD, KEY, TOKEN, make_emulator

    emulator = make_emulator()
    with emulator.serve() as base_url:
        os.environ["TRELLO_API_BASE_URL"] = base_url
        client = py_trello_client(TrelloCredentials(api_key=Secret(KEY), token=Secret(TOKEN)))
        assert [board.id for board in client.list_boards()] == [BOARD.id]
    assert emulator.request_count == 1
    assert not emulator.requests[0].credentials_in_url  # py-trello signs an OAuth header


def test_py_trello_client_refuses_plain_http_off_this_machine() -> None:
    os.environ["TRELLO_API_BASE_URL"] = "http://example.com/1"
    credentials = TrelloCredentials(api_key=Secret(CANARY_KEY), token=Secret(CANARY_TOKEN))
    with pytest.raises(ConfigError, match="TRELLO_API_BASE_URL must be an https:// URL"):
        py_trello_client(credentials)
