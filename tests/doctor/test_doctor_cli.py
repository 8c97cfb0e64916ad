"""`trellolens doctor` against the Trello emulator's real server, one check at a time, pass and fail.

Every run uses canary credentials and asserts that none reaches stdout, stderr, the JSON or a log
record. The emulator listens on 127.0.0.1, so the base-URL check warns in every run here: that
warning is expected and asserted.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.helpers.canaries import (
    CANARY_KEY,
    CANARY_SECRET,
    CANARY_TOKEN,
    assert_no_canary,
    write_secrets,
)
from trellolens.cli.main import cli
from trellolens.testing import TokenSpec, TrelloEmulator

NOW = datetime.now(UTC)
HEALTHY = TokenSpec(
    CANARY_TOKEN,
    scopes=("read",),
    expires=NOW + timedelta(days=30),
    created=NOW - timedelta(days=10),
)
SECRETS = f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\napi_secret = "{CANARY_SECRET}"\n'
SAFE_CONFIG = '[client]\nshowErrorDetails = "none"\n'
ALL_PASS_BUT_BASE_URL = {
    "credentials.sources": "pass",
    "settings.valid": "pass",
    "secrets_file.tracked": "pass",
    "secrets_file.ignored": "pass",
    "secrets_file.mode": "pass",
    "rotation.leftover": "pass",
    "streamlit.error_details": "pass",
    "trello.base_url": "warn",  # the emulator is not api.trello.com: expected in every test here
    "credentials.shared_token": "pass",
    "access.open": "pass",
    "token.valid": "pass",
    "token.scopes": "pass",
    "token.expiry": "pass",
    "token.age": "pass",
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path) -> None:
    """No credentials from the machine, an empty home, and no global or system git config."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_", "STREAMLIT_", "GIT_")):
            del os.environ[name]
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "gitconfig").write_text("")
    os.environ.update(
        {
            "HOME": str(home),
            "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "TRELLOLENS_SOURCES": "streamlit,env",
        }
    )


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)


def make_project(
    root: Path,
    *,
    secrets: str | None = SECRETS,
    mode: int = 0o600,
    repository: bool = True,
    ignore: bool = True,
    tracked: bool = False,
    config: str | None = SAFE_CONFIG,
) -> Path:
    """A project directory: a git repo with .gitignore, .streamlit/config.toml and secrets.toml."""
    project = root / "project"
    (project / ".streamlit").mkdir(parents=True)
    if repository:
        git(project, "init", "-q")
    if ignore:
        (project / ".gitignore").write_text(".streamlit/secrets.toml\n")
    if config is not None:
        (project / ".streamlit" / "config.toml").write_text(config)
    if secrets is not None:
        write_secrets(project / ".streamlit" / "secrets.toml", secrets, mode)
    if tracked:
        git(project, "add", "-f", ".streamlit/secrets.toml")
    return project


@dataclass
class Doctor:
    result: Result
    report: dict[str, Any]

    @property
    def statuses(self) -> dict[str, str]:
        return {check["id"]: check["status"] for check in self.report["checks"]}

    def check(self, check_id: str) -> dict[str, str]:
        matching: list[dict[str, str]] = [c for c in self.report["checks"] if c["id"] == check_id]
        (found,) = matching
        return found


@pytest.fixture
def emulator() -> Iterator[tuple[TrelloEmulator, str]]:
    with serving(HEALTHY) as emu:
        yield emu, os.environ["TRELLO_API_BASE_URL"]


def doctor(project: Path, caplog: pytest.LogCaptureFixture, *args: str) -> Doctor:
    """Run `trellolens doctor --json` and the table form; check both for canaries; parse the JSON."""
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    as_json = runner.invoke(cli, ["doctor", "--json", "--project-dir", str(project), *args])
    table = runner.invoke(cli, ["doctor", "--project-dir", str(project), *args])
    assert as_json.exception is None or isinstance(as_json.exception, SystemExit)
    assert as_json.exit_code == table.exit_code
    for output in (as_json.stdout, as_json.stderr, table.stdout, table.stderr, caplog.text):
        assert_no_canary(output)
    assert "Traceback" not in as_json.output + table.output
    report = json.loads(as_json.stdout)
    assert report["status"] in table.stdout.splitlines()[-1]
    return Doctor(as_json, report)


