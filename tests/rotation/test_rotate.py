"""`trellolens rotate` with the token in a local secrets file, against the emulator's real server."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, write_secrets
from tests.rotation.rotate_support import (
    BROAD,
    DEV,
    EXPIRED,
    NEW,
    OLD,
    OTHER_MEMBERS,
    UNKNOWN,
    accepted,
    isolate,
    rotate,
    serving_emulator,
)
from trellolens.cli import rotate_command
from trellolens.credentials import Secret
from trellolens.credentials.model import TOKEN
from trellolens.rotation.rotation import fresh_resolver
from trellolens.testing import TrelloEmulator

SECRETS = f"""# trellolens secrets: never commit this file
[trello]
api_key = "{CANARY_KEY}"  # from the Power-Up admin page
token = "{OLD}"   # made in January
api_secret = "{CANARY_SECRET}"

# other settings stay as they are
[other]
answer = 42
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return isolate(tmp_path)


@pytest.fixture
def emulator(project: Path) -> Iterator[TrelloEmulator]:
    with serving_emulator() as emulator:
        yield emulator


def secrets_file(project: Path, text: str = SECRETS) -> Path:
    return write_secrets(project / ".streamlit" / "secrets.toml", text)


def resolved_token_fingerprint(project: Path, profile: str | None = None) -> str:
    token = fresh_resolver(project).check(profile).values[TOKEN]
    return token.fingerprint()


