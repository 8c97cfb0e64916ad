"""Land on your boards, in chromium: an app with two live boards (the emulator's real server) opens
on the board chooser; "Set as default" writes the app's own secrets.toml, and the next visitor
lands on that board."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_screenshots import destination, grow_to_content, settle, small_png
from tests.helpers.servers import app_folder, clean_env, serve_app
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export

pytestmark = pytest.mark.e2e

CANARY_KEY = "canary" + "c4005e42" * 3 + "KEY"
CANARY_TOKEN = "ATTA" + "CANARY" * 10 + "CHOOSE"
BOARDS = [
    generate_export(lists=5, cards=30, actions=200, seed=41),
    generate_export(lists=4, cards=25, actions=150, seed=42),
]
BOARDS[0]["name"], BOARDS[1]["name"] = "Product roadmap", "Support queue"
SUPPORT_ID = BOARDS[1]["id"]
SECRETS = f"""\
# trellolens secrets: never commit this file
[trello]
api_key = "{CANARY_KEY}"
token = "{CANARY_TOKEN}"  # read-only, 30 days
"""
TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class LiveApp:
    url: str
    secrets: Path


@pytest.fixture
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    emulator = TrelloEmulator(boards=BOARDS, key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    workdir = app_folder(tmp_path_factory, "chooser-app")
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(SECRETS)
    with emulator.serve() as base_url:
        env = clean_env() | {"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": "streamlit"}
        env["HOME"] = str(workdir)  # no secrets file of the developer's in ~/.streamlit
        with serve_app(workdir, env) as url:
            yield LiveApp(url, secrets)
    log = (workdir / "server.log").read_text()
    assert CANARY_TOKEN not in log
    assert CANARY_KEY not in log


def open_page(browser: Any, url: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    return context, page


def test_the_app_opens_on_the_board_chooser_and_sets_the_default(
    browser: Any, live_app: LiveApp, tmp_path: Path
) -> None:
    context, page = open_page(browser, live_app.url)
    try:
        main = page.locator("[data-testid='stMain']")
        main.locator("h1").filter(has_text="Boards").wait_for()
        main.get_by_text("Pick a board to open").wait_for()
        main.locator("[data-testid='stDataFrame']").wait_for()
        assert page.url.startswith(f"{live_app.url}/boards")
        settle(page)
        grow_to_content(page)
        shot = tmp_path / "board-chooser.png"
        page.screenshot(path=str(shot), full_page=True)
        row = main.locator("[data-testid='stHorizontalBlock']").filter(has_text="Support queue")
        row.get_by_role("button", name="Set as default").click()
        main.get_by_text("Support queue is the default board now").wait_for()
        body = page.locator("body").inner_text()
        assert CANARY_TOKEN not in body
        assert CANARY_KEY not in body
    finally:
        context.close()
    text = live_app.secrets.read_text()
    assert f'[trellolens]\ndefault_board = "{SUPPORT_ID}"' in text
    assert "# trellolens secrets: never commit this file" in text
    assert "# read-only, 30 days" in text
    assert stat.S_IMODE(live_app.secrets.stat().st_mode) == 0o600
    folder = destination()
    if folder is not None:
        small_png(shot, folder / "board-chooser.png")

    # The next visitor lands on the default board itself (st.secrets read the file again).
    context, page = open_page(browser, live_app.url)
    try:
        main = page.locator("[data-testid='stMain']")
        main.locator("h1").filter(has_text="Support queue").first.wait_for()
        page.wait_for_url(f"**board={SUPPORT_ID}**")  # written at the end of the run
    finally:
        context.close()
