"""The client against Trello's real-world limits: size and database refusals, the members window.

The emulator and the client share one fake clock: rate-limit waits move it instead of sleeping,
so a 15-minute window or a 20,000-card board takes seconds of wall time.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.trello.mock_trello import make_client
from trellolens.board import Board, board_to_export, parse_board
from trellolens.credentials import Secret
from trellolens.errors import BoardFormatError, RateLimitedError
from trellolens.testing import (
    RateLimits,
    ResponseLimits,
    TokenSpec,
    TrelloEmulator,
    generate_board,
)
from trellolens.testing.emulator.rate_limits import RECORDED_MEMBER_HEADERS
from trellolens.trello import TrelloClient, WindowRegistry


class FakeTime:
    def __init__(self) -> None:
        self.now = 10_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def emulator_of(fake: FakeTime, *boards: Any, **options: Any) -> TrelloEmulator:
    return TrelloEmulator(
        boards=list(boards),
        key=CANARY_KEY,
        tokens=[TokenSpec(CANARY_TOKEN)],
        clock=fake.clock,
        **options,
    )


def client_of(emulator: TrelloEmulator, fake: FakeTime, **options: Any) -> TrelloClient:
    return TrelloClient(
        Secret(CANARY_KEY),
        Secret(CANARY_TOKEN),
        base_url="https://trello.test/1",
        transport=httpx.MockTransport(emulator.handler),
        registry=WindowRegistry(fake.clock),
        clock=fake.clock,
        sleep=fake.sleep,
        **options,
    )


def archived(board: Board, count: int) -> Board:
    cards = tuple(replace(card, closed=i < count) for i, card in enumerate(board.cards))
    return replace(board, cards=cards)


def same_board(got: Board, want: Board) -> None:
    """Equal but for the order of cards and checklists (the parts come in another order)."""
    assert sorted(got.cards, key=lambda c: c.id) == sorted(want.cards, key=lambda c: c.id)
    assert sorted(got.checklists, key=lambda c: c.id) == sorted(want.checklists, key=lambda c: c.id)
    assert (got.lists, got.labels, got.members) == (want.lists, want.labels, want.members)
    assert got.actions == want.actions
    assert (got.id, got.name, got.history_complete) == (want.id, want.name, True)


def assert_within(emulator: TrelloEmulator, limits: RateLimits) -> None:
    """No 429, and no interval of the token window's length holds more than its maximum."""
    log = emulator.requests
    assert 429 not in [r.status for r in log]
    starts = [r.started for r in log]
    for first, later in zip(starts, starts[limits.token_max :], strict=False):
        assert later - first >= limits.interval_s


@pytest.fixture(scope="module")
def big_board() -> Board:
    board = generate_board(lists=6, cards=20_000, actions=21_000, checklists_per_card=0.05, seed=5)
    return parse_board(board_to_export(archived(board, 15_000)))