def expect(outcome: Doctor, **changes: str) -> None:
    """The statuses are the healthy ones with ``changes`` (``token_age="warn"``), exit as they say."""
    wanted = dict(ALL_PASS_BUT_BASE_URL)
    wanted.update({key.replace("__", "."): value for key, value in changes.items()})
    wanted = {key: value for key, value in wanted.items() if value != "absent"}
    assert outcome.statuses == wanted
    assert outcome.result.exit_code == (1 if "fail" in wanted.values() else 0)
    for check in outcome.report["checks"]:
        assert bool(check["fix"]) == (check["status"] != "pass"), check


def token_spec(**changes: Any) -> TokenSpec:
    fields = {"scopes": HEALTHY.scopes, "expires": HEALTHY.expires, "created": HEALTHY.created}
    return TokenSpec(CANARY_TOKEN, **{**fields, **changes})


@contextmanager
def serving(spec: TokenSpec) -> Iterator[TrelloEmulator]:
    """The emulator with one token, and TRELLO_API_BASE_URL pointing at its real server."""
    emu = TrelloEmulator(key=CANARY_KEY, tokens=[spec])
    with emu.serve() as base_url:
        os.environ["TRELLO_API_BASE_URL"] = base_url
        yield emu


# -- the token ------------------------------------------------------------------------------


