"""A live board as a visitor sees it: the Trello emulator's real server, `trellolens run`, chromium.

Each test gets its own emulator and app server: the app caches the token check (60 s) and the
board list per process, so a revoked token must meet a server that has not checked it yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers.servers import app_folder, clean_env, serve_app
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

pytestmark = pytest.mark.e2e

CANARY_KEY = "canary" + "e2e0b0a4d" * 3 + "KEY"
CANARY_TOKEN = "ATTA" + "CANARY" * 10 + "E2ETOK"
BOARD = generate_board(lists=5, cards=40, actions=300, seed=3)
TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class LiveApp:
    url: str
    emulator: TrelloEmulator


@pytest.fixture
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The emulator serving one generated board, and an app whose secrets.toml points at it."""
    emulator = TrelloEmulator(boards=[BOARD], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    workdir = app_folder(tmp_path_factory, "live-app")
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n')
    with emulator.serve() as base_url:
        env = clean_env() | {"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": "streamlit"}
        with serve_app(workdir, env) as url:
            yield LiveApp(url, emulator)
    assert_no_canary_in((workdir / "server.log").read_text())


@pytest.fixture
def context(browser: Any, live_app: LiveApp) -> Iterator[Any]:
    """A browser context closed before the app server stops (open sessions slow its shutdown)."""
    opened = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield opened
    opened.close()


def open_connect(context: Any, live_app: LiveApp) -> Any:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_app.url}/connect")
    return page


def assert_no_canary_in(text: str) -> None:
    for secret in (CANARY_KEY, CANARY_TOKEN):
        assert secret not in text, "a secret value leaked"


def assert_no_canary(page: Any) -> None:
    assert_no_canary_in(page.locator("body").inner_text())
    assert_no_canary_in(page.content())


def test_the_only_live_board_opens_on_the_overview(context: Any, live_app: LiveApp) -> None:
    page = open_connect(context, live_app)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("This token reads 1 open board").wait_for()
    picker = page.get_by_role("combobox", name="Your boards (1)")  # in the sidebar
    picker.wait_for()
    assert picker.input_value() == BOARD.name
    page.get_by_role("link", name="Board overview").first.click()
    main.locator("h1").filter(has_text=BOARD.name).first.wait_for()
    for trello_list in BOARD.lists:
        main.get_by_text(trello_list.name, exact=True).first.wait_for()
    assert "Traceback" not in main.inner_text()
    assert_no_canary(page)

    requests = live_app.emulator.requests
    assert any(f"/boards/{BOARD.id}" in request.path for request in requests)
    for request in requests:
        assert "authorization" in request.headers, request.path
        if not request.path.startswith("/1/tokens/"):
            assert CANARY_KEY not in request.raw_target, request.path
            assert CANARY_TOKEN not in request.raw_target, request.path
            assert not request.credentials_in_url, request.path


def test_a_revoked_token_gets_one_line_and_no_traceback(context: Any, live_app: LiveApp) -> None:
    live_app.emulator.revoke_token(CANARY_TOKEN)
    page = open_connect(context, live_app)
    main = page.locator("[data-testid='stMain']")
    for attempt in range(2):
        if attempt:
            page.reload()  # a refusal is never cached: the reload asks Trello again
        alert = main.locator("[data-testid='stAlert']").filter(has_text="refused the token").first
        alert.wait_for()
        explanation = alert.inner_text().strip()
        assert "\n" not in explanation
        assert "revoked" in explanation
        assert page.get_by_role("combobox", name="Your boards").count() == 0  # no picker
        assert "Traceback" not in page.locator("body").inner_text()
        assert_no_canary(page)
