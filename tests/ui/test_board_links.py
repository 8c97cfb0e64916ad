"""The board picker on every page, the default board and ``?board=`` links, under AppTest with
the Trello emulator's real server."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element
from streamlit.testing.v1.util import patch_config_options

from tests.helpers.apptest import (
    APP_SCRIPT,
    CARDS_PAGE,
    OVERVIEW_PAGE,
    PAGES,
    TIMEOUT_SECONDS,
    shown,
)
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.ui.components.board_banner import CONNECT_NOTICE
from trellolens.ui.components.board_picker import SELECT_KEY
from trellolens.ui.data.board_source import LAST_OPENED_KEY, LiveBoardRef

FLOW_PAGE = str(PAGES / "flow.py")
CYCLE_TIME_PAGE = str(PAGES / "cycle_time.py")
TRELLO = {"api_key": CANARY_KEY, "token": CANARY_TOKEN}


def exports(count: int) -> list[dict[str, Any]]:
    boards = []
    for index in range(count):
        export = generate_export(lists=5, cards=25, actions=250, seed=40 + index)
        export["name"] = f"Team board {index + 1}"
        export["shortLink"] = f"TeamBd0{index + 1}"
        export["url"] = f"https://trello.com/b/TeamBd0{index + 1}/team-board-{index + 1}"
        boards.append(export)
    return boards


THREE = exports(3)


@pytest.fixture
def three() -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = TrelloEmulator(boards=THREE, key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emulator.serve() as base_url:
        yield emulator, base_url


@pytest.fixture
def one() -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = TrelloEmulator(boards=THREE[:1], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emulator.serve() as base_url:
        yield emulator, base_url


def visit(
    base_url: str,
    page: str = OVERVIEW_PAGE,
    query: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    access: str | None = "open",
    **secrets: Any,
) -> AppTest:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    os.environ["TRELLO_API_BASE_URL"] = base_url
    if access:
        os.environ["TRELLOLENS_ACCESS"] = access
    os.environ.update(env or {})
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.secrets["trello"] = secrets.pop("trello", TRELLO)
    for name, table in secrets.items():
        at.secrets[name] = table
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.switch_page(page).run()
    assert not at.exception
    return at


def sidebar_text(at: AppTest) -> str:
    """What a visitor reads in the sidebar's boxes and captions."""
    parts = [
        str(e.value)
        for kind in ("info", "success", "error", "warning", "caption")
        for e in at.sidebar.get(kind)
        if isinstance(e, Element)
    ]
    return shown("\n".join(parts))


def param(at: AppTest, name: str) -> str:
    """A query parameter's value (AppTest gives a string, or a list of them)."""
    value = at.query_params[name]
    return value if isinstance(value, str) else value[-1]


def board_requests(emulator: TrelloEmulator) -> list[str]:
    return [r.path for r in emulator.requests if r.path.startswith("/1/boards/")]