def test_a_healthy_setup_passes_everything_but_the_emulator_address(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emu, base_url = emulator
    outcome = doctor(make_project(tmp_path), caplog)
    expect(outcome)
    assert outcome.report["status"] == "warn"
    sources = outcome.check("credentials.sources")["detail"]
    assert "api_key from streamlit (api_key in [trello] of" in sources
    assert "token from streamlit (token in [trello] of" in sources
    assert "api_secret from streamlit" in sources
    assert emu.member_id in outcome.check("token.valid")["detail"]
    assert "scopes: read;" in outcome.check("token.scopes")["detail"]
    assert "in 29 days" in outcome.check("token.expiry")["detail"]
    assert "10 days ago" in outcome.check("token.age")["detail"]
    assert base_url.removesuffix("/1") in outcome.check("trello.base_url")["detail"]
    assert "PASS  Token accepted by Trello" in outcome_table(tmp_path / "project", caplog)


def outcome_table(project: Path, caplog: pytest.LogCaptureFixture) -> str:
    result = CliRunner().invoke(cli, ["doctor", "--project-dir", str(project)])
    assert_no_canary(result.output + caplog.text)
    return result.stdout


@pytest.mark.parametrize(
    ("spec", "check_id", "status", "words"),
    [
        # The dashboard only reads: a token that may write fails (least privilege).
        (token_spec(scopes=("read", "write")), "token.scopes", "fail", "change your boards"),
        (token_spec(scopes=("read", "account")), "token.scopes", "fail", "Trello account"),
        (token_spec(expires=None), "token.expiry", "warn", "OAuth 2.0 is recommended"),
        (token_spec(expires=NOW + timedelta(days=3)), "token.expiry", "warn", "in 2 days"),
        (token_spec(created=NOW - timedelta(days=120)), "token.age", "warn", "120 days ago"),
    ],
    ids=["write-scope", "account-scope", "never-expires", "expires-in-3-days", "120-days-old"],
)
def test_token_findings(
    spec: TokenSpec,
    check_id: str,
    status: str,
    words: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with serving(spec):
        outcome = doctor(make_project(tmp_path), caplog)
    expect(outcome, **{check_id.replace(".", "__"): status})
    check = outcome.check(check_id)
    assert words in check["detail"]
    assert "scope=read" in check["fix"]


def test_a_revoked_token_fails(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emu, _ = emulator
    emu.revoke_token(CANARY_TOKEN)
    outcome = doctor(make_project(tmp_path), caplog)
    expect(
        outcome,
        token__valid="fail",
        token__scopes="absent",
        token__expiry="absent",
        token__age="absent",
    )
    assert "Trello refused the token" in outcome.check("token.valid")["detail"]


def test_trello_out_of_reach_is_a_warning_not_a_pass(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with serving(HEALTHY) as emu:
        emu.faults.server_errors(50, status=503)
        outcome = doctor(make_project(tmp_path), caplog)
    expect(
        outcome,
        token__valid="warn",
        token__scopes="absent",
        token__expiry="absent",
        token__age="absent",
    )
    assert outcome.check("token.valid")["detail"].startswith("not checked:")


# -- credentials and profiles ---------------------------------------------------------------


def test_missing_credentials_fail_and_say_what_to_set(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = doctor(make_project(tmp_path, secrets=None), caplog)
    expect(
        outcome,
        credentials__sources="fail",
        secrets_file__mode="pass",
        token__valid="warn",
        token__scopes="absent",
        token__expiry="absent",
        token__age="absent",
    )
    sources = outcome.check("credentials.sources")
    assert "missing api_key, token" in sources["detail"]
    assert "TRELLO_API_KEY" in sources["fix"]
    assert "[trello]" in sources["fix"]


def test_credentials_from_the_environment_name_their_variables(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ.update({"TRELLO_API_KEY": CANARY_KEY, "TRELLO_TOKEN": CANARY_TOKEN})
    outcome = doctor(make_project(tmp_path, secrets=None), caplog)
    expect(outcome)
    detail = outcome.check("credentials.sources")["detail"]
    assert (
        detail
        == "profile development: api_key from env (TRELLO_API_KEY); token from env (TRELLO_TOKEN)"
    )


def test_the_same_token_in_two_profiles_fails(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = SECRETS + f'\n[trello.production]\ntoken = "{CANARY_TOKEN}"\n'
    outcome = doctor(make_project(tmp_path, secrets=secrets), caplog)
    expect(outcome, credentials__shared_token="fail")
    assert (
        "profiles development and production" in outcome.check("credentials.shared_token")["detail"]
    )


def test_a_profile_token_from_the_environment_is_compared_too(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ["TRELLO_STAGING_OAUTH_TOKEN"] = CANARY_TOKEN
    os.environ["TRELLO_DEVELOPMENT_OAUTH_TOKEN"] = CANARY_TOKEN
    outcome = doctor(make_project(tmp_path), caplog, "--profile", "staging")
    expect(outcome, credentials__shared_token="fail")
    assert outcome.report["profile"] == "staging"
    assert "staging and development" in outcome.check("credentials.shared_token")["detail"]


def test_one_plain_token_on_a_production_server_is_not_a_shared_token(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Plain TRELLO_* variables with TRELLOLENS_PROFILE=production: one profile is configured."""
    os.environ.update(
        {
            "TRELLO_API_KEY": CANARY_KEY,
            "TRELLO_OAUTH_TOKEN": CANARY_TOKEN,
            "TRELLOLENS_PROFILE": "production",
        }
    )
    outcome = doctor(make_project(tmp_path, secrets=None), caplog)
    expect(outcome)
    assert (
        outcome.check("credentials.shared_token")["detail"]
        == "only profile production is configured"
    )


def test_profiles_with_their_own_tokens_pass(
    emulator: tuple[TrelloEmulator, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = SECRETS + '\n[trello.production]\ntoken = "ATTACANARYCANARYCANARYPROD"\n'
    outcome = doctor(make_project(tmp_path, secrets=secrets), caplog)
    expect(outcome)
    assert "development, production" in outcome.check("credentials.shared_token")["detail"]
    assert_no_canary(json.dumps(outcome.report), "ATTACANARYCANARYCANARYPROD")


# -- the base URL and usage errors ----------------------------------------------------------


def test_trellos_own_address_passes_and_a_remote_plain_http_address_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path, secrets=None)
    os.environ["TRELLO_API_BASE_URL"] = "https://api.trello.com/1/"
    assert doctor(project, caplog).statuses["trello.base_url"] == "pass"
    os.environ["TRELLO_API_BASE_URL"] = "http://user:pw@example.invalid/1"
    check = doctor(project, caplog).check("trello.base_url")
    assert check["status"] == "fail"
    assert "pw" not in check["detail"]


@pytest.mark.parametrize(
    "args",
    [["--profile", "Not A Profile!"], ["--project-dir", "/no/such/dir"], ["--bogus"]],
    ids=["bad-profile", "missing-dir", "unknown-option"],
)
def test_usage_errors_exit_2_with_one_line(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["doctor", *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
