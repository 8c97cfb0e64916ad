"""A change in Trello reaches an open overview page by itself: the emulator's real server, a real
redis-server, `trellolens run` and chromium, and nobody touching the page.

The test renames a list through Trello's API (the emulator records an ``updateList`` action) and
does what the webhook receiver does when Trello calls it (``BoardService.board_changed``, here
from another process than the app's, as the receiver is); the open page must show the new name
within a few poll intervals, having asked Trello only for the changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.helpers.servers import app_folder, clean_env, serve_app
from trellolens.service import BoardService
from trellolens.settings import Settings
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board
from trellolens.testing.redis_server import RedisServer

pytestmark = pytest.mark.e2e

CANARY_KEY = "canary" + "e2e1ive0" * 3 + "KEY"
CANARY_TOKEN = "ATTA" + "CANARY" * 10 + "E2ELIVE"
WRITE_TOKEN = "ATTA" + "CANARY" * 10 + "E2ELIVEW"
BOARD = generate_board(lists=4, cards=30, actions=200, seed=24)
TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class LiveApp:
    url: str
    base_url: str
    redis_url: str
    emulator: TrelloEmulator


@pytest.fixture
def live_app(
    tmp_path_factory: pytest.TempPathFactory, redis_server: RedisServer
) -> Iterator[LiveApp]:
    tokens = [TokenSpec(CANARY_TOKEN), TokenSpec(WRITE_TOKEN, scopes=("read", "write"))]
    emulator = TrelloEmulator(boards=[BOARD], key=CANARY_KEY, tokens=tokens)
    workdir = app_folder(tmp_path_factory, "live-updates")
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n')
    with emulator.serve() as base_url:
        env = clean_env() | {
            "TRELLO_API_BASE_URL": base_url,
            "TRELLOLENS_SOURCES": "streamlit",
            "TRELLOLENS_REDIS_URL": redis_server.url,
            "TRELLOLENS_LIVE_POLL_SECONDS": "0.5",
        }
        with serve_app(workdir, env) as url:
            yield LiveApp(url, base_url, redis_server.url, emulator)
    log = (workdir / "server.log").read_text()
    for secret in (CANARY_KEY, CANARY_TOKEN, WRITE_TOKEN):
        assert secret not in log


def rename_list(app: LiveApp, list_id: str, name: str) -> None:
    """Rename a list in Trello, then hear Trello's webhook as the receiver does."""
    auth = f'OAuth oauth_consumer_key="{CANARY_KEY}", oauth_token="{WRITE_TOKEN}"'
    renamed = httpx.put(
        f"{app.base_url}/lists/{list_id}",
        params={"name": name},
        headers={"Authorization": auth},
    )
    renamed.raise_for_status()
    receiver = BoardService(settings=lambda: Settings({}, {"TRELLOLENS_REDIS_URL": app.redis_url}))
    assert receiver.board_changed(BOARD.id) == 1


def test_a_webhook_change_shows_on_the_open_page_by_itself(browser: Any, live_app: LiveApp) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(live_app.url)
        main = page.locator("[data-testid='stMain']")
        main.locator("h1").filter(has_text=BOARD.name).first.wait_for()
        first = BOARD.lists[0]
        main.get_by_text(first.name, exact=True).first.wait_for()
        loads = len(live_app.emulator.requests)

        rename_list(live_app, first.id, "Renamed in Trello")

        main.get_by_text("Renamed in Trello", exact=True).first.wait_for()  # no click, no reload
        assert main.get_by_text(first.name, exact=True).count() == 0
        board_calls = [
            request
            for request in live_app.emulator.requests[loads:]
            if request.path == f"/1/boards/{BOARD.id}"
        ]
        assert len(board_calls) == 1  # the changes since the board held, not the whole board
        assert "actions_since" in board_calls[0].query
        assert "Traceback" not in main.inner_text()
    finally:
        context.close()
