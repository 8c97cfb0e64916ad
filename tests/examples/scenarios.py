"""Where an example app's credentials come from: one scenario per way a user configures them.

Shared by the AppTest, browser and wheel tests of examples/. Values are obvious canaries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.paths import REPO_ROOT
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

EXAMPLES = REPO_ROOT / "examples"
PY_TRELLO_APP = EXAMPLES / "py_trello_app.py"
CONNECTION_APP = EXAMPLES / "connection_app.py"
APPS = {"py_trello": PY_TRELLO_APP, "connection": CONNECTION_APP}

KEY = "canary" + "5e7a11" * 4 + "XKEY"
TOKEN = "ATTA" + "CANARY" * 10 + "EXTOK"
BOARD = generate_board(lists=3, cards=12, actions=40, seed=13)
SOURCES = "streamlit,env,dotenv"
"""The local sources only: a developer's AWS configuration never reaches these tests."""
SECRETS_FILE = ".streamlit/secrets.toml"


@dataclass(frozen=True)
class Scenario:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """Path relative to the app's working directory -> content, written with mode 0600."""

    @property
    def configured(self) -> bool:
        return bool(self.env or self.files)


SCENARIOS = [
    Scenario(
        "secrets-file",
        files={SECRETS_FILE: f'[trello]\napi_key = "{KEY}"\ntoken = "{TOKEN}"\n'},
    ),
    Scenario("environment", env={"TRELLO_API_KEY": KEY, "TRELLO_OAUTH_TOKEN": TOKEN}),
    Scenario(".env", files={".env": f"TRELLO_API_KEY={KEY}\nTRELLO_OAUTH_TOKEN='{TOKEN}'\n"}),
    Scenario(
        "connections-oauth-token",
        files={SECRETS_FILE: f'[connections.trello]\napi_key = "{KEY}"\noauth_token = "{TOKEN}"\n'},
    ),
    Scenario("none"),
]
SCENARIO_IDS = [scenario.name for scenario in SCENARIOS]


def emulator() -> TrelloEmulator:
    return TrelloEmulator(boards=[BOARD], key=KEY, tokens=[TokenSpec(TOKEN)])


def write_files(scenario: Scenario, workdir: Path) -> None:
    for relative, text in scenario.files.items():
        path = workdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)


def app_environment(scenario: Scenario, base_url: str, base: dict[str, str]) -> dict[str, str]:
    """``base`` without any TRELLO*/AWS* variable, plus the scenario's and the emulator's URL."""
    env = {k: v for k, v in base.items() if not k.startswith(("TRELLO", "AWS_"))}
    return env | scenario.env | {"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": SOURCES}


def assert_no_canary(text: str) -> None:
    assert KEY not in text, "the API key leaked"
    assert TOKEN not in text, "the token leaked"


def assert_short_setup_error(text: str) -> None:
    """The "nothing configured" message: three short lines, the quickest ways, `trellolens init`."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert 1 <= len(lines) <= 3, lines
    assert all(len(line) <= 100 for line in lines), lines
    assert "TRELLO_API_KEY" in text
    assert ".env" in text
    assert "trellolens init" in text
    assert "docs/" not in text  # the wheel ships no docs folder


def current_environ() -> dict[str, str]:
    return dict(os.environ)
