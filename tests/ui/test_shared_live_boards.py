"""Live boards with TRELLOLENS_REDIS_URL: a replica with empty memory takes the board from Redis,
and a bumped board version (a webhook) makes the next rerun load the board again."""

from __future__ import annotations

import os

import redis
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import OVERVIEW_PAGE
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.ui import test_live_boards
from tests.ui.test_live_boards import BOARDS, served  # noqa: F401 -- the fixture
from tests.ui.test_page_connect import everything_rendered
from trellolens.shared import health
from trellolens.shared.board_cache import SharedBoardCache
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing import TrelloEmulator
from trellolens.testing.redis_server import RedisServer
from trellolens.ui.components.board_picker import SELECT_KEY
from trellolens.ui.data.board_source import SHOWN_VERSION_KEY, ShownVersion

TRELLO = {"api_key": CANARY_KEY, "token": CANARY_TOKEN}


def app_on(base_url: str, redis_url: str) -> AppTest:
    """``test_live_boards.app_on`` (which clears every TRELLO* variable) with Redis configured."""
    at = test_live_boards.app_on(base_url, trello=TRELLO)
    os.environ[REDIS_URL_VARIABLE] = redis_url
    return at


def board_requests(emu: TrelloEmulator) -> int:
    return len([r for r in emu.requests if r.path.startswith("/1/boards/")])


def test_replicas_share_the_board_and_a_webhook_bump_refreshes_it(
    served: tuple[TrelloEmulator, str],  # noqa: F811
    redis_server: RedisServer,
) -> None:
    emu, base_url = served
    chosen = BOARDS[0]
    first = app_on(base_url, redis_server.url)
    first.selectbox(key=SELECT_KEY).select(chosen["id"]).run()
    first.switch_page(OVERVIEW_PAGE).run()
    assert not first.exception
    assert first.title[0].value == "Live board 1"
    assert board_requests(emu) == 2  # the board, then one page of older history

    st.cache_resource.clear()  # another replica: nothing in its process memory
    st.cache_data.clear()
    second = app_on(base_url, redis_server.url)
    second.selectbox(key=SELECT_KEY).select(chosen["id"]).run()
    second.switch_page(OVERVIEW_PAGE).run()
    assert not second.exception
    assert second.title[0].value == "Live board 1"
    assert board_requests(emu) == 2  # from Redis, not from Trello
    # The page remembers the version it shows, for its live-updates fragment to compare with:
    assert second.session_state[SHOWN_VERSION_KEY] == ShownVersion(chosen["id"], "0")

    with redis.Redis.from_url(redis_server.url) as client:
        SharedBoardCache(client, 600).bump(chosen["id"])  # what the webhook receiver does
        assert all(client.ttl(name) > 0 for name in client.keys("*"))
        assert not [name for name in client.keys("*") if CANARY_TOKEN.encode() in name]
    second.run()
    assert not second.exception
    # The rerun saw the new version and asked Trello only for the changes (one request):
    assert board_requests(emu) == 3
    assert "actions_since" in emu.requests[-1].query
    assert second.session_state[SHOWN_VERSION_KEY] == ShownVersion(chosen["id"], "1")
    assert_no_canary(everything_rendered(second))


def test_redis_killed_mid_session_keeps_the_board_and_recovers(
    served: tuple[TrelloEmulator, str],  # noqa: F811
    redis_server: RedisServer,
) -> None:
    emu, base_url = served
    chosen = BOARDS[1]
    at = app_on(base_url, redis_server.url)
    at.selectbox(key=SELECT_KEY).select(chosen["id"]).run()
    at.switch_page(OVERVIEW_PAGE).run()
    assert at.title[0].value == "Live board 2"
    loads = board_requests(emu)
    redis_server.stop()
    at.run()  # a rerun while Redis is down: the board from process memory, no error
    assert not at.exception
    assert at.title[0].value == "Live board 2"
    assert board_requests(emu) == loads
    redis_server.restart()
    health.HEALTH.reset()  # do not wait out the retry interval
    at.run()
    assert not at.exception
    assert at.title[0].value == "Live board 2"
    assert not health.HEALTH.down
