"""Hostile files given to the CLI, run as its own process (a hang is a timeout, not a stuck
suite): a FIFO, /dev/zero and 200 MB files as holidays, .env, secrets.toml and board export are
each refused in one line naming the cap, quickly, with no traceback and no secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, write_secrets

HUGE = 200 * 1024 * 1024
SECONDS = 30


def huge(path: Path) -> Path:
    """A 200 MB file (sparse: instant to make, as slow as any to read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.write(b"TRELLO_API_KEY=" + CANARY_KEY.encode() + b"\n")
        file.truncate(HUGE)
    path.chmod(0o600)
    return path


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path, 0o600)
    return path


def run(project: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLO", "AWS_", "GIT_"))}
    env |= {"HOME": str(project / "home"), "TRELLOLENS_SOURCES": "streamlit,env,dotenv"}
    (project / "home").mkdir(exist_ok=True)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "trellolens.cli", *args],
            cwd=project,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"trellolens {' '.join(args)} hung for {SECONDS} s")
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-2000:]
    assert "MemoryError" not in done.stderr + done.stdout
    assert_no_canary(done.stderr + done.stdout)
    return done


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.json"
    path.write_text('{"id": "b", "name": "B", "lists": [], "cards": []}', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: fifo(p / "days.txt"), "is a FIFO (named pipe); a holidays file must be"),
        (lambda p: Path("/dev/zero"), "is a character device; a holidays file must be"),
        (lambda p: huge(p / "days.txt"), "over 1 MB, the limit for a holidays file"),
    ],
    ids=["fifo", "dev-zero", "200-MB"],
)
def test_metrics_holidays_on_a_hostile_file(
    tmp_path: Path, board: Path, make: object, expected: str
) -> None:
    holidays = make(tmp_path)  # type: ignore[operator]
    done = run(tmp_path, "metrics", str(board), "--holidays", str(holidays))
    assert done.returncode == 2
    assert expected in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


@pytest.mark.parametrize("command", [["credentials"], ["doctor"]])
@pytest.mark.parametrize("kind", ["huge", "fifo"])
def test_a_hostile_env_file_is_one_line(tmp_path: Path, command: list[str], kind: str) -> None:
    (huge if kind == "huge" else fifo)(tmp_path / ".env")
    done = run(tmp_path, *command)
    expected = "over 2 MB, the limit for a .env file" if kind == "huge" else "is a FIFO"
    assert expected in done.stdout + done.stderr


def test_rotate_on_a_huge_secrets_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / ".streamlit" / "secrets.toml"
    write_secrets(path, f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n')
    with path.open("r+b") as file:
        file.truncate(HUGE)
    done = run(tmp_path, "rotate", stdin="ATTA" + "CANARY" * 10 + "NEW1\n")
    assert done.returncode != 0
    assert "over 2 MB, the limit for a secrets file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev"])
def test_a_board_export_that_is_not_a_file_is_one_line(tmp_path: Path, kind: str) -> None:
    path = fifo(tmp_path / "board.json") if kind == "fifo" else Path("/dev/zero")
    done = run(tmp_path, "metrics", str(path))
    assert done.returncode == 2
    assert "must be a regular file" in done.stderr
