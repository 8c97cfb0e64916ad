"""Writes and mode changes never follow a symbolic link out of the project: `doctor --fix`
through a `.streamlit/secrets.toml` link, `init` through a `.gitignore` or `.streamlit` link,
and `rotate` writing a secrets file that is a link, each leave the target alone and say so in
one line. A link that stays inside the project is followed as before."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from trellolens.cli.main import cli
from trellolens.credentials import Secret
from trellolens.errors import RotationError
from trellolens.rotation.store import TokenPlace, write_secrets_file

VICTIM_TEXT = "root:x:0:0:not a TOML file, not trellolens's\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path) -> None:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_", "STREAMLIT_", "GIT_")):
            del os.environ[name]
    (tmp_path / "home").mkdir()
    (tmp_path / "gitconfig").write_text("")
    os.environ.update(
        {
            "HOME": str(tmp_path / "home"),
            "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "TRELLOLENS_SOURCES": "streamlit,env",
        }
    )


def victim(tmp_path: Path, mode: int = 0o644) -> Path:
    """A file outside the project (think /etc/passwd) that must keep its contents and mode."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    path = outside / "system.conf"
    path.write_text(VICTIM_TEXT, encoding="utf-8")
    path.chmod(mode)
    return path


def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_doctor_fix_does_not_chmod_through_a_link_out_of_the_project(tmp_path: Path) -> None:
    target = victim(tmp_path)
    root = project(tmp_path)
    (root / ".streamlit").mkdir()
    (root / ".streamlit" / "secrets.toml").symlink_to(target)
    _, _, err = run("doctor", "--fix", "--project-dir", str(root))
    assert mode_of(target) == 0o644
    assert target.read_text(encoding="utf-8") == VICTIM_TEXT
    (line,) = [text for text in err.splitlines() if "not fixed" in text]
    assert "secrets.toml is a symbolic link" in line
    assert "outside" in line


def test_doctor_fix_follows_a_link_that_stays_in_the_project(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "config").mkdir()
    real = root / "config" / "secrets.toml"
    real.write_text(f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n')
    real.chmod(0o644)
    (root / ".streamlit").mkdir()
    (root / ".streamlit" / "secrets.toml").symlink_to(Path("..") / "config" / "secrets.toml")
    _, out, err = run("doctor", "--fix", "--project-dir", str(root))
    assert mode_of(real) == 0o600
    assert "fixed" in err
    assert "not fixed" not in err
    assert_no_canary(out + err)


def test_init_does_not_append_to_a_gitignore_linked_out_of_the_project(tmp_path: Path) -> None:
    target = victim(tmp_path)
    root = project(tmp_path)
    (root / ".gitignore").symlink_to(target)
    code, out, _ = run("init", "--project-dir", str(root), "--no-pre-commit")
    assert code == 0
    assert target.read_text(encoding="utf-8") == VICTIM_TEXT
    (line,) = [text for text in out.splitlines() if text.startswith(".gitignore:")]
    assert line.startswith(".gitignore: not changed: ")
    assert "symbolic link" in line
    assert (root / ".streamlit" / "secrets.toml").is_file()


def test_init_does_not_create_the_secrets_file_through_a_linked_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside-folder"
    outside.mkdir()
    root = project(tmp_path)
    (root / ".streamlit").symlink_to(outside)
    code, out, _ = run("init", "--project-dir", str(root), "--no-pre-commit")
    assert code == 0
    assert list(outside.iterdir()) == []
    assert "secrets.toml: not created: " in out
    assert "symbolic link" in out


def test_rotate_does_not_write_through_a_secrets_file_linked_out_of_the_project(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "secrets.toml"
    original = f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n'
    target.write_text(original, encoding="utf-8")
    target.chmod(0o600)
    root = project(tmp_path)
    (root / ".streamlit").mkdir()
    link = root / ".streamlit" / "secrets.toml"
    link.symlink_to(target)
    place = TokenPlace("streamlit", f"token in [trello] of {link}", link, ("trello",), "token")
    with pytest.raises(RotationError) as raised:
        write_secrets_file(place, Secret(CANARY_TOKEN), Secret("ATTA" + "CANARY" * 10 + "NEW1"))
    assert "symbolic link" in str(raised.value)
    assert "nothing was written" in str(raised.value)
    assert target.read_text(encoding="utf-8") == original
    assert_no_canary(str(raised.value))
