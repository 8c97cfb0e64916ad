"""What the client asks Trello for: one request per board, paged history, credentials in a header."""

from __future__ import annotations

import os
from datetime import timedelta

import httpx
import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.trello.mock_trello import (
    BASE_URL,
    PagedBoard,
    board_payload,
    make_client,
    parse_date,
    replies,
    trello_date,
)
from trellolens.credentials import Secret
from trellolens.errors import ConfigError, TrelloError
from trellolens.trello import DEFAULT_BASE_URL, RetryPolicy, TrelloClient, requester
from trellolens.trello import client as client_module


def test_credentials_go_in_the_authorization_header_only() -> None:
    handler, seen = replies(httpx.Response(200, json=[]))
    with make_client(handler) as client:
        client.boards()
    (request,) = seen
    assert request.headers["Authorization"] == (
        f'OAuth oauth_consumer_key="{CANARY_KEY}", oauth_token="{CANARY_TOKEN}"'
    )
    assert str(request.url).startswith(f"{BASE_URL}/members/me/boards?")
    assert CANARY_KEY not in str(request.url)
    assert CANARY_TOKEN not in str(request.url)


def test_boards_lists_open_boards_first_most_recent_first() -> None:
    boards = [
        {"id": "a", "name": "Old", "closed": False, "dateLastActivity": "2020-01-01T00:00:00Z"},
        {"id": "b", "name": "Archived", "closed": True, "dateLastActivity": "2024-01-01T00:00:00Z"},
        {"id": "c", "name": "New", "closed": False, "dateLastActivity": "2023-01-01T00:00:00Z"},
    ]
    handler, _ = replies(httpx.Response(200, json=boards))
    with make_client(handler) as client:
        assert [b.name for b in client.boards()] == ["New", "Old", "Archived"]


def test_a_board_with_under_1000_actions_is_one_request() -> None:
    board = PagedBoard(total=999)
    progress: list[int] = []
    with make_client(board) as client:
        snapshot = client.board_snapshot("b" * 24, progress=progress.append)
    (request,) = board.seen
    params = request.url.params
    for nested in ("lists", "cards", "checklists", "labels", "members"):
        assert params[nested] == "all"
    assert params["actions_limit"] == "1000"
    assert "updateCard" in params["actions"].split(",")
    assert snapshot.name == "Test board"
    assert len(snapshot.actions) == 999
    assert snapshot.checklists[0].items[0].complete
    assert progress == [999]


def test_history_is_paged_before_the_oldest_action_until_exhausted() -> None:
    board = PagedBoard(total=2500)
    progress: list[int] = []
    with make_client(board) as client:
        snapshot = client.board_snapshot("b" * 24, progress=progress.append)
    assert len(board.seen) == 3
    pages = [request.url.params for request in board.seen[1:]]
    # before= a date (the documented form), a millisecond after the oldest action so far: that
    # action comes again (and is merged), so actions sharing its millisecond are never skipped.
    assert [p["before"] for p in pages] == [
        trello_date(parse_date(board.actions[i]["date"]) + timedelta(milliseconds=1))
        for i in (999, 1998)
    ]
    assert {p["limit"] for p in pages} == {"1000"}
    assert [a.id for a in snapshot.actions] == [a["id"] for a in board.actions]
    assert progress == [1000, 1999, 2500]


def test_exactly_1000_actions_costs_one_empty_page() -> None:
    board = PagedBoard(total=1000)
    with make_client(board) as client:
        assert len(client.board_snapshot("b" * 24).actions) == 1000
    assert len(board.seen) == 2


def test_max_actions_caps_the_history() -> None:
    board = PagedBoard(total=5000)
    with make_client(board) as client:
        snapshot = client.board_snapshot("b" * 24, max_actions=1500)
    assert len(snapshot.actions) == 1500
    assert [r.url.params.get("limit") for r in board.seen[1:]] == ["501"]  # 500 + the boundary


