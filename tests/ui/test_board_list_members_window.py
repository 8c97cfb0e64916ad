"""The board picker while Trello's /1/members window is used up: it waits, says so, and recovers."""

from __future__ import annotations

from tests.helpers.apptest import page_text
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.ui.test_live_boards import BOARDS, app_on
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.ui.components.board_picker import SELECT_KEY


def emulator() -> TrelloEmulator:
    return TrelloEmulator(boards=BOARDS, key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])


def test_the_picker_waits_out_the_members_window_and_shows_the_boards() -> None:
    emu = emulator()
    # Another program with the same token used the window up: Trello says when it frees up.
    emu.faults.rate_limit_storm(requests=1, kind="member", retry_after=3)
    with emu.serve() as base_url:
        at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert not at.exception
    assert not at.error
    assert len(at.selectbox(key=SELECT_KEY).options) == 2
    waiting = [info.value for info in at.info if "/1/members" in str(info.value)]
    assert waiting == [
        "Trello allows 100 requests per 15 minutes to /1/members: waiting 3 s before asking for "
        "the list of your boards."
    ]
    boards = [r.status for r in emu.requests if r.path == "/1/members/me/boards"]
    assert boards == [429, 200]  # refused once, waited, then listed
    assert_no_canary(everything_rendered(at))


def test_when_the_wait_is_too_long_the_page_says_so_in_one_line() -> None:
    emu = emulator()
    emu.faults.rate_limit_storm(requests=1, kind="member", retry_after=7200)
    with emu.serve() as base_url:
        at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert not at.exception
    (error,) = at.error
    assert "100 requests per 15 minutes to /1/members" in error.value
    assert "try again" in error.value
    assert "Traceback" not in page_text(at)
    assert not at.selectbox
    assert_no_canary(everything_rendered(at))
