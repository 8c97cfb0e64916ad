"""Canary credentials (made at run time, so no source file holds one) and a temporary git repo."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from click.testing import CliRunner, Result

from trellolens.cli.main import cli

KEY = hashlib.md5(b"canary trello key", usedforsecurity=False).hexdigest()
SECRET = hashlib.sha256(b"canary trello secret").hexdigest()
LEGACY_TOKEN = hashlib.sha256(b"canary legacy token").hexdigest()
TOKEN = "ATTA" + "CANARY" * 2 + hashlib.sha256(b"canary token").hexdigest()[:52] + "C0FFEE01"
OTHER_TOKEN = "ATTA" + "CANARY" * 2 + hashlib.sha256(b"other canary").hexdigest()[:52] + "C0FFEE02"
CANARIES = (KEY, SECRET, LEGACY_TOKEN, TOKEN, OTHER_TOKEN)
assert len(TOKEN) == len(OTHER_TOKEN) == 76


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Scanner Test")
    git(path, "config", "user.email", "scanner@example.invalid")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def run_scan(*args: str) -> Result:
    return CliRunner().invoke(cli, ["scan", *args])


def scan_json(*args: str) -> tuple[int, dict[str, object]]:
    result = run_scan("--json", *args)
    assert_no_canary(result)
    return result.exit_code, json.loads(result.stdout)


def assert_no_canary(result: Result) -> None:
    """No canary, nor even its first 5 characters, in anything the command printed."""
    shown = result.stdout + result.stderr + repr(result.exception or "")
    for canary in CANARIES:
        assert canary[:5] not in shown
