"""An emulator with an OAuth 2.0 client, and a refresh token in a commented secrets file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.canaries import write_secrets
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET, token_for
from tests.testing.emulator_support import make_emulator
from trellolens.testing import TrelloEmulator

ROOT = Path(__file__).resolve().parents[2]
COMMENTED = """# trellolens secrets: keep this file private
[trello]
client_id = "{client_id}"  # from Trello's app admin page
client_secret = "{client_secret}"
refresh_token = "{refresh}"  # rotates on every refresh
"""


@dataclass
class OAuth2Served:
    emulator: TrelloEmulator
    base_url: str
    auth_base: str

    def refresh_token(self) -> str:
        return str(token_for(self.auth_base)["refresh_token"])

    def secrets_file(self, folder: Path, refresh: str | None = None) -> Path:
        text = COMMENTED.format(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            refresh=refresh or self.refresh_token(),
        )
        return write_secrets(folder / "secrets.toml", text)

    def worker(self, store: str, **env: str) -> subprocess.Popen[str]:
        variables = {
            **os.environ,
            "TEST_STORE": store,
            "TEST_CLIENT_ID": CLIENT_ID,
            "TEST_CLIENT_SECRET": CLIENT_SECRET,
            "TEST_AUTH_BASE": self.auth_base,
            "TEST_API_BASE": self.base_url,
            **env,
        }
        return subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.oauth2_worker"],
            cwd=ROOT,
            env=variables,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def run_worker(served: OAuth2Served, store: str, **env: str) -> tuple[int, str, str]:
    process = served.worker(store, **env)
    out, err = process.communicate(timeout=120)
    return process.returncode, out.strip(), err


@pytest.fixture
def oauth2_served() -> Iterator[OAuth2Served]:
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    with emulator.serve() as base_url:
        yield OAuth2Served(emulator, base_url, emulator.oauth2.base_url(base_url))