def test_duplicate_actions_across_pages_are_merged() -> None:
    board = PagedBoard(total=1500)

    def overlapping(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/actions"):  # Trello repeats the boundary action
            board.seen.append(request)
            return httpx.Response(200, json=board.actions[999:])
        return board(request)

    with make_client(overlapping) as client:
        snapshot = client.board_snapshot("b" * 24)
    assert len(snapshot.actions) == len({a.id for a in snapshot.actions}) == 1500


def test_token_info_reads_scopes_and_expiry() -> None:
    token = {
        "id": "t1",
        "identifier": "trellolens",
        "idMember": "m1",
        "dateCreated": "2024-01-01T00:00:00.000Z",
        "dateExpires": None,
        "permissions": [{"idModel": "*", "modelType": "Board", "read": True, "write": False}],
    }
    handler, seen = replies(httpx.Response(200, json=token))
    with make_client(handler) as client:
        info = client.token_info()
    assert (info.identifier, info.member_id, info.expires, info.scopes) == (
        "trellolens",
        "m1",
        None,
        ("read",),
    )
    assert seen[0].url.path == f"/1/tokens/{CANARY_TOKEN}"  # Trello's design: the one exception


def test_revoke_token_deletes_it() -> None:
    handler, seen = replies(httpx.Response(200, json={"_value": None}))
    with make_client(handler) as client:
        client.revoke_token()
    assert seen[0].method == "DELETE"


@pytest.mark.parametrize("body", [b"", b"OK", b"\xff\xfe", b'{"_value": '])
def test_revoke_token_with_an_unreadable_2xx_body_succeeded(body: bytes) -> None:
    handler, seen = replies(httpx.Response(200, content=body))
    with make_client(handler) as client:
        client.revoke_token()  # the token is revoked: no "Trello is unavailable", no retry
    assert [request.method for request in seen] == ["DELETE"]


def test_base_url_comes_from_the_environment() -> None:
    os.environ["TRELLO_API_BASE_URL"] = "http://127.0.0.1:9/1/"
    client = TrelloClient(Secret(CANARY_KEY), Secret(CANARY_TOKEN))
    assert client.base_url == "http://127.0.0.1:9/1"
    del os.environ["TRELLO_API_BASE_URL"]
    assert TrelloClient(Secret(CANARY_KEY), Secret(CANARY_TOKEN)).base_url == DEFAULT_BASE_URL


@pytest.mark.parametrize(
    "url", ["http://proxy.example/1", "ftp://x/1", "https://user:pw@x.test/1", "https:///1"]
)
def test_credentials_never_go_over_plain_http_to_another_machine(url: str) -> None:
    with pytest.raises(ConfigError, match="TRELLO_API_BASE_URL must"):
        TrelloClient(Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=url)


def test_a_board_id_that_is_not_an_id_is_refused_before_any_request() -> None:
    handler, seen = replies(httpx.Response(200, json=board_payload([])))
    with make_client(handler) as client, pytest.raises(TrelloError, match="letters and digits"):
        client.board_snapshot("../members/me")
    assert not seen


def test_module_defaults_apply_to_clients_made_later(monkeypatch: pytest.MonkeyPatch) -> None:
    quick, short = RetryPolicy(attempts=2), httpx.Timeout(1.0)
    monkeypatch.setattr(requester, "DEFAULT_RETRY", quick)
    monkeypatch.setattr(client_module, "DEFAULT_TIMEOUT", short)
    made = TrelloClient(Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=BASE_URL)
    assert made._requester.policy is quick
    assert made._requester.timeout is short


# Trello's reference lists the values each ``fields`` parameter takes; ``id`` is never one of them
# (it always comes along).
DOCUMENTED_BOARD_FIELDS = {
    "closed", "dateLastActivity", "dateLastView", "desc", "descData", "idMemberCreator",
    "idOrganization", "invitations", "invited", "labelNames", "memberships", "name", "pinned",
    "powerUps", "prefs", "shortLink", "shortUrl", "starred", "subscribed", "url",
}  # fmt: skip
DOCUMENTED_ACTION_FIELDS = {"data", "date", "idMemberCreator", "type"}


def test_only_documented_field_names_are_asked_for() -> None:
    board = PagedBoard(total=1500)
    listing, seen = replies(httpx.Response(200, json=[]))
    with make_client(board) as client:
        client.board_snapshot("b" * 24)
    with make_client(listing) as client:
        client.boards()
    first, page = (request.url.params for request in board.seen)
    assert set(first["fields"].split(",")) <= DOCUMENTED_BOARD_FIELDS
    assert set(first["action_fields"].split(",")) <= DOCUMENTED_ACTION_FIELDS
    assert set(page["fields"].split(",")) <= DOCUMENTED_ACTION_FIELDS
    assert set(seen[0].url.params["fields"].split(",")) <= DOCUMENTED_BOARD_FIELDS
