"""OAuth 2.0 canaries: the access tokens, refresh tokens and codes the emulator issued, and the
client secret, reach no URL, log record, page, error, CSV download, CLI output or Redis value,
on the happy path and after the sign-in ends (the ``ps`` output of real processes: the soak,
tests/e2e/test_oauth2_soak.py, and tests/trello/test_oauth2_single_flight.py)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.canary.harness import Canaries, Evidence, secrets_files
from tests.canary.test_app import board_id, run_app, visible
from tests.canary.test_cli import invoke
from tests.helpers.apptest import CARDS_PAGE
from tests.helpers.canaries import write_secrets
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET, token_for
from tests.ui.test_page_connect import CONNECT_PAGE
from tests.ui.test_page_security import SECURITY_PAGE
from trellolens.connection import TrelloConnection
from trellolens.testing import TrelloEmulator
from trellolens.testing.redis_server import RedisServer
from trellolens.trello.oauth2_managers import forget_managers
from trellolens.ui.views.tables import CARD_COLUMNS

pytestmark = pytest.mark.aws
SIGN_IN_AGAIN = "sign in again: `trellolens login`"


@pytest.fixture
def grant(canaries: Canaries, evidence: Evidence, tmp_path: Path) -> Iterator[Any]:
    """The canary emulator with an OAuth 2.0 client; a grant in ``tmp_path/secrets.toml``."""
    emulator = canaries.emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    evidence.issued.append(lambda: [*emulator.oauth2.secrets(), CLIENT_SECRET])
    with emulator.serve() as base_url:
        auth_base = emulator.oauth2.base_url(base_url)
        os.environ.update({"TRELLO_API_BASE_URL": base_url, "TRELLO_AUTH_BASE_URL": auth_base})
        logging.disable(logging.CRITICAL)  # the test's own sign-in (its code in a redirect's
        try:  # headers, which httpcore logs) is not the app's: the app's part starts below
            refresh = token_for(auth_base)["refresh_token"]
        finally:
            logging.disable(logging.NOTSET)
        path = write_secrets(
            tmp_path / "secrets.toml",
            f'[trello]\nclient_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
            f'refresh_token = "{refresh}"\n',
        )
        forget_managers()
        yield emulator, base_url, path
        forget_managers()
        add_urls(evidence, emulator)


def add_urls(evidence: Evidence, emulator: TrelloEmulator) -> None:
    """No OAuth 2.0 value in any URL sent (a legacy token names itself in ``/1/tokens/{token}``,
    as Trello's API is made: that path is masked in logs, tests/credentials)."""
    values = [*emulator.oauth2.secrets(), CLIENT_SECRET]
    for request in emulator.requests:
        assert not [value for value in values if value in request.raw_target], request.path


def test_the_app_on_oauth2_and_after_the_sign_in_ends(
    evidence: Evidence, grant: Any, downloads: list[bytes]
) -> None:
    emulator, base_url, path = grant
    at = run_app(evidence, CONNECT_PAGE, base_url, path)
    assert "Trello accepts this OAuth 2.0 sign-in" in visible(at)
    at = run_app(evidence, CARDS_PAGE, base_url, path, live_board=board_id(emulator))
    assert at.title[0].value == "Cards of Canary board"
    assert any(data.startswith(",".join(CARD_COLUMNS).encode()) for data in downloads)
    for data in downloads:
        evidence.add("CSV download", data.decode("utf-8", "replace"))
    emulator.oauth2.revoke_all()
    at = run_app(evidence, SECURITY_PAGE, base_url, path)
    assert SIGN_IN_AGAIN in visible(at).replace("\\", "")
    add_urls(evidence, emulator)
    evidence.verify()


def test_the_cli_on_oauth2_and_after_the_sign_in_ends(
    evidence: Evidence, grant: Any, tmp_path: Path
) -> None:
    emulator, _, path = grant
    board = board_id(emulator)
    assert invoke(evidence, path, "credentials").exit_code == 0
    assert invoke(evidence, path, "fetch", board, "--out", str(tmp_path / "b.json")).exit_code == 0
    evidence.add("the saved board", (tmp_path / "b.json").read_text())
    assert invoke(evidence, path, "metrics", board, "--json").exit_code == 0
    assert invoke(evidence, path, "doctor", "--project-dir", str(tmp_path)).exit_code in (0, 1)
    emulator.oauth2.revoke_all()
    forget_managers()  # a new process
    ended = invoke(evidence, path, "fetch", "--list")
    assert ended.exit_code == 2
    assert SIGN_IN_AGAIN in ended.stderr
    add_urls(evidence, emulator)
    evidence.verify()


def test_shared_boards_in_redis_hold_no_oauth2_value(
    evidence: Evidence, grant: Any, redis_server: RedisServer
) -> None:
    emulator, _, path = grant
    os.environ["TRELLOLENS_REDIS_URL"] = redis_server.url
    with secrets_files([path]):
        conn = TrelloConnection("trello")
        assert conn.board_snapshot(board_id(emulator)).name == "Canary board"
    client = redis.Redis.from_url(redis_server.url)
    keys = list(client.scan_iter())
    assert keys  # the board is shared, and the refresh lock was taken there
    for key in keys:
        kind = client.type(key)
        value = (
            client.get(key)
            if kind == b"string"
            else client.hgetall(key)
            if kind == b"hash"
            else b""
        )
        evidence.add("a Redis key and value", repr((key, value)))
    evidence.verify()
