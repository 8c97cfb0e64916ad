"""The board picker while Trello's /1/members window is used up: it waits, says so, and recovers."""

from __future__ import annotations

import httpx

from tests.credentials.conftest import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.ui.conftest import page_text
from tests.ui.test_live_boards import BOARDS, app_on
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import RateLimits, TokenSpec, TrelloEmulator
from trellolens.ui.components.board_picker import SELECT_KEY

# Trello's window is 100 requests per 900 s; a small one keeps the wait to seconds.
SMALL_MEMBERS_WINDOW = RateLimits(member_max=2, member_interval_s=3.0)


def use_up_the_members_window(base_url: str) -> None:
    """Another program with the same token spends the window."""
    auth = {
        "Authorization": f'OAuth oauth_consumer_key="{CANARY_KEY}", oauth_token="{CANARY_TOKEN}"'
    }
    with httpx.Client(base_url=base_url, headers=auth) as other:
        statuses = [other.get("/members/me").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_picker_waits_out_the_members_window_and_shows_the_boards() -> None:
    emulator = TrelloEmulator(
        boards=BOARDS,
        key=CANARY_KEY,
        tokens=[TokenSpec(CANARY_TOKEN)],
        rate_limits=SMALL_MEMBERS_WINDOW,
    )
    with emulator.serve() as base_url:
        use_up_the_members_window(base_url)
        at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert not at.exception
    assert not at.error
    assert len(at.selectbox(key=SELECT_KEY).options) == 2
    waiting = [info.value for info in at.info if "/1/members" in str(info.value)]
    assert waiting == [
        "Trello allows 2 requests per 3 s to /1/members: waiting 3 s before asking for the "
        "list of your boards."
    ]
    boards = [r.status for r in emulator.requests if r.path == "/1/members/me/boards"]
    assert boards == [429, 200]  # refused once, waited, then listed
    assert_no_canary(everything_rendered(at))


def test_when_the_wait_is_too_long_the_page_says_so_in_one_line() -> None:
    emulator = TrelloEmulator(
        boards=BOARDS,
        key=CANARY_KEY,
        tokens=[TokenSpec(CANARY_TOKEN)],
        rate_limits=RateLimits(member_max=2, member_interval_s=7200.0),
    )
    with emulator.serve() as base_url:
        use_up_the_members_window(base_url)
        at = app_on(base_url, trello={"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    assert not at.exception
    (error,) = at.error
    assert "to /1/members" in error.value
    assert "try again" in error.value
    assert "Traceback" not in page_text(at)
    assert not at.selectbox
