"""The dashboard honours what ``trellolens doctor`` checks: ``[trellolens] api_base_url`` and
``[trellolens] redis_url`` in the secrets, with no ``TRELLO_API_BASE_URL`` or
``TRELLOLENS_REDIS_URL`` in the environment (they used to be checked by the doctor and then
ignored by the app)."""

from __future__ import annotations

import os

import redis
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, OVERVIEW_PAGE, TIMEOUT_SECONDS, page_text
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.ui.test_live_boards import BOARDS, served  # noqa: F401 -- the fixture
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from trellolens.doctor.checks_settings import project_settings
from trellolens.doctor.checks_shared import redis_url_check
from trellolens.testing import TrelloEmulator
from trellolens.testing.redis_server import RedisServer
from trellolens.ui.components.board_picker import SELECT_KEY


def app_with_table(table: dict[str, str]) -> AppTest:
    """The app with no TRELLO*/TRELLOLENS_* setting in the environment but the sources and the
    open gate; ``table`` is ``[trellolens]`` of its secrets."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit"
    os.environ["TRELLOLENS_ACCESS"] = "open"
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.secrets["trello"] = {"api_key": CANARY_KEY, "token": CANARY_TOKEN}
    at.secrets["trellolens"] = table
    return at.switch_page(CONNECT_PAGE).run()


def board_keys(redis_url: str) -> list[bytes]:
    with redis.Redis.from_url(redis_url) as client:
        return list(client.keys("trellolens:board:*"))


def test_the_secrets_table_points_the_dashboard_at_the_emulator_and_the_redis(
    served: tuple[TrelloEmulator, str],  # noqa: F811
    redis_server: RedisServer,
) -> None:
    emu, base_url = served
    table = {"api_base_url": base_url, "redis_url": redis_server.url}
    assert redis_url_check(project_settings([{"trellolens": table}], {})) is not None  # checked
    assert board_keys(redis_server.url) == []
    at = app_with_table(table)
    assert not at.exception
    assert "This token reads 2 open boards" in page_text(at)
    at.selectbox(key=SELECT_KEY).select(BOARDS[0]["id"]).run()
    at.switch_page(OVERVIEW_PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Live board 1"  # from the emulator the table names
    assert [r for r in emu.requests if r.path.startswith("/1/boards/")]
    assert board_keys(redis_server.url)  # kept in the Redis the table names
    assert_no_canary(everything_rendered(at))


def test_a_bad_redis_url_in_the_table_is_one_line_naming_the_key(
    served: tuple[TrelloEmulator, str],  # noqa: F811
) -> None:
    _, base_url = served
    at = app_with_table({"api_base_url": base_url, "redis_url": "redis://db.example.com:6379/0"})
    assert not at.exception
    (shown,) = [e.value for e in at.error if "redis_url" in e.value]
    assert "redis_url in [trellolens] of secrets.toml names a Redis on db.example.com" in shown
    assert "without a password" in shown
    assert "TRELLOLENS_REDIS_URL" not in shown  # the environment does not set it
    assert "\n" not in shown
