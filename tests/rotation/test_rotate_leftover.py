"""The temporary file of an interrupted rotation: git-ignored by the shipped rules, and reported."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.paths import REPO_ROOT
from tests.rotation.rotate_support import isolate, rotate, serving_emulator
from tests.rotation.test_rotate import secrets_file
from trellolens.doctor.check import Status
from trellolens.doctor.checks_rotation import leftover_check


def temporary_name_of_a_rotation(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Run a real rotation and return the name of the temporary file it wrote."""
    project = isolate(tmp_path)
    path = secrets_file(project)
    real_open = os.open
    created: list[Path] = []

    def spy(file: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            created.append(Path(file))
        return real_open(file, flags, mode, *args, **kwargs)

    with serving_emulator():
        monkeypatch.setattr(os, "open", spy)
        run = rotate(caplog, project, "--keep-old")
        monkeypatch.undo()
    assert run.code == 0, run.stderr
    (temporary,) = created
    assert temporary.parent == path.parent
    return temporary


def test_the_temporary_name_is_ignored_by_the_shipped_gitignore(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = temporary_name_of_a_rotation(tmp_path, caplog, monkeypatch)
    project = temporary.parent.parent
    shutil.copy(REPO_ROOT / ".gitignore", project / ".gitignore")
    subprocess.run(["git", "-C", str(project), "init", "-q"], check=True)
    relative = temporary.relative_to(project)
    ignored = subprocess.run(
        ["git", "-C", str(project), "check-ignore", "--no-index", "-q", str(relative)],
        check=False,
    )
    assert ignored.returncode == 0, f"{relative} would be committed"


def test_doctor_reports_a_leftover_temporary_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = temporary_name_of_a_rotation(tmp_path, caplog, monkeypatch)
    secrets = temporary.parent / "secrets.toml"
    assert leftover_check([secrets]).status is Status.PASS
    temporary.write_text("# what a killed rotation left\n")  # the process died before os.replace
    check = leftover_check([secrets])
    assert check.status is Status.WARN
    assert temporary.name in check.detail
    from click.testing import CliRunner

    from trellolens.cli.main import cli

    project = temporary.parent.parent
    result = CliRunner().invoke(cli, ["doctor", "--project-dir", str(project)])
    assert "No leftover rotation file" in result.output
    assert temporary.name in result.output
