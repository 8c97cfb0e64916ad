"""Your own boards first, in chromium: the only board opens by itself, ``?board=`` links open a
board on any page and survive page switches and reloads, and a link that cannot be followed gets
one line and the demo board. The Trello emulator's real server, `trellolens run`, Playwright.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.e2e.test_live_boards_in_browser import (
    CANARY_KEY,
    CANARY_TOKEN,
    TIMEOUT_MS,
    assert_no_canary,
    assert_no_canary_in,
)
from tests.helpers.servers import app_folder, clean_env, serve_app
from trellolens.board import demo_board
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export

pytestmark = pytest.mark.e2e

DEMO_NAME = demo_board().name


def exports(count: int) -> list[dict[str, Any]]:
    boards = []
    for index in range(count):
        export = generate_export(lists=5, cards=25, actions=250, seed=70 + index)
        export["name"] = f"Team board {index + 1}"
        export["shortLink"] = f"E2eBrd0{index + 1}"
        export["url"] = f"https://trello.com/b/E2eBrd0{index + 1}/team-board-{index + 1}"
        boards.append(export)
    return boards


BOARDS = exports(3)


@dataclass(frozen=True)
class Served:
    url: str
    emulator: TrelloEmulator


@contextmanager
def served(
    tmp_path_factory: pytest.TempPathFactory, boards: list[dict[str, Any]], **env: str
) -> Iterator[Served]:
    """The emulator serving ``boards`` and an app whose secrets.toml points at it."""
    emulator = TrelloEmulator(boards=boards, key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    workdir = app_folder(tmp_path_factory, "board-links")
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\n')
    with emulator.serve() as base_url:
        server_env = clean_env() | {
            "TRELLO_API_BASE_URL": base_url,
            "TRELLOLENS_SOURCES": "streamlit",
            **env,
        }
        with serve_app(workdir, server_env) as url:
            yield Served(url, emulator)
    assert_no_canary_in((workdir / "server.log").read_text())


@pytest.fixture
def one_board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory, BOARDS[:1]) as app:
        yield app


@pytest.fixture
def three_boards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory, BOARDS) as app:
        yield app


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    opened = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield opened
    opened.close()


def visit(context: Any, url: str) -> Any:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    return page


def title(page: Any, text: str) -> None:
    page.locator("[data-testid='stMain'] h1").filter(has_text=text).first.wait_for()


def sidebar(page: Any) -> Any:
    return page.locator("[data-testid='stSidebar']")


def query(page: Any) -> dict[str, str]:
    return {name: values[-1] for name, values in parse_qs(urlsplit(page.url).query).items()}


def wait_for_query(page: Any, **expected: str) -> None:
    page.wait_for_function(
        "expected => Object.entries(expected).every("
        "([k, v]) => new URLSearchParams(location.search).get(k) === v)",
        arg=expected,
    )


def one_line_alert(page: Any, text: str) -> str:
    alert = sidebar(page).locator("[data-testid='stAlert']").filter(has_text=text).first
    alert.wait_for()
    line: str = alert.locator("[data-testid='stMarkdownContainer']").inner_text().strip()  # no icon
    assert "\n" not in line
    return line


def assert_demo_board_only(page: Any) -> None:
    sidebar(page).get_by_text(f"Demo board: {DEMO_NAME}").wait_for()
    body = page.locator("body").inner_text()
    assert "Traceback" not in body
    for export in BOARDS:  # never another board
        assert f"· {export['name']}" not in body
    assert_no_canary(page)


def test_a_token_with_one_board_opens_it_on_the_first_page(context: Any, one_board: Served) -> None:
    page = visit(context, one_board.url)
    board = BOARDS[0]
    title(page, board["name"])
    for trello_list in board["lists"]:
        page.locator("[data-testid='stMain']").get_by_text(
            trello_list["name"], exact=True
        ).first.wait_for()
    picker = sidebar(page).locator("[data-testid='stSelectbox']").filter(has_text="Your boards (1)")
    assert picker.locator("input").input_value() == board["name"]
    assert "set `TRELLO_API_KEY`" not in sidebar(page).inner_text()  # no demo notice
    wait_for_query(page, board=board["id"])
    assert_no_canary(page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [("flow", "Flow · "), ("cycle-time", "Cycle time · "), ("cards", "Cards of ")],
)
def test_a_board_link_opens_that_board_on_flow_cycle_time_and_cards(
    context: Any, three_boards: Served, path: str, heading: str
) -> None:
    board = BOARDS[1]
    page = visit(context, f"{three_boards.url}/{path}?board={board['id']}")
    title(page, heading + board["name"])
    picker = sidebar(page).get_by_role("combobox", name="Your boards (3)")
    assert picker.input_value() == board["name"]  # the picker shows it too
    wait_for_query(page, board=board["id"])
    loaded = {r.path for r in three_boards.emulator.requests if r.path.startswith("/1/boards/")}
    assert loaded == {f"/1/boards/{board['id']}"}  # that board, and no other


def test_a_board_address_pasted_into_the_picker_opens_that_board(
    context: Any, three_boards: Served
) -> None:
    page = visit(context, three_boards.url)
    title(page, "Boards")  # several boards and no default: the board chooser
    picker = sidebar(page).get_by_role("combobox", name="Your boards (3)")
    picker.wait_for()
    assert picker.input_value() == ""  # ... and the picker asks
    picker.fill("https://trello.com/b/E2eBrd03/team-board-3")
    picker.press("Enter")
    sidebar(page).get_by_text("Live from Trello").wait_for()
    page.get_by_role("link", name="Board overview").first.click()
    title(page, BOARDS[2]["name"])
    wait_for_query(page, board=BOARDS[2]["id"])
    assert_no_canary(page)


def test_the_address_keeps_board_workflow_and_as_of_across_pages_and_a_reload(
    context: Any, three_boards: Served
) -> None:
    board = BOARDS[2]
    names = [lst["name"] for lst in board["lists"]]
    workflow = json.dumps({"stages": names[1:], "start": names[3]}, separators=(",", ":"))
    newest = max(datetime.fromisoformat(a["date"]) for a in board["actions"])
    as_of = (newest - timedelta(days=20)).date().isoformat()
    link = {"board": board["id"], "workflow": workflow, "as_of": as_of}
    page = visit(context, f"{three_boards.url}/flow?{urlencode(link)}")
    title(page, f"Flow · {board['name']}")
    summary = f"work starts at {names[3]} · as of {as_of} 23:59 UTC"
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(summary).wait_for()

    page.get_by_role("link", name="Cards").first.click()  # a page switch clears the address
    title(page, f"Cards of {board['name']}")
    wait_for_query(page, **link)  # ... and the app writes the view back, editors or not
    page.get_by_role("link", name="Cycle time").first.click()
    title(page, f"Cycle time · {board['name']}")
    wait_for_query(page, **link)
    page.reload()
    title(page, f"Cycle time · {board['name']}")
    main.get_by_text(summary).wait_for()
    wait_for_query(page, **link)
    assert_no_canary(page)


def test_a_bad_board_id_gets_one_line_and_the_demo_board(context: Any, one_board: Served) -> None:
    page = visit(context, f"{one_board.url}/flow?board=not-a-board")
    line = one_line_alert(page, "not-a-board")
    assert "not a Trello board" in line
    title(page, f"Flow · {DEMO_NAME}")
    assert_demo_board_only(page)
    assert not [r for r in one_board.emulator.requests if r.path.startswith("/1/boards/")]


def test_a_board_the_token_cannot_read_gets_one_line_and_the_demo_board(
    context: Any, three_boards: Served
) -> None:
    refused = BOARDS[1]
    three_boards.emulator.faults.refuse_board(refused["id"])
    page = visit(context, f"{three_boards.url}/cards?board={refused['id']}")
    line = one_line_alert(page, "could not be loaded")
    assert f"{refused['name']} could not be loaded: the token may not read board" in line
    title(page, f"Cards of {DEMO_NAME}")
    assert_demo_board_only(page)
    wait_for_query(page, board="demo")


def test_a_remote_visitor_gets_one_line_and_the_demo_board(
    context: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    board = BOARDS[0]
    # Listening on every interface with no login: the access gate refuses live boards to all.
    with served(tmp_path_factory, BOARDS[:1], STREAMLIT_SERVER_ADDRESS="0.0.0.0") as app:  # noqa: S104
        page = visit(context, f"{app.url}/?board={board['id']}")
        line = one_line_alert(page, "is not shown")
        assert f"Board {board['id']} is not shown: Live Trello boards are off" in line
        title(page, DEMO_NAME)
        assert_demo_board_only(page)
        assert sidebar(page).get_by_text("Your boards").count() == 0
        assert not app.emulator.requests, "Trello was asked for something for a refused visitor"
        page.close()
