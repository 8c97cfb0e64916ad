"""Every way to a board goes through one ``BoardService``: with Redis configured, a board the
library (``TrelloConnection`` in another process) loaded is served to the dashboard without a
Trello request, and the reverse; the CLI, the library, the dashboard and the Boards page together
ask Trello for each board version once (requests counted at the emulator)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import streamlit as st
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, OVERVIEW_PAGE, PAGES, TIMEOUT_SECONDS
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from trellolens.cli.main import cli
from trellolens.service import DASHBOARD_MAX_ACTIONS
from trellolens.shared.board_cache import SharedBoardCache
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.testing.redis_server import RedisServer
from trellolens.ui.data.board_source import LIVE_KEY, LiveBoardRef

EXPORT = generate_export(lists=4, cards=25, actions=150, seed=41)
EXPORT["name"] = "One way in"
BOARD_ID = str(EXPORT["id"])
BOARDS_PAGE = str(PAGES / "boards.py")

LIBRARY = """
import sys
import streamlit as st
from trellolens import TrelloConnection

conn = st.connection("trello", type=TrelloConnection)
print(conn.board_snapshot(sys.argv[1], max_actions=int(sys.argv[2])).name)
"""


@pytest.fixture
def served(redis_server: RedisServer) -> Iterator[tuple[TrelloEmulator, str]]:
    """The emulator and the environment every way in reads (Redis included)."""
    emu = TrelloEmulator(boards=[EXPORT], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emu.serve() as base_url:
        for name in list(os.environ):  # tests/conftest.py restores them
            if name.startswith(("TRELLO", "AWS_")):
                del os.environ[name]
        os.environ.update(
            {
                "TRELLOLENS_SOURCES": "env",
                "TRELLO_API_BASE_URL": base_url,
                "TRELLO_API_KEY": CANARY_KEY,
                "TRELLO_TOKEN": CANARY_TOKEN,
                "TRELLOLENS_ACCESS": "open",
                REDIS_URL_VARIABLE: redis_server.url,
            }
        )
        st.cache_resource.clear()  # a fresh process's memory
        yield emu, base_url
        st.cache_resource.clear()


def board_loads(emu: TrelloEmulator) -> int:
    return len([r for r in emu.requests if r.path == f"/1/boards/{BOARD_ID}"])


def library_in_another_process(tmp_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", LIBRARY, BOARD_ID, str(DASHBOARD_MAX_ACTIONS)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=dict(os.environ),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert_no_canary(done.stdout + done.stderr)
    return done.stdout.strip().splitlines()[-1]


def dashboard_overview() -> AppTest:
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.session_state[LIVE_KEY] = LiveBoardRef(BOARD_ID, "One way in")
    at.switch_page(OVERVIEW_PAGE).run()
    assert not at.exception
    return at


def test_the_library_in_one_process_feeds_the_dashboard_in_another(
    served: tuple[TrelloEmulator, str], tmp_path: Path
) -> None:
    emu, _ = served
    assert library_in_another_process(tmp_path) == "One way in"
    assert board_loads(emu) == 1
    at = dashboard_overview()
    assert at.title[0].value == "One way in"
    assert board_loads(emu) == 1  # from Redis: Trello was not asked again


def test_the_dashboard_in_one_process_feeds_the_library_in_another(
    served: tuple[TrelloEmulator, str], tmp_path: Path
) -> None:
    emu, _ = served
    at = dashboard_overview()
    assert at.title[0].value == "One way in"
    assert board_loads(emu) == 1
    assert library_in_another_process(tmp_path) == "One way in"
    assert board_loads(emu) == 1


def every_way_in(tmp_path: Path) -> None:
    out = tmp_path / "board.json"
    fetched = CliRunner().invoke(
        cli, ["fetch", BOARD_ID, "--out", str(out), "--max-actions", str(DASHBOARD_MAX_ACTIONS)]
    )
    assert fetched.exit_code == 0, fetched.output
    metrics = CliRunner().invoke(cli, ["metrics", BOARD_ID])
    assert metrics.exit_code == 0, metrics.output
    assert library_in_another_process(tmp_path) == "One way in"
    assert dashboard_overview().title[0].value == "One way in"
    boards = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    boards.switch_page(BOARDS_PAGE).run()
    assert not boards.exception
    assert "1 open boards" in " ".join(caption.value for caption in boards.caption)


def test_every_way_in_asks_trello_once_per_board_version(
    served: tuple[TrelloEmulator, str], redis_server: RedisServer, tmp_path: Path
) -> None:
    emu, _ = served
    every_way_in(tmp_path)
    assert board_loads(emu) == 1
    with redis.Redis.from_url(redis_server.url) as raw:
        cache = SharedBoardCache(raw, 600)
        cache.bump(BOARD_ID)  # a webhook: version 1
    st.cache_resource.clear()  # every process starts cold for the new version
    every_way_in(tmp_path)
    assert board_loads(emu) == 2
