"""`trellolens doctor` on the project's files: secrets.toml and git, its mode, Streamlit's config.

Against the emulator's real server like tests/doctor/test_doctor_cli.py, whose helpers these are.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.doctor.test_doctor_cli import (
    _isolated,  # noqa: F401 -- autouse fixture
    doctor,
    emulator,  # noqa: F401 -- fixture, used by name below
    expect,
    make_project,
)

pytestmark = pytest.mark.usefixtures("emulator")

# -- the secrets file -----------------------------------------------------------------------


def test_a_tracked_secrets_file_fails(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    outcome = doctor(make_project(tmp_path, tracked=True), caplog)
    expect(outcome, secrets_file__tracked="fail")
    assert "git rm --cached .streamlit/secrets.toml" in outcome.check("secrets_file.tracked")["fix"]


def test_a_secrets_file_git_does_not_ignore_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = doctor(make_project(tmp_path, ignore=False), caplog)
    expect(outcome, secrets_file__ignored="fail")
    assert ".gitignore" in outcome.check("secrets_file.ignored")["fix"]


def test_outside_a_git_repository_the_git_checks_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = doctor(make_project(tmp_path, repository=False), caplog)
    expect(
        outcome,
        secrets_file__tracked="absent",
        secrets_file__ignored="absent",
        secrets_file__git="warn",
    )
    assert "not inside a git work tree" in outcome.check("secrets_file.git")["detail"]


def test_a_secrets_file_others_may_change_fails_and_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path, mode=0o664)
    outcome = doctor(project, caplog)
    # The resolver refuses the file too, so there is no token to ask Trello about.
    expect(
        outcome,
        secrets_file__mode="fail",
        credentials__sources="fail",
        token__valid="warn",
        token__scopes="absent",
        token__expiry="absent",
        token__age="absent",
    )
    path = project / ".streamlit" / "secrets.toml"
    mode = outcome.check("secrets_file.mode")
    assert "may be changed by other users (mode 0664)" in mode["detail"]
    assert mode["fix"] == f"check its contents, then run `chmod 600 {path}`"


def test_a_secrets_file_others_may_read_fails_but_still_works(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path, mode=0o644)
    outcome = doctor(project, caplog)
    expect(outcome, secrets_file__mode="fail")  # the token checks ran: the file was read
    path = project / ".streamlit" / "secrets.toml"
    mode = outcome.check("secrets_file.mode")
    assert f"other users of this machine may read {path} (mode 0644)" in mode["detail"]
    assert mode["fix"] == f"trellolens doctor --fix, or chmod 600 {path}"
    assert path.stat().st_mode & 0o777 == 0o644  # doctor alone changes nothing


def test_doctor_fix_tightens_the_file_to_0600(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path, mode=0o644)
    outcome = doctor(project, caplog, "--fix")
    expect(outcome)
    path = project / ".streamlit" / "secrets.toml"
    assert path.stat().st_mode & 0o777 == 0o600
    assert outcome.result.stderr == f"trellolens doctor: fixed {path}: mode 0644 -> 0600\n"


# -- Streamlit's error details --------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "status", "words"),
    [
        ('[client]\nshowErrorDetails = "full"\n', "warn", "messages and tracebacks"),
        ('[client]\nshowErrorDetails = "stacktrace"\n', "warn", "tracebacks"),
        ("[client]\nshowErrorDetails = false\n", "warn", "false means stacktrace"),
        ("[client]\nshowErrorDetails = true\n", "warn", "messages and tracebacks"),
        ('[client]\nshowErrorDetails = "type"\n', "pass", "no messages or tracebacks"),
        ('[client]\nshowErrorDetails = "none"\n', "pass", "a generic message only"),
        ("[server]\nport = 8501\n", "warn", "Streamlit's default"),
        (None, "warn", "Streamlit's default"),
    ],
    ids=["full", "stacktrace", "false", "true", "type", "none", "not-set", "no-config-file"],
)
def test_error_details_shown_to_visitors(
    config: str | None,
    status: str,
    words: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    outcome = doctor(make_project(tmp_path, config=config), caplog)
    expect(outcome, streamlit__error_details=status)
    assert words in outcome.check("streamlit.error_details")["detail"]


def test_the_streamlit_environment_variable_overrides_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"
    outcome = doctor(make_project(tmp_path), caplog)
    expect(outcome, streamlit__error_details="warn")
    assert (
        "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS" in outcome.check("streamlit.error_details")["detail"]
    )


def test_an_open_file_allowed_by_the_override_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ["TRELLOLENS_ALLOW_OPEN_SECRETS_FILE"] = "1"  # a filesystem without modes
    outcome = doctor(make_project(tmp_path, mode=0o666), caplog)
    expect(outcome, secrets_file__mode="warn")
    assert "TRELLOLENS_ALLOW_OPEN_SECRETS_FILE" in outcome.check("secrets_file.mode")["fix"]