def test_a_20000_card_board_refused_in_one_piece_arrives_whole_within_the_limits(
    big_board: Board,
) -> None:
    assert sum(card.closed for card in big_board.cards) == 15_000
    fake = FakeTime()
    tight = RateLimits(token_max=10, key_max=30, interval_s=10.0)
    emulator = emulator_of(
        fake, big_board, rate_limits=tight, response_limits=ResponseLimits(max_cards=2000)
    )
    notices: list[str] = []
    progress: list[int] = []
    with client_of(emulator, fake) as client:
        snapshot = client.board_snapshot(
            big_board.id, notice=notices.append, progress=progress.append
        )
    same_board(snapshot, big_board)
    log = emulator.requests
    assert log[0].status == 403  # the one-request snapshot: API_TOO_MANY_CARDS_REQUESTED
    assert [r.status for r in log[1:]] == [200] * (len(log) - 1)
    assert_within(emulator, tight)
    card_pages = [r.query for r in log if "/cards/" in r.path]
    assert len(card_pages) == 5 + 15 + 2  # pages of 1000, each finished by a short one
    assert {q["limit"] for q in card_pages} == {"1000"}
    assert notices[0] == (
        f"Trello refused board {big_board.id} in one request (size limit): loading it in parts"
    )
    assert notices.count(f"Loading board {big_board.id} in parts: 5000 open cards") == 1
    assert notices.count(f"Loading board {big_board.id} in parts: 15000 archived cards") == 1
    parts = [line for line in notices if " in parts: " in line]
    assert len(parts) == len(set(parts))  # said once each: a last, empty page adds nothing
    assert progress[-1] == 21_000
    assert fake.now - 10_000 >= (len(log) // tight.token_max - 1) * tight.interval_s


def test_pages_refused_as_too_large_are_halved() -> None:
    board = archived(generate_board(cards=900, actions=1200, seed=2), 700)
    fake = FakeTime()
    emulator = emulator_of(fake, board, response_limits=ResponseLimits(max_cards=300))
    with client_of(emulator, fake) as client:
        snapshot = client.board_snapshot(board.id)
    same_board(snapshot, board)
    limits = [r.query["limit"] for r in emulator.requests if "/cards/" in r.path]
    # 200 open cards in one page; the 700 archived: 1000 and 500 refused, then pages of 250.
    assert limits == ["1000", "1000", "500", "250", "250", "250"]
    statuses = [r.status for r in emulator.requests if "/cards/" in r.path]
    assert statuses == [200, 403, 403, 200, 200, 200]


def test_a_database_time_refusal_waits_as_told_and_asks_for_less() -> None:
    board = archived(generate_board(cards=3000, actions=4000, seed=6), 2000)
    fake = FakeTime()
    budget = ResponseLimits(db_budget=6000, db_interval_s=30.0)
    emulator = emulator_of(fake, board, response_limits=budget)
    notices: list[str] = []
    with client_of(emulator, fake) as client:
        snapshot = client.board_snapshot(board.id, notice=notices.append, deadline=3600)
    same_board(snapshot, board)
    statuses = [r.status for r in emulator.requests]
    assert statuses[0] == 429  # API_TOKEN_DB_LIMIT_EXCEEDED for the one-request snapshot
    assert statuses[-1] == 200
    assert "database limit" in notices[0]
    assert any(seconds >= 1 for seconds in fake.slept)  # it waited out the retry-after
    waits = [line for line in notices if "waiting" in line]
    assert waits, "the wait for database time is announced"
    assert all("database time is used up" in line for line in waits)
    assert not any("rate limit" in line for line in notices)  # not the rate limit: it was not


def test_boards_waits_out_the_members_window_instead_of_failing() -> None:
    fake = FakeTime()
    emulator = emulator_of(fake, generate_board(cards=5, actions=10, seed=1))
    notices: list[str] = []
    with client_of(emulator, fake) as client:
        for _ in range(100):
            client.boards()
        started = fake.now
        boards = client.boards(notice=notices.append)
    assert [b.id for b in boards] == emulator.board_ids
    assert 429 not in [r.status for r in emulator.requests]  # it counted its own window
    assert 899 <= fake.now - started <= 901
    (line,) = notices
    assert line.startswith("Trello allows 100 requests per 15 minutes to /1/members: waiting 1")
    assert line.endswith("before asking for the list of your boards.")


def test_a_members_429_from_elsewhere_is_waited_out_as_retry_after_says() -> None:
    fake = FakeTime()
    emulator = emulator_of(fake, generate_board(cards=5, actions=10, seed=1))
    with client_of(emulator, fake) as other_process:  # its own windows: another process
        for _ in range(100):
            other_process.boards()
    fake.now += 300
    notices: list[str] = []
    with client_of(emulator, fake) as client:
        boards = client.boards(notice=notices.append)
    assert len(boards) == 1
    statuses = [r.status for r in emulator.requests[100:]]
    assert statuses == [429, 200]
    assert len(notices) == 1
    assert "waiting 10 min 0 s" in notices[0]


def test_the_members_wait_ends_in_one_line_when_the_deadline_is_shorter() -> None:
    fake = FakeTime()
    emulator = emulator_of(fake, generate_board(cards=5, actions=10, seed=1))
    with client_of(emulator, fake) as client:
        for _ in range(100):
            client.boards()
        with pytest.raises(RateLimitedError) as caught:
            client.boards(deadline=60)
    message = str(caught.value)
    assert "100 requests per 15 minutes to /1/members" in message
    assert "\n" not in message
    assert CANARY_TOKEN not in message


def test_retry_after_on_a_token_429_is_honoured() -> None:
    fake = FakeTime()
    emulator = emulator_of(fake, generate_board(cards=5, actions=10, seed=1))
    emulator.faults.rate_limit_storm(seconds=7)
    with client_of(emulator, fake) as client:
        client.board_snapshot(emulator.board_ids[0])
    assert [r.status for r in emulator.requests] == [429, 200]
    assert fake.slept == [7.0]  # the retry-after, not a guessed backoff


def test_card_pages_that_ignore_before_end_in_one_error_not_a_loop() -> None:
    cards = [{"id": f"{i:024x}", "name": "c", "idList": "l1"} for i in range(1000)]
    seen: list[httpx.Request] = []

    def stuck(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/cards/open"):
            return httpx.Response(200, json=cards)  # the same page, whatever `before` says
        if "cards" in request.url.params:
            return httpx.Response(403, json={"error": "API_TOO_MANY_CARDS_REQUESTED"})
        return httpx.Response(200, json={"id": "b" * 24, "name": "Stuck", "lists": []})

    with make_client(stuck) as client, pytest.raises(BoardFormatError, match="no older cards"):
        client.board_snapshot("b" * 24)
    assert len(seen) == 4  # refused, the board, a page, the same page again


@pytest.mark.parametrize(
    "advertised",
    [None, RECORDED_MEMBER_HEADERS],
    ids=["documented 100 per 900 s", "recorded 200 per 10 s"],
)
def test_the_members_window_holds_under_either_header_style(
    advertised: tuple[int, float] | None,
) -> None:
    fake = FakeTime()
    limits = RateLimits(member_headers=advertised)
    emulator = emulator_of(fake, generate_board(cards=5, actions=10, seed=1), rate_limits=limits)
    with client_of(emulator, fake) as client:
        for _ in range(101):
            client.boards()
    assert 429 not in [r.status for r in emulator.requests]  # never over the real window
    assert fake.now - 10_000 >= 899  # the 101st waited the 15 minutes out
    members = [r for r in emulator.requests if r.path.startswith("/1/members")]
    assert len(members) == 101