def test_rotates_the_token_in_the_project_secrets_file(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = secrets_file(project)
    run = rotate(caplog, project, "--yes")
    assert run.code == 0, run.stderr
    text = path.read_text()
    assert text == SECRETS.replace(OLD, NEW)  # comments, spacing and other tables kept
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["secrets.toml"]  # no backup, no temp
    assert resolved_token_fingerprint(project) == fresh_fp(NEW)
    assert not accepted(OLD)
    assert accepted(NEW)
    lines = run.stdout.splitlines()
    assert [line[0] for line in lines] == ["✓"] * len(lines)
    assert f"current token {fresh_fp(OLD)[:8]}" in run.stdout
    assert "revoked the old token" in run.stdout
    assert "member " + emulator.member_id in run.stdout


def fresh_fp(token: str) -> str:
    return Secret(token).fingerprint()


@pytest.mark.parametrize(
    ("table", "field"),
    [("connections.trello", "oauth_token"), ("connections.trello", "token")],
)
def test_writes_the_table_and_field_that_supplied_the_token(
    emulator: TrelloEmulator,
    project: Path,
    caplog: pytest.LogCaptureFixture,
    table: str,
    field: str,
) -> None:
    text = f'[{table}]\napi_key = "{CANARY_KEY}"\n{field} = "{OLD}"\n'
    path = secrets_file(project, text)
    run = rotate(caplog, project, "--yes")
    assert run.code == 0, run.stderr
    assert path.read_text() == text.replace(OLD, NEW)
    assert f"{field} under [{table}]" in run.stdout


def test_profile_table_only(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (
        f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{DEV}"\n\n'
        f'[trello.production]  # the live dashboard\ntoken = "{OLD}"\n'
    )
    path = secrets_file(project, text)
    run = rotate(caplog, project, "--profile", "production", "--yes")
    assert run.code == 0, run.stderr
    assert path.read_text() == text.replace(OLD, NEW)
    assert "[trello.production]" in run.stdout
    assert resolved_token_fingerprint(project, "production") == fresh_fp(NEW)
    assert resolved_token_fingerprint(project, "development") == fresh_fp(DEV)
    assert accepted(DEV)
    assert not accepted(OLD)


def test_global_secrets_file_is_the_one_written(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home_file = write_secrets(Path(os.environ["HOME"]) / ".streamlit" / "secrets.toml", SECRETS)
    run = rotate(caplog, project, "--yes")
    assert run.code == 0, run.stderr
    assert home_file.read_text() == SECRETS.replace(OLD, NEW)
    assert not (project / ".streamlit").exists()


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (UNKNOWN, "Trello refuses the new token (invalid)"),
        (EXPIRED, "Trello refuses the new token (expired)"),
        (OTHER_MEMBERS, "the dashboard would show another member's boards"),
        (OLD, "the new token is the one already in use"),
        ("", "no new token on stdin"),
        ("not a token!", "letters and digits only"),
    ],
)
def test_refused_new_tokens_change_nothing(
    emulator: TrelloEmulator,
    project: Path,
    caplog: pytest.LogCaptureFixture,
    new: str,
    expected: str,
) -> None:
    path = secrets_file(project)
    before = path.read_bytes()
    run = rotate(caplog, project, "--yes", stdin=new + "\n")
    assert run.code == 1
    (error,) = run.stderr.splitlines()
    assert error.startswith("✗ ")
    assert expected in error
    assert path.read_bytes() == before
    assert accepted(OLD)


def test_a_token_with_broader_scopes_is_refused_by_default(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = secrets_file(project)
    before = path.read_bytes()
    run = rotate(caplog, project, "--yes", stdin=BROAD + "\n")
    assert run.code == 1
    assert "scopes: read, write, account" in run.stderr
    assert "--allow-scope write --allow-scope account" in run.stderr
    assert path.read_bytes() == before
    assert accepted(OLD)
    partly = rotate(caplog, project, "--yes", "--allow-scope", "write", stdin=BROAD + "\n")
    assert partly.code == 1
    assert "--allow-scope account" in partly.stderr
    assert path.read_bytes() == before


def test_broad_scopes_allowed_explicitly_are_used_with_the_reason_they_are_discouraged(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = secrets_file(project)
    args = ("--yes", "--allow-scope", "write", "--allow-scope", "account")
    run = rotate(caplog, project, *args, stdin=BROAD + "\n")
    assert run.code == 0, run.stderr
    warnings = [line for line in run.stdout.splitlines() if line.startswith("!")]
    assert any(
        "scopes: read, write, account: a leak would let anyone change your boards" in line
        for line in warnings
    )
    assert any("never expires" in line for line in warnings)
    assert BROAD.encode() in path.read_bytes()


def test_an_old_token_already_refused_is_replaced_and_not_revoked(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = secrets_file(project, SECRETS.replace(OLD, EXPIRED))
    run = rotate(caplog, project, "--yes")
    assert run.code == 0, run.stderr
    assert "already refused by Trello (expired)" in run.stdout
    assert "nothing to revoke" in run.stdout
    assert NEW.encode() in path.read_bytes()


def test_piped_without_yes_keeps_the_old_token(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = secrets_file(project)
    run = rotate(caplog, project)
    assert run.code == 0, run.stderr
    assert NEW.encode() in path.read_bytes()
    assert accepted(OLD)
    assert "no terminal to confirm and no --yes" in run.stdout
    assert "Settings > Applications" in run.stdout.splitlines()[-1]


def test_keep_old_never_revokes(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secrets_file(project)
    run = rotate(caplog, project, "--keep-old", "--yes")
    assert run.code == 0, run.stderr
    assert accepted(OLD)
    assert run.stdout.splitlines()[-1].startswith(f"! kept the old token {fresh_fp(OLD)[:8]}")


@pytest.mark.parametrize(("answer", "revoked"), [("y", True), ("n", False)])
def test_on_a_terminal_the_token_is_prompted_for_and_revoking_asked(
    emulator: TrelloEmulator,
    project: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    revoked: bool,
) -> None:
    monkeypatch.setattr(rotate_command, "stdin_is_terminal", lambda: True)
    secrets_file(project)
    run = rotate(caplog, project, stdin=f"{NEW}\n{answer}\n")
    assert run.code == 0, run.stderr
    assert "New Trello token (input hidden)" in run.stderr
    assert "Revoke the old token" in run.stderr
    assert accepted(OLD) is not revoked


def test_a_token_as_argument_is_refused_without_echoing_it(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = secrets_file(project)
    before = path.read_bytes()
    run = rotate(caplog, project, NEW)
    assert run.code == 2
    assert "reads the new token from stdin" in run.stderr
    assert path.read_bytes() == before


def test_the_temporary_file_is_private_from_its_creation(
    emulator: TrelloEmulator,
    project: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = secrets_file(project)
    real_open = os.open
    created: list[tuple[str, int, int]] = []

    def spy(file: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        descriptor = real_open(file, flags, mode, *args, **kwargs)
        if flags & os.O_CREAT:
            created.append((str(file), flags, stat.S_IMODE(os.fstat(descriptor).st_mode)))
        return descriptor

    monkeypatch.setattr(os, "open", spy)
    old_umask = os.umask(0)  # even with no umask protection at all
    try:
        run = rotate(caplog, project, "--yes")
    finally:
        os.umask(old_umask)
    assert run.code == 0, run.stderr
    ((name, flags, mode),) = created
    assert Path(name).parent == path.parent
    assert flags & os.O_EXCL
    assert mode == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_edited_meanwhile_is_not_overwritten(
    emulator: TrelloEmulator,
    project: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tomlkit  # the module rotation_store writes with

    path = secrets_file(project)
    edited = SECRETS.replace("answer = 42", "answer = 43")
    real_dumps = tomlkit.dumps

    def dumps_then_someone_edits(document: Any) -> str:
        path.write_text(edited)
        return real_dumps(document)

    monkeypatch.setattr(tomlkit, "dumps", dumps_then_someone_edits)
    run = rotate(caplog, project, "--yes")
    assert run.code == 1
    assert "changed while rotating" in run.stderr
    assert path.read_text() == edited
    assert sorted(p.name for p in path.parent.iterdir()) == ["secrets.toml"]
    assert accepted(OLD)


def test_env_sourced_token_gets_instructions_only(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ.update({"TRELLO_API_KEY": CANARY_KEY, "TRELLO_OAUTH_TOKEN": OLD})
    run = rotate(caplog, project, "--yes")
    assert run.code == 0, run.stderr
    assert "nothing written" in run.stdout
    assert "set TRELLO_OAUTH_TOKEN to the new token" in run.stdout
    assert not (project / ".streamlit").exists()
    assert accepted(OLD)
    assert os.environ["TRELLO_OAUTH_TOKEN"] == OLD


def test_a_profile_env_variable_is_named(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ.update({"TRELLO_API_KEY": CANARY_KEY, "TRELLO_STAGING_TOKEN": OLD})
    run = rotate(caplog, project, "--profile", "staging", "--yes")
    assert run.code == 0, run.stderr
    assert "set TRELLO_STAGING_TOKEN to the new token" in run.stdout


def test_missing_credentials_stop_before_anything(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    run = rotate(caplog, project, "--yes")
    assert run.code == 1
    assert run.stderr.startswith("✗ cannot read the current credentials")
    assert len(run.stderr.splitlines()) == 1
    assert emulator.request_count == 0
