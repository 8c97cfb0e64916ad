"""The client against the Trello emulator's real HTTP server: equal boards, clean URLs, faults."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.helpers.emulator import Served
from trellolens.board import load_board
from trellolens.credentials import Secret
from trellolens.errors import InvalidKeyError, InvalidTokenError, NotFoundError, TrelloError
from trellolens.testing import RateLimits, TokenSpec, TrelloEmulator
from trellolens.trello import TrelloClient, WindowRegistry

FAULT_WALL_SECONDS = 30


def test_snapshot_equals_the_seeded_board_in_three_requests(served: Served) -> None:
    with served.client() as client:
        snapshot = client.board_snapshot(served.board.id)
    assert snapshot == served.board
    assert len(snapshot.actions) == 2600
    assert served.emulator.request_count == 3  # the board, then 2 pages of older actions


def test_a_real_export_round_trips_through_the_emulator(scrum_export: Path) -> None:
    seeded = load_board(scrum_export)
    emulator = TrelloEmulator(
        boards=[scrum_export], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)]
    )
    with (
        emulator.serve() as base_url,
        TrelloClient(
            Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=base_url, registry=WindowRegistry()
        ) as client,
    ):
        assert [b.id for b in client.boards()] == [seeded.id]
        snapshot = client.board_snapshot(seeded.id)
    assert snapshot.lists == seeded.lists
    assert snapshot.cards == seeded.cards
    assert snapshot.checklists == seeded.checklists
    assert {a.id for a in snapshot.actions} <= {a.id for a in seeded.actions}


def test_no_credential_in_any_url_but_the_token_endpoint(served: Served) -> None:
    with served.client() as client:
        client.boards()
        client.board_snapshot(served.board.id)
        client.token_info()
    seen = served.emulator.requests
    assert len(seen) == 5
    for request in seen:
        assert CANARY_KEY not in request.raw_target
        if request.path.startswith("/1/tokens/"):
            continue  # Trello's design: GET /1/tokens/{token}
        assert CANARY_TOKEN not in request.raw_target
        assert not request.credentials_in_url
    assert sum(CANARY_TOKEN in r.raw_target for r in seen) == 1


def test_refused_credentials_are_typed_errors(served: Served) -> None:
    with (
        TrelloClient(
            Secret("canary" + "ff" * 13),
            Secret(CANARY_TOKEN),
            base_url=served.base_url,
            registry=WindowRegistry(),
        ) as wrong_key,
        pytest.raises(InvalidKeyError),
    ):
        wrong_key.boards()
    served.emulator.revoke_token(CANARY_TOKEN)
    with served.client() as client, pytest.raises(InvalidTokenError) as caught:
        client.board_snapshot(served.board.id)
    assert CANARY_TOKEN not in str(caught.value)
    assert served.emulator.request_count == 2  # 4xx is never retried


def test_an_unknown_board_is_not_found(served: Served) -> None:
    with served.client() as client, pytest.raises(NotFoundError, match="check the id"):
        client.board_snapshot("5" * 24)


def test_revoking_the_token_makes_it_useless(served: Served) -> None:
    with served.client() as client:
        client.revoke_token()
        with pytest.raises(InvalidTokenError):
            client.boards()


Arm = Callable[[Any], object]
FAULTS: dict[str, Arm] = {
    "latency 300 ms": lambda f: f.latency(300),
    "429 storm, 4 requests": lambda f: f.rate_limit_storm(requests=4),
    "429 storm, 1.5 s, key": lambda f: f.rate_limit_storm(seconds=1.5, kind="key"),
    "2 server errors": lambda f: f.server_errors(2, status=503),
    "endless server errors": lambda f: f.server_errors(1000),
    "2 timeouts": lambda f: f.timeouts(2, seconds=2),
    "endless timeouts": lambda f: f.timeouts(1000, seconds=2),
    "2 dropped connections": lambda f: f.drop_connections(2),
    "endless dropped connections": lambda f: f.drop_connections(1000),
    "2 cut-off bodies": lambda f: f.truncate_bodies(2),
    "2 cut-off bodies, honest length": lambda f: f.truncate_bodies(2, honest_length=True),
    "endless cut-off bodies": lambda f: f.truncate_bodies(1000),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_every_fault_ends_in_the_board_or_one_typed_error(served: Served, fault: str) -> None:
    FAULTS[fault](served.emulator.faults)
    timeout = httpx.Timeout(connect=2.0, read=0.5, write=2.0, pool=2.0)
    started = time.monotonic()
    outcome: object
    try:
        with served.client(timeout=timeout, deadline=20) as client:
            outcome = client.board_snapshot(served.board.id)
    except TrelloError as exc:
        outcome = exc
    if isinstance(outcome, TrelloError):
        message = str(outcome)
        assert CANARY_TOKEN not in message
        assert CANARY_KEY not in message
        assert "endless" in fault, f"{fault}: gave up although the fault was passing: {message}"
    assert time.monotonic() - started < FAULT_WALL_SECONDS
    if "endless" not in fault:
        assert outcome == served.board


@pytest.mark.parametrize(
    "storm", [{"requests": 5}, {"seconds": 1.5}, {"seconds": 1.0, "kind": "key"}]
)
def test_a_429_storm_is_waited_out_without_a_429_after_it(
    served: Served, storm: dict[str, Any]
) -> None:
    served.emulator.faults.rate_limit_storm(**storm)
    with served.client() as client:
        assert client.board_snapshot(served.board.id) == served.board
    statuses = [r.status for r in served.emulator.requests]
    refused = statuses.count(429)
    assert refused >= 1
    if "requests" in storm:
        assert refused == storm["requests"]
    assert statuses == [429] * refused + [200] * 3


def test_the_client_keeps_within_the_limits_trello_announces() -> None:
    tight = RateLimits(token_max=4, key_max=6, interval_s=1.0)
    emulator = TrelloEmulator(
        boards=[], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)], rate_limits=tight
    )
    with emulator.serve() as base_url:
        shared = WindowRegistry()  # stands in for the process-wide one, kept out of other tests
        clients = [
            TrelloClient(
                Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=base_url, registry=shared
            )
            for _ in range(2)
        ]  # two sessions sharing the windows, like two visitors
        started = time.monotonic()
        for _ in range(6):
            for client in clients:
                client.boards()
        elapsed = time.monotonic() - started
    statuses = [r.status for r in emulator.requests]
    assert len(statuses) == 12
    assert 429 not in statuses
    assert elapsed >= 2.0  # 12 requests at 4 per second


def test_no_credential_in_any_log_line_over_real_http(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx logs URLs at INFO, httpcore its steps at DEBUG
    served.emulator.faults.server_errors(1)
    with served.client() as client:
        client.token_info()
        client.board_snapshot(served.board.id)
    served.emulator.revoke_token(CANARY_TOKEN)
    with served.client() as client, pytest.raises(InvalidTokenError):
        client.token_info()
    assert "/1/tokens/[REDACTED]" in caplog.text
    assert "retrying this token's details after HTTP 500" in caplog.text
    assert_no_canary(caplog.text)
