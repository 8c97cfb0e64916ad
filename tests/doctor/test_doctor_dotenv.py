"""Doctor's .env checks in a real git repository: ignored, untracked, private."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from trellolens.doctor.check import Status
from trellolens.doctor.checks_dotenv import dotenv_checks
from trellolens.doctor.doctor import run_doctor


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)


def project(tmp_path: Path, *, ignore: bool, mode: int = 0o600) -> Path:
    git(tmp_path, "init", "-q")
    if ignore:
        (tmp_path / ".gitignore").write_text(".env\n")
    env_file = tmp_path / ".env"
    env_file.write_text("TRELLO_API_KEY=canaryDOCTORdotenvCANARY\n")
    env_file.chmod(mode)
    return tmp_path


def statuses(project_dir: Path) -> dict[str, Status]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {check.id: check.status for check in dotenv_checks(project_dir, environ)}


def test_an_ignored_private_env_file_passes(tmp_path: Path) -> None:
    assert statuses(project(tmp_path, ignore=True)) == {
        "dotenv.git": Status.PASS,
        "dotenv.mode": Status.PASS,
    }


def test_an_env_file_git_would_add_fails(tmp_path: Path) -> None:
    assert statuses(project(tmp_path, ignore=False))["dotenv.git"] is Status.FAIL


def test_a_tracked_env_file_fails(tmp_path: Path) -> None:
    project_dir = project(tmp_path, ignore=True)
    git(project_dir, "add", "-f", ".env")
    assert statuses(project_dir)["dotenv.git"] is Status.FAIL


def test_an_open_env_file_fails_with_the_fix(tmp_path: Path) -> None:
    checks = dotenv_checks(project(tmp_path, ignore=True, mode=0o640), dict(os.environ))
    (mode,) = [check for check in checks if check.id == "dotenv.mode"]
    assert mode.status is Status.FAIL
    assert mode.fix == f"chmod 600 {tmp_path / '.env'}"
    assert "canaryDOCTOR" not in mode.detail


def test_no_env_file_no_checks_and_doctor_runs_them(tmp_path: Path) -> None:
    assert dotenv_checks(tmp_path, dict(os.environ)) == []
    report = run_doctor("settings problem", project_dir=project(tmp_path, ignore=False))
    assert {"dotenv.git", "dotenv.mode"} <= {check.id for check in report.checks}
