"""`trellolens credentials` and the py-trello bridge: names only, values only where they are used."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from tests.credentials.conftest import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN, assert_no_canary
from trellolens.cli.main import cli
from trellolens.credentials import Secret, TrelloCredentials, py_trello_client


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
