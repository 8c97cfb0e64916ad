"""The CLI on every error path, with canaries in every source: in-process and as real processes.

In-process runs (CliRunner) add every log record at DEBUG; the subprocess runs show what a user's
terminal gets from ``trellolens`` in a project folder with a ``.streamlit/secrets.toml``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.canary.harness import (
    WRONG_KEY,
    Canaries,
    Evidence,
    echoing_server,
    secrets_files,
)
from tests.helpers.canaries import write_secrets
from tests.helpers.paths import REPO_ROOT
from trellolens.cli.main import cli
from trellolens.testing import TrelloEmulator

pytestmark = pytest.mark.aws
UNKNOWN_BOARD = "0123456789abcdef01234567"


@pytest.fixture
def trello(canaries: Canaries) -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = canaries.emulator()
    with emulator.serve() as base_url:
        os.environ["TRELLO_API_BASE_URL"] = base_url
        yield emulator, base_url


def invoke(evidence: Evidence, secrets_file: Path, *args: str) -> Result:
    """``trellolens ARGS`` in-process, reading ``secrets_file``; all it printed or raised is kept."""
    with secrets_files([secrets_file]):
        result = CliRunner().invoke(cli, list(args))
    evidence.add(f"stdout of {args[0]}", result.stdout)
    evidence.add(f"stderr of {args[0]}", result.stderr)
    if not isinstance(result.exception, SystemExit):
        evidence.add_exception(f"exception of {args[0]}", result.exception)
    return result


def board_of(emulator: TrelloEmulator) -> str:
    (board_id,) = emulator.board_ids
    return board_id


def test_credentials_everywhere_missing_and_broken(evidence: Evidence, tmp_path: Path) -> None:
    canaries = evidence.canaries
    good = canaries.seed_file(tmp_path / "good.toml")
    broken = write_secrets(tmp_path / "broken.toml", canaries.toml().replace('"', "", 3))
    assert invoke(evidence, good, "credentials").exit_code == 0
    assert invoke(evidence, good, "credentials", "--json").exit_code == 0
    assert invoke(evidence, broken, "credentials").exit_code == 1
    os.environ["TRELLOLENS_SOURCES"] = "aws-sm,ssm"
    from_aws = invoke(evidence, tmp_path / "absent.toml", "credentials", "--json")
    assert '"source": "aws-sm"' in from_aws.stdout
    del os.environ["TRELLO_OAUTH_TOKEN"]
    os.environ["TRELLOLENS_SOURCES"] = "env"
    assert invoke(evidence, good, "credentials").exit_code == 1
    assert "botocore" in evidence.verify()


FAULTS: dict[str, Callable[[TrelloEmulator], object]] = {
    # Longer than any deadline: the client, told by retry-after, gives up at once.
    "429 storm": lambda emu: emu.faults.rate_limit_storm(seconds=3600),
    "500": lambda emu: emu.faults.server_errors(10, status=500),
    "timeout": lambda emu: emu.faults.timeouts(10, seconds=1.5),
    "malformed JSON": lambda emu: emu.faults.truncate_bodies(10, honest_length=True),
    "404": lambda emu: None,
}


@pytest.mark.parametrize("fault", FAULTS)
def test_fetch_and_metrics_when_trello_fails(
    fault: str, evidence: Evidence, trello: Any, tmp_path: Path
) -> None:
    emulator, _ = trello
    secrets_file = evidence.canaries.seed_file(tmp_path / "secrets.toml")
    board_id = UNKNOWN_BOARD if fault == "404" else board_of(emulator)
    FAULTS[fault](emulator)
    fetched = invoke(evidence, secrets_file, "fetch", board_id, "--out", str(tmp_path / "b.json"))
    assert fetched.exit_code == 2
    assert fetched.stderr.startswith("trellolens: error: ")
    emulator.faults.clear()
    FAULTS[fault](emulator)
    assert invoke(evidence, secrets_file, "metrics", board_id).exit_code == 2
    assert "httpcore" in evidence.verify()


@pytest.mark.parametrize("refused", ["key", "token"])
def test_refused_credentials(refused: str, evidence: Evidence, trello: Any, tmp_path: Path) -> None:
    canaries = evidence.canaries
    toml = canaries.toml(canaries.wrong_token if refused == "token" else None)
    if refused == "key":
        toml = toml.replace(canaries.key, WRONG_KEY)
    secrets_file = write_secrets(tmp_path / "secrets.toml", toml)
    result = invoke(evidence, secrets_file, "fetch", "--list")
    assert result.exit_code == 2
    assert "Trello" in result.stderr
    evidence.verify()


@pytest.mark.parametrize("json_cut", [False, True], ids=["403", "cut JSON"])
def test_a_hostile_server_echoing_credentials(
    json_cut: bool, evidence: Evidence, tmp_path: Path
) -> None:
    secrets_file = evidence.canaries.seed_file(tmp_path / "secrets.toml")
    with echoing_server(json_cut=json_cut) as base_url:
        os.environ["TRELLO_API_BASE_URL"] = base_url
        result = invoke(evidence, secrets_file, "fetch", "--list")
    assert result.exit_code == 2
    evidence.verify()


def test_the_happy_path_and_a_bad_board_file(
    evidence: Evidence, trello: Any, tmp_path: Path
) -> None:
    emulator, _ = trello
    canaries = evidence.canaries
    secrets_file = canaries.seed_file(tmp_path / "secrets.toml")
    out = tmp_path / "board.json"
    fetched = invoke(evidence, secrets_file, "fetch", board_of(emulator), "--out", str(out))
    assert fetched.exit_code == 0
    assert invoke(evidence, secrets_file, "fetch", "--list").exit_code == 0
    assert invoke(evidence, secrets_file, "metrics", board_of(emulator), "--json").exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text(f'{{"id": "{canaries.token}", "name": "{canaries.key}", "cards": 3}}')
    for command in ("board", "metrics"):
        args = ("board", "summary", str(bad)) if command == "board" else ("metrics", str(bad))
        assert invoke(evidence, secrets_file, *args).exit_code == 2
    evidence.verify()


@pytest.mark.parametrize("command", ["doctor", "scan"])
def test_doctor_and_scan(command: str, evidence: Evidence, trello: Any, tmp_path: Path) -> None:
    project = tmp_path / "project"
    secrets_file = evidence.canaries.seed_file(project / ".streamlit" / "secrets.toml", mode=0o644)
    (project / "settings.py").write_text(f'TOKEN = "{evidence.canaries.token}"\n')
    args = ["--project-dir", str(project)] if command == "doctor" else [str(project)]
    for extra in ([], ["--json"]):
        result = invoke(evidence, secrets_file, command, *args, *extra)
        assert result.exit_code == 1, result.stderr  # the open file mode / the found token
    evidence.verify()


def trellolens(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in ``project``, with HOME there too (no ~/.streamlit of this machine)."""
    env = {**os.environ, "HOME": str(project), "PYTHONPATH": str(REPO_ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "trellolens.cli", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_real_processes_in_a_project_folder(
    evidence: Evidence, trello: Any, tmp_path: Path
) -> None:
    emulator, _ = trello
    canaries = evidence.canaries
    project = tmp_path / "project"
    secrets = project / ".streamlit" / "secrets.toml"
    runs = []
    canaries.seed_file(secrets, canaries.wrong_token)
    runs.append(trellolens(project, "fetch", board_of(emulator), "--out", "board.json"))
    runs.append(trellolens(project, "credentials"))
    write_secrets(secrets, canaries.toml().replace('"', "", 3))
    runs.append(trellolens(project, "credentials", "--json"))
    runs.append(trellolens(project, "doctor"))
    for run in runs:
        evidence.add(f"stdout of {run.args[3]}", run.stdout)
        evidence.add(f"stderr of {run.args[3]}", run.stderr)
    assert [run.returncode for run in runs] == [2, 0, 1, 1]
    assert "Trello refused the token" in runs[0].stderr
    assert "secrets.toml" in runs[2].stdout
    evidence.verify()
