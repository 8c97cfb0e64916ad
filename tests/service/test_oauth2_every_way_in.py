"""OAuth 2.0 credentials take the one way to a board as a legacy key + token does: the library's
``TrelloConnection``, the CLI and the dashboard read boards with ``Authorization: Bearer`` only,
refresh before expiry and once on a 401, and keep their caches across refreshes (keyed by the
grant, not by the short-lived access token). Against the emulator over real HTTP."""

from __future__ import annotations

import json
import time

from click.testing import CliRunner

from tests.helpers.canaries import assert_no_canary
from tests.service.oauth2_app import OAuth2Project, oauth2_project, oauth2_served, replay
from trellolens.cli.main import cli
from trellolens.connection import TrelloConnection
from trellolens.trello.oauth2 import BearerAuth
from trellolens.trello.oauth2_managers import forget_managers

__all__ = ["oauth2_project", "oauth2_served"]


def board_requests(project: OAuth2Project) -> int:
    return sum(1 for r in project.emulator.requests if r.path.startswith("/1/boards/"))


def test_trello_connection_reads_boards_with_a_bearer_header_only(
    oauth2_project: OAuth2Project,
) -> None:
    first = oauth2_project.write_grant()
    conn = TrelloConnection("trello")
    board_id = oauth2_project.emulator.board_ids[0]
    assert [board.id for board in conn.boards()] == [board_id]
    assert conn.board_snapshot(board_id).id == board_id
    assert conn.client.scheme == "oauth2"
    oauth2_project.bearer_only()
    assert oauth2_project.stored_refresh_token() != first  # rotated, and saved where it was
    assert "refresh_token in [connections.trello]" not in repr(conn.provenance())
    assert_no_canary(repr(conn) + repr(conn.client) + repr(conn.provenance()))


def test_a_refresh_before_expiry_keeps_the_client_and_the_caches(
    oauth2_project: OAuth2Project,
) -> None:
    oauth2_project.emulator.oauth2.access_token_ttl = 2
    oauth2_project.write_grant()
    conn = TrelloConnection("trello")
    board_id = oauth2_project.emulator.board_ids[0]
    conn.boards()
    conn.board_snapshot(board_id)
    client, fingerprint, loads = conn.client, conn.token_fingerprint, board_requests(oauth2_project)
    manager = client._bearer.manager if isinstance(client._bearer, BearerAuth) else None
    assert manager is not None
    before = manager.refreshes
    time.sleep(1.7)  # within the last quarter of a 2-second access token: refresh first
    assert conn.board_snapshot(board_id).id == board_id
    assert conn.client.token_info().oauth2  # a call to Trello: the token is refreshed first
    assert manager.refreshes > before
    assert conn.client is client  # a rotated refresh token does not make a new client
    assert conn.token_fingerprint == fingerprint
    assert board_requests(oauth2_project) == loads  # the board came from the cache
    assert oauth2_project.emulator.oauth2.reuse_detections == 0
    oauth2_project.bearer_only()


def test_a_401_refreshes_once_and_the_request_goes_through(oauth2_project: OAuth2Project) -> None:
    oauth2_project.write_grant()
    conn = TrelloConnection("trello")
    conn.client.token_info()
    oauth2 = oauth2_project.emulator.oauth2
    with oauth2.lock:  # Trello forgets the access token early (a restart of its side, say)
        for grant in oauth2.access.values():
            grant.expires = 0
    refreshes = oauth2.refreshes
    assert conn.client.boards()
    assert oauth2.refreshes == refreshes + 1
    statuses = [r.status for r in oauth2_project.emulator.requests if r.path.startswith("/1/")][-2:]
    assert statuses == [401, 200]
    oauth2_project.bearer_only()


def test_the_cli_fetches_lists_and_measures_a_live_board(oauth2_project: OAuth2Project) -> None:
    oauth2_project.write_grant()
    board_id = oauth2_project.emulator.board_ids[0]
    runner = CliRunner()
    listed = runner.invoke(cli, ["fetch", "--list"])
    assert listed.exit_code == 0, listed.output
    assert board_id in listed.output
    fetched = runner.invoke(cli, ["fetch", board_id, "--out", "board.json"])
    assert fetched.exit_code == 0, fetched.output
    assert json.loads((oauth2_project.folder / "board.json").read_text())["id"] == board_id
    measured = runner.invoke(cli, ["metrics", board_id, "--json"])
    assert measured.exit_code == 0, measured.output
    summary = runner.invoke(cli, ["board", "summary", board_id])
    assert summary.exit_code == 0, summary.output
    oauth2_project.bearer_only()
    for text in (listed.output, fetched.output, measured.output, summary.output):
        assert not [value for value in oauth2_project.values() if value in text]


def test_the_cli_says_sign_in_again_in_one_line(oauth2_project: OAuth2Project) -> None:
    first = oauth2_project.write_grant()
    runner = CliRunner()
    assert runner.invoke(cli, ["fetch", "--list"]).exit_code == 0  # spends the first token
    replay(oauth2_project, first)  # a stolen copy of it comes back: the chain is revoked
    forget_managers()  # a new process
    result = runner.invoke(cli, ["fetch", "--list"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("trellolens: error: Trello revoked this OAuth 2.0 sign-in")
    assert line.endswith("sign in again: `trellolens login`")
    assert not [value for value in oauth2_project.values() if value in result.output]
