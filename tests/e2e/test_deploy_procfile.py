"""The Procfile's ``web:`` command run as Heroku runs it: ``PORT`` set, credentials only in the
environment, no secrets file anywhere. The Trello emulator's real server stands in for Trello.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.paths import REPO_ROOT
from tests.helpers.platform import (
    listening_on_all_interfaces,
    pick_live_board,
    procfile_command,
    start,
)
from tests.helpers.servers import app_folder, clean_env, free_port
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

pytestmark = pytest.mark.e2e

CANARY_KEY = "canary" + "he70c0f1e" * 3 + "KEY"
CANARY_TOKEN = "ATTA" + "CANARY" * 10 + "HEROKU"
BOARD = generate_board(lists=4, cards=24, actions=150, seed=9)
TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Deployed:
    url: str
    port: int
    emulator: TrelloEmulator
    workdir: Path


@pytest.fixture
def deploy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A function starting the Procfile app with extra config vars; stopped after the test."""
    emulator = TrelloEmulator(boards=[BOARD], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    stack = ExitStack()

    def deploy(config_vars: dict[str, str]) -> Deployed:
        workdir = app_folder(tmp_path_factory, "heroku-app")
        home = tmp_path_factory.mktemp("heroku-home")
        port = free_port()
        env = clean_env() | {
            "HOME": str(home),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PORT": str(port),
            "TRELLO_API_KEY": CANARY_KEY,
            "TRELLO_OAUTH_TOKEN": CANARY_TOKEN,
            "TRELLO_API_BASE_URL": base_url,
            **config_vars,
        }
        assert not list(workdir.rglob("secrets.toml")), "a platform has no secrets file"
        assert not (home / ".streamlit").exists()
        command = procfile_command(REPO_ROOT / "Procfile")
        url = stack.enter_context(start(command, cwd=workdir, env=env, port=port))
        return Deployed(url, port, emulator, workdir)

    with emulator.serve() as base_url, stack:
        yield deploy
    for log in tmp_path_factory.getbasetemp().glob("heroku-app*/platform.log"):
        assert CANARY_TOKEN not in log.read_text()
        assert CANARY_KEY not in log.read_text()


def new_page(browser: Any) -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def assert_no_canary(page: Any) -> None:
    for text in (page.locator("body").inner_text(), page.content()):
        assert CANARY_KEY not in text
        assert CANARY_TOKEN not in text


def test_an_admitted_visitor_sees_the_live_board(browser: Any, deploy: Any) -> None:
    app = deploy({"TRELLOLENS_ACCESS": "open"})
    assert httpx.get(f"{app.url}/_stcore/health", timeout=5).text == "ok"
    assert listening_on_all_interfaces(app.port)
    page = new_page(browser)
    try:
        pick_live_board(page, app.url, BOARD)
        assert_no_canary(page)
    finally:
        page.context.close()
    assert any(f"/boards/{BOARD.id}" in request.path for request in app.emulator.requests)


def test_a_visitor_the_policy_does_not_admit_is_refused(browser: Any, deploy: Any) -> None:
    app = deploy({})  # TRELLOLENS_ACCESS unset: "local", and 0.0.0.0 is not local
    page = new_page(browser)
    try:
        page.goto(f"{app.url}/connect")
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("this app can be reached from other computers").first.wait_for()
        assert page.get_by_text("Your boards").count() == 0
        assert BOARD.name not in page.locator("body").inner_text()
        assert_no_canary(page)
    finally:
        page.context.close()
    assert app.emulator.requests == []  # not even the token check reached Trello