def test_a_token_with_one_board_opens_it_on_the_first_page(
    one: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = one
    at = visit(base_url)
    assert at.title[0].value == "Team board 1"
    assert "Live from Trello" in sidebar_text(at)
    assert CONNECT_NOTICE not in sidebar_text(at)
    picker = at.selectbox(key=SELECT_KEY)
    assert picker.label == "Your boards (1)"
    assert picker.value == THREE[0]["id"]
    assert param(at, "board") == THREE[0]["id"]
    assert_no_canary(everything_rendered(at))


def test_with_several_boards_the_picker_asks_and_every_page_follows_it(
    three: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = three
    at = visit(base_url)
    assert at.title[0].value == "Boards"  # several boards, none chosen: the board chooser
    at.switch_page(OVERVIEW_PAGE).run()  # the home page is free after
    assert "Demo board" in sidebar_text(at)
    assert CONNECT_NOTICE not in sidebar_text(at)  # credentials are configured
    picker = at.selectbox(key=SELECT_KEY)
    assert picker.value is None
    assert sorted(picker.options) == ["Team board 1", "Team board 2", "Team board 3"]
    picker.select(THREE[1]["id"]).run()
    assert at.title[0].value == "Team board 2"
    for page in (FLOW_PAGE, CARDS_PAGE, str(PAGES / "connect.py")):
        at.switch_page(page).run()
        assert not at.exception
        assert at.selectbox(key=SELECT_KEY).value == THREE[1]["id"]
        assert "Live from Trello" in sidebar_text(at)
    assert param(at, "board") == THREE[1]["id"]


@pytest.mark.parametrize(
    ("secrets", "env"),
    [
        ({"trellolens": {"default_board": "https://trello.com/b/TeamBd03/team-board-3"}}, {}),
        ({}, {"TRELLOLENS_DEFAULT_BOARD": THREE[2]["id"]}),
    ],
)
def test_the_owners_default_board_opens(
    three: tuple[TrelloEmulator, str], secrets: dict[str, Any], env: dict[str, str]
) -> None:
    _, base_url = three
    at = visit(base_url, env=env, **secrets)
    assert at.title[0].value == "Team board 3"


def test_the_board_last_opened_this_session_wins_over_the_default(
    three: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = three
    at = visit(base_url, env={"TRELLOLENS_DEFAULT_BOARD": THREE[2]["id"]})
    at.selectbox(key=SELECT_KEY).select(THREE[0]["id"]).run()
    assert at.session_state[LAST_OPENED_KEY] == LiveBoardRef(THREE[0]["id"], "Team board 1")
    fresh = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    fresh.secrets["trello"] = TRELLO
    fresh.session_state[LAST_OPENED_KEY] = LiveBoardRef(THREE[0]["id"], "Team board 1")
    fresh.switch_page(OVERVIEW_PAGE).run()
    assert fresh.title[0].value == "Team board 1"


def test_a_default_board_the_token_does_not_list_leaves_the_choice_to_the_picker(
    three: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = three
    at = visit(base_url, env={"TRELLOLENS_DEFAULT_BOARD": "ffffffffffffffffffffffff"})
    assert "Demo board" in sidebar_text(at)
    assert "The default board ffffffffffffffffffffffff is not among this token's boards" in (
        sidebar_text(at)
    )
    assert at.title[0].value == "Boards"  # the choice is the visitor's, on the board chooser
    assert not [r for r in emulator.requests if "ffffffffffffffffffffffff" in r.path]


def test_a_default_board_setting_that_is_not_a_board_is_one_caption(
    three: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = three
    at = visit(base_url, trellolens={"default_board": "https://example.com/b/AbCd1234"})
    assert "The default board (default_board) is not a Trello board address" in sidebar_text(at)
    assert "Demo board" in sidebar_text(at)
    assert at.title[0].value == "Boards"
    assert not [r for r in emulator.requests if "AbCd1234" in r.path]


@pytest.mark.parametrize("page", [FLOW_PAGE, CYCLE_TIME_PAGE, CARDS_PAGE])
@pytest.mark.parametrize("how", ["id", "short link", "address"])
def test_a_board_link_opens_that_board_on_any_page(
    three: tuple[TrelloEmulator, str], page: str, how: str
) -> None:
    _, base_url = three
    link = {
        "id": THREE[1]["id"],
        "short link": "TeamBd02",
        "address": "https://trello.com/b/TeamBd02/team-board-2",
    }[how]
    at = visit(base_url, page, query={"board": link})
    assert "Team board 2" in at.title[0].value
    assert param(at, "board") == THREE[1]["id"]  # the link now names the board by id


def test_the_link_carries_board_workflow_and_as_of_and_a_reload_keeps_them(
    three: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = three
    at = visit(base_url, FLOW_PAGE, query={"board": THREE[0]["id"]})
    lists = [lst["name"] for lst in THREE[0]["lists"] if not lst.get("closed")]
    workflow = json.dumps({"stages": lists[1:], "start": lists[2]}, separators=(",", ":"))
    at.query_params["workflow"] = workflow
    at.run()
    at.date_input[0].set_value(date(2025, 1, 31)).run()
    assert not at.exception
    link = {name: param(at, name) for name in ("board", "workflow", "as_of")}
    assert link == {"board": THREE[0]["id"], "workflow": workflow, "as_of": "2025-01-31"}
    summary = next(c.value for c in at.caption if str(c.value).startswith("Workflow:"))
    at.switch_page(CARDS_PAGE).run()  # no workflow editor or as-of date on this page
    assert {name: param(at, name) for name in link} == link
    at.switch_page(FLOW_PAGE).run()

    reloaded = visit(base_url, FLOW_PAGE, query=link)  # a new session from the copied address
    assert reloaded.title[0].value == at.title[0].value
    assert next(c.value for c in reloaded.caption if str(c.value).startswith("Workflow:")) == (
        summary
    )
    assert {name: param(reloaded, name) for name in link} == link


def one_line_error(at: AppTest) -> str:
    (error,) = at.sidebar.error
    assert "\n" not in error.value
    return shown(str(error.value))


def test_a_bad_board_link_is_one_line_and_the_demo_board(
    one: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = one
    at = visit(base_url, FLOW_PAGE, query={"board": "../members/me", "as_of": "2020-01-01"})
    line = one_line_error(at)
    assert "Board link '../members/me'" in line
    assert "not a Trello board" in line
    assert "Demo board" in sidebar_text(at)
    assert "Team board 1" not in at.title[0].value  # never another board, not even the only one
    assert not board_requests(emulator)  # refused before any request
    assert param(at, "board") == "demo"


@pytest.mark.parametrize("why", ["refused", "unknown", "another member's"])
def test_a_board_the_token_cannot_read_is_one_line_and_the_demo_board(
    three: tuple[TrelloEmulator, str], why: str
) -> None:
    emulator, base_url = three
    board_id, name = THREE[1]["id"], "Team board 2"  # listed: named by its name
    if why == "refused":
        emulator.faults.refuse_board(board_id)
    elif why == "unknown":
        board_id = "ffffffffffffffffffffffff"
        name = f"Board {board_id}"
    else:
        other = generate_export(lists=3, cards=5, actions=20, seed=99)
        board_id = emulator.add_board_of(other, "5f0000000000000000000001")
        name = f"Board {board_id}"
    at = visit(base_url, CARDS_PAGE, query={"board": board_id})
    line = one_line_error(at)
    assert f"{name} could not be loaded" in line
    assert board_id in line
    assert "Demo board" in sidebar_text(at)
    assert "Team board" not in at.title[0].value
    assert "Traceback" not in everything_rendered(at)
    assert_no_canary(everything_rendered(at))


def test_a_visitor_the_gate_refuses_gets_one_line_and_the_demo_board(
    one: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = one
    with patch_config_options({"server.address": ""}):  # every interface, no login: refused
        at = visit(base_url, query={"board": THREE[0]["id"]}, access=None)
    line = one_line_error(at)
    assert f"Board {THREE[0]['id']} is not shown: Live Trello boards are off" in line
    assert "Demo board" in sidebar_text(at)
    assert not emulator.requests  # not even the board list
    assert all(box.key != SELECT_KEY for box in at.selectbox)


def test_configured_but_broken_credentials_get_one_line_and_a_link_to_connect(
    one: tuple[TrelloEmulator, str],
) -> None:
    emulator, base_url = one
    emulator.revoke_token(CANARY_TOKEN)
    at = visit(base_url)
    (warning,) = at.sidebar.warning
    line = shown(warning.value)
    assert line == "Trello credentials do not work: Trello refused the token (invalid)."
    assert not any(mark in line for mark in ("`", "\\", "docs/", "\n"))
    assert CONNECT_NOTICE not in sidebar_text(at)
    links = at.sidebar.get("page_link")
    assert any("Connect Trello" in str(link.proto) for link in links)
    assert_no_canary(everything_rendered(at))


def test_no_credentials_keep_the_demo_notice_and_the_link_says_demo(app: AppTest) -> None:
    assert CONNECT_NOTICE in "\n".join(str(i.value) for i in app.sidebar.info)
    assert param(app, "board") == "demo"
