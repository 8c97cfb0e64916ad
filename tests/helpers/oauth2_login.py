"""`trellolens login --no-browser` as a real process against the emulator's OAuth 2.0 server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]


def start_login(auth_base: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    """The login process and the sign-in URL it printed."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TRELLO", "AWS_PROFILE"))},
        "TRELLOLENS_SOURCES": "env",
        "TRELLO_CLIENT_ID": CLIENT_ID,
        "TRELLO_CLIENT_SECRET": CLIENT_SECRET,
        "TRELLO_AUTH_BASE_URL": auth_base,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "trellolens.cli", "login", "--no-browser", "--port", "0", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("http"):
            return process, line.strip()
    process.kill()
    raise AssertionError(f"login printed no URL: {process.stderr.read() if process.stderr else ''}")
