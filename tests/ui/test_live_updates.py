"""Live updates: an open live page reruns by itself only when its board's shared version moved.

AppTest runs the fragment inline in each run (never by its timer), so these tests put a page
in the state a timer tick would meet: the version it shows, and Redis holding another one.
"""

from __future__ import annotations

import os

import redis
from streamlit.testing.v1 import AppTest

from trellolens.shared.board_cache import SharedBoardCache
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing.redis_server import RedisServer

BOARD_ID = "5f0c1a2b3d4e5f6a7b8c9d0e"
POLL_VARIABLE = "TRELLOLENS_LIVE_POLL_SECONDS"


def page() -> None:
    """A live page in miniature: it shows a version (the one a test pretends, else Redis's own,
    as a real board load would), then watches for a newer one, and counts its runs."""
    import streamlit as st

    from trellolens.ui.components.live_updates import live_updates
    from trellolens.ui.data.board_source import SHOWN_VERSION_KEY, ShownVersion
    from trellolens.ui.data.cache import shared_version

    board_id = "5f0c1a2b3d4e5f6a7b8c9d0e"  # BOARD_ID: AppTest runs this function's source alone
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    shown = st.session_state.pop("pretend_shown", None) or shared_version(board_id)
    if shown is not None and st.session_state.get("live", True):
        st.session_state[SHOWN_VERSION_KEY] = ShownVersion(board_id, shown)
    live_updates()
    st.text(f"runs {st.session_state['runs']}")


def bump(redis_url: str) -> int:
    """What the webhook receiver does when Trello says the board changed."""
    with redis.Redis.from_url(redis_url) as client:
        return SharedBoardCache(client, 600).bump(BOARD_ID)


def run_once(pretend_shown: str | None, live: bool = True) -> int:
    at = AppTest.from_function(page, default_timeout=30)
    if pretend_shown is not None:
        at.session_state["pretend_shown"] = pretend_shown
    at.session_state["live"] = live
    at.run()
    assert not at.exception
    runs: int = at.session_state["runs"]
    assert at.text[0].value == f"runs {runs}"
    return runs


def test_a_newer_version_reruns_the_app_once(redis_server: RedisServer) -> None:
    os.environ[REDIS_URL_VARIABLE] = redis_server.url
    assert bump(redis_server.url) == 1
    assert run_once(pretend_shown="0") == 2  # saw version 1, reran, showed it, and stopped
    assert run_once(pretend_shown="1") == 1  # the version shown: nothing to do
    assert run_once(pretend_shown=None) == 1


def test_no_rerun_without_a_live_board_redis_or_polling(redis_server: RedisServer) -> None:
    os.environ[REDIS_URL_VARIABLE] = redis_server.url
    bump(redis_server.url)
    assert run_once(pretend_shown="0", live=False) == 1  # an upload or the demo board
    os.environ[POLL_VARIABLE] = "0"
    assert run_once(pretend_shown="0") == 1  # polling turned off
    os.environ[POLL_VARIABLE] = "0.1"
    assert run_once(pretend_shown="0") == 1  # a bad setting: off (the Security page says why)
    del os.environ[POLL_VARIABLE]
    del os.environ[REDIS_URL_VARIABLE]
    assert run_once(pretend_shown="0") == 1  # no Redis, so no webhooks to hear


def test_redis_gone_is_not_a_change(redis_server: RedisServer) -> None:
    os.environ[REDIS_URL_VARIABLE] = redis_server.url
    bump(redis_server.url)
    redis_server.stop()
    try:
        assert run_once(pretend_shown="0") == 1  # no answer: keep the page, no rerun loop
    finally:
        redis_server.restart()
