"""An emulator with an OAuth 2.0 client and a project folder whose secrets file holds a grant."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.helpers.canaries import write_secrets
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.trello.oauth2_support import OAuth2Served, oauth2_served
from trellolens.testing import TrelloEmulator
from trellolens.trello.oauth2_managers import forget_managers

__all__ = ["OAuth2Project", "oauth2_project", "oauth2_served", "replay"]

GRANT = """# trellolens secrets
[{table}]
client_id = "{client_id}"
client_secret = "{client_secret}"
refresh_token = "{refresh}"  # rotates on every refresh
"""


@dataclass
class OAuth2Project:
    served: OAuth2Served
    folder: Path

    @property
    def emulator(self) -> TrelloEmulator:
        return self.served.emulator

    @property
    def secrets_path(self) -> Path:
        return self.folder / ".streamlit" / "secrets.toml"

    def write_grant(self, table: str = "trello", refresh: str | None = None) -> str:
        """A fresh grant in the project's secrets file; returns its refresh token."""
        refresh = refresh or self.served.refresh_token()
        text = GRANT.format(
            table=table, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh=refresh
        )
        self.secrets_path.parent.mkdir(exist_ok=True)
        write_secrets(self.secrets_path, text)
        return refresh

    def stored_refresh_token(self, table: str = "trello") -> str:
        import tomllib

        data = tomllib.loads(self.secrets_path.read_text())
        node = data
        for part in table.split("."):
            node = node[part]
        return str(node["refresh_token"])

    def values(self) -> list[str]:
        """Every secret the emulator issued or knows (access, refresh, codes, client secret)."""
        return [*self.emulator.oauth2.secrets(), CLIENT_SECRET]

    def bearer_only(self) -> None:
        """Every /1 request carried ``Authorization: Bearer`` and no credential in its URL."""
        requests = [r for r in self.emulator.requests if r.path.startswith("/1/")]
        assert requests
        for request in requests:
            assert request.headers.get("authorization", "").startswith("Bearer "), request
            assert not request.credentials_in_url
            assert not {"key", "token"} & set(request.query)


def replay(project: OAuth2Project, spent: str) -> None:
    """An attacker presents a stolen, already used refresh token: Trello revokes the chain."""
    form = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": spent,
    }
    reply = httpx.post(f"{project.served.auth_base}/oauth/token", data=form)
    assert reply.json()["error"] == "invalid_grant"
    assert project.emulator.oauth2.reuse_detections == 1


@pytest.fixture
def oauth2_project(
    oauth2_served: OAuth2Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OAuth2Project]:
    """The emulator's addresses in the environment, the working directory a project folder."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ.update(
        {
            "TRELLOLENS_SOURCES": "streamlit,env",
            "TRELLO_API_BASE_URL": oauth2_served.base_url,
            "TRELLO_AUTH_BASE_URL": oauth2_served.auth_base,
            "TRELLOLENS_ACCESS": "open",
        }
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    forget_managers()
    yield OAuth2Project(oauth2_served, tmp_path)
    forget_managers()
