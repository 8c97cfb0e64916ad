"""Live boards under AppTest: credentials in st.secrets, the app pointed at the Trello emulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import (
    APP_SCRIPT,
    OPEN_EXPORT_PAGE,
    OVERVIEW_PAGE,
    TIMEOUT_SECONDS,
    page_text,
    shown,
)
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.ui.components.board_picker import SELECT_KEY
from trellolens.ui.data.board_source import LIVE_KEY, LiveBoardRef

BOARDS = [
    generate_export(lists=5, cards=40, actions=1200, seed=21),
    generate_export(lists=4, cards=20, actions=150, seed=22),
]


def emulator() -> TrelloEmulator:
    for index, export in enumerate(BOARDS):
        export["name"] = f"Live board {index + 1}"
    return TrelloEmulator(boards=BOARDS, key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    """A fresh emulator per test: the app's caches are keyed by base URL and token fingerprint."""
    emu = emulator()
    with emu.serve() as base_url:
        yield emu, base_url


def app_on(base_url: str, **secrets: Any) -> AppTest:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    os.environ["TRELLO_API_BASE_URL"] = base_url
    os.environ["TRELLOLENS_ACCESS"] = "open"  # the gate itself: tests/ui/test_access_gate.py
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    for name, table in secrets.items():
        at.secrets[name] = table
    return at.switch_page(CONNECT_PAGE).run()


def test_the_picker_lists_the_boards_and_the_overview_shows_the_chosen_one(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert not at.exception
    assert "Trello accepts this token for **trellolens emulator**: read access" in page_text(at)
    assert "This token reads 2 open boards" in page_text(at)
    picker = at.sidebar.selectbox(key=SELECT_KEY)  # the picker is in the sidebar of every page
    assert sorted(picker.options) == ["Live board 1", "Live board 2"]
    assert not at.main.selectbox
    chosen = BOARDS[0]
    picker.select(chosen["id"]).run()
    assert not at.exception
    assert any("Live from Trello" in s.value for s in at.sidebar.success)
    at.switch_page(OVERVIEW_PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Live board 1"
    assert "Live from Trello · Live board 1" in page_text(at)
    board_requests = [r for r in emu.requests if r.path.startswith("/1/boards/")]
    assert len(board_requests) == 2  # the board with 1000 nested actions, then one page
    at.run()  # a rerun reads the cache, not Trello
    assert len([r for r in emu.requests if r.path.startswith("/1/boards/")]) == 2
    assert_no_canary(everything_rendered(at))


def test_connection_table_works_like_the_trello_table(served: tuple[TrelloEmulator, str]) -> None:
    _, base_url = served
    at = app_on(base_url, connections={"trello": {"api_key": CANARY_KEY, "token": CANARY_TOKEN}})
    assert not at.exception
    assert len(at.selectbox(key=SELECT_KEY).options) == 2


def test_a_revoked_token_explains_what_to_do_without_a_value(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    emu.revoke_token(CANARY_TOKEN)
    at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert not at.exception
    (error,) = at.error
    assert "Trello refused the token" in error.value
    assert "create a new token" in error.value
    assert any("trello.com/1/authorize" in info.value for info in at.info)
    assert not at.selectbox
    assert_no_canary(everything_rendered(at))


def test_a_token_revoked_after_picking_falls_back_to_the_demo_with_a_reason(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    at.selectbox(key=SELECT_KEY).select(BOARDS[1]["id"])
    emu.revoke_token(CANARY_TOKEN)
    at.run()
    assert not at.exception
    assert any("Demo board" in info.value for info in at.sidebar.info)
    assert "Live board 2 could not be loaded: Trello refused the token" in shown(page_text(at))
    assert_no_canary(everything_rendered(at))


def test_a_visitor_whose_token_trello_refuses_never_gets_the_cached_board() -> None:
    other_token = "ATTA" + "CANARY" * 10 + "TOK2"
    emu = emulator()
    emu.add_token(TokenSpec(other_token))
    with emu.serve() as base_url:
        first = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
        first.selectbox(key=SELECT_KEY).select(BOARDS[0]["id"]).run()
        assert first.title[0].value == "Connect Trello"
        assert any("Live from Trello" in s.value for s in first.sidebar.success)
        emu.revoke_token(other_token)
        loads = len(emu.requests)
        # A second visitor whose (revoked) token differs asks for the same board.
        second = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
        second.secrets["trello"] = {"api_key": CANARY_KEY, "token": other_token}
        second.session_state[LIVE_KEY] = LiveBoardRef(BOARDS[0]["id"], "Live board 1")
        second.switch_page(OVERVIEW_PAGE).run()
    assert not second.exception
    assert second.title[0].value != "Live board 1"  # not the first visitor's cached copy
    assert any("Demo board" in info.value for info in second.sidebar.info)
    asked = emu.requests[loads:]  # Trello was asked, with the second token, and said no
    assert {request.status for request in asked} == {401}
    # The board is held: the second token had to prove its access (its own small request).
    assert any(request.path.startswith(f"/1/boards/{BOARDS[0]['id']}") for request in asked)
    assert_no_canary(everything_rendered(second))


def test_a_board_that_fails_to_load_leaves_one_line_not_the_loading_box(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    at.selectbox(key=SELECT_KEY).select(BOARDS[1]["id"])
    emu.revoke_token(CANARY_TOKEN)
    at.run()
    assert not at.exception
    assert not [box for box in at.main.status if "Loading" in str(box.proto)]
    (line,) = [shown(box.value) for box in at.main.error]
    assert line == "Live board 2 could not be loaded: Trello refused the token (invalid)."
    assert_no_canary(everything_rendered(at))


def test_a_live_board_gets_no_back_to_the_demo_board_button_on_the_export_page(
    served: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = served
    at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    at.selectbox(key=SELECT_KEY).select(BOARDS[1]["id"]).run()
    at.switch_page(OPEN_EXPORT_PAGE).run()
    assert not at.exception
    assert "Live board 2" in page_text(at)  # the live board is still the one shown
    assert not [button for button in at.button if "demo board" in str(button.label)]
