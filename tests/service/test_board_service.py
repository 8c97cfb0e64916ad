"""``BoardService`` against the emulator over real HTTP: one load per board however many callers,
kept for the policy's TTL (a token is handed a board only once Trello let it read that board:
test_shared_models.py), loaded again when told or when a new version appears in Redis (then as
changes, one small request)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import redis

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from trellolens.credentials import Secret
from trellolens.errors import InvalidTokenError
from trellolens.service import BoardService, CachePolicy, Callbacks, who
from trellolens.shared.board_cache import SharedBoardCache
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.testing.redis_server import RedisServer
from trellolens.trello import TrelloClient

EXPORT = generate_export(lists=4, cards=20, actions=120, seed=31)
BOARD_ID = str(EXPORT["id"])
OTHER_TOKEN = "ATTA" + "CANARY" * 10 + "SVC2"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emu = TrelloEmulator(
        boards=[EXPORT], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN), TokenSpec(OTHER_TOKEN)]
    )
    with emu.serve() as base_url:
        yield emu, base_url


def client(base_url: str, token: str = CANARY_TOKEN) -> TrelloClient:
    return TrelloClient(Secret(CANARY_KEY), Secret(token), base_url=base_url)


def board_loads(emu: TrelloEmulator) -> int:
    return len([r for r in emu.requests if r.path == f"/1/boards/{BOARD_ID}"])


def test_many_callers_at_once_load_a_board_once(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    service = BoardService()
    results = []
    with client(base_url) as reader:

        def visit() -> None:
            results.append(service.board(reader, BOARD_ID).board)

        threads = [threading.Thread(target=visit) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert board_loads(emu) == 1
    assert len(results) == 8
    assert all(board is results[0] for board in results)  # one object for every caller


def test_a_board_is_kept_for_the_policys_ttl_then_loaded_again(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    clock = Clock()
    service = BoardService(CachePolicy(board_seconds=600), clock=clock)
    with client(base_url) as reader:
        first = service.board(reader, BOARD_ID)
        clock.now += 599
        assert service.board(reader, BOARD_ID) is first
        assert board_loads(emu) == 1
        clock.now += 2
        again = service.board(reader, BOARD_ID)
    assert again is not first
    assert again.loaded_at > first.loaded_at
    assert board_loads(emu) == 2


def test_a_refused_token_gets_neither_the_held_board_nor_a_board_list(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url) as mine, client(base_url, OTHER_TOKEN) as theirs:
        assert who(mine) != who(theirs)
        service.board(mine, BOARD_ID)
        service.boards(mine)
        emu.revoke_token(OTHER_TOKEN)
        with pytest.raises(InvalidTokenError):
            service.board(theirs, BOARD_ID)  # asked Trello with its own token: refused
        with pytest.raises(InvalidTokenError):
            service.boards(theirs)
    assert CANARY_TOKEN not in repr(who(mine))


def test_a_refusal_is_not_kept(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url, OTHER_TOKEN) as reader:
        emu.revoke_token(OTHER_TOKEN)
        with pytest.raises(InvalidTokenError):
            service.token_info(reader)
        emu.add_token(TokenSpec(OTHER_TOKEN))
        assert service.token_info(reader).scopes == ("read",)


def test_invalidate_loads_the_board_again_and_the_watch_sees_only_real_loads(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    lines: list[str] = []
    seen: list[int] = []
    watch = Callbacks(seen.append, lines.append).watch
    with client(base_url) as reader:
        service.board(reader, BOARD_ID, watch=watch)
        counted = len(seen)
        service.board(reader, BOARD_ID, watch=watch)
        assert len(seen) == counted  # held: no load, no progress
        assert service.invalidate(BOARD_ID) == 1
        service.board(reader, BOARD_ID, watch=watch)
    assert board_loads(emu) == 2
    assert service.invalidate("no such board") == 0


def test_a_new_version_in_redis_is_fetched_as_changes(
    served: tuple[TrelloEmulator, str], redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, base_url = served
    monkeypatch.setenv(REDIS_URL_VARIABLE, redis_server.url)
    service = BoardService()
    with client(base_url) as reader:
        first = service.board(reader, BOARD_ID)
        assert first.version == "0"
        assert BoardService().board(reader, BOARD_ID).board == first.board  # from Redis
        assert board_loads(emu) == 1
        with redis.Redis.from_url(redis_server.url) as raw:
            SharedBoardCache(raw, 600).bump(BOARD_ID)
        second = service.board(reader, BOARD_ID)
    assert second.version == "1"
    assert board_loads(emu) == 2
    assert "actions_since" in emu.requests[-1].query  # the changes only


def test_with_redis_a_held_version_is_served_from_memory_until_a_new_one(
    served: tuple[TrelloEmulator, str], redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each use asks Redis for the version only: a page that asks for its board three times a
    run must not read (and decode) the whole board from Redis each time."""
    emu, base_url = served
    monkeypatch.setenv(REDIS_URL_VARIABLE, redis_server.url)
    service = BoardService()
    with client(base_url) as reader, redis.Redis.from_url(redis_server.url) as raw:
        first = service.board(reader, BOARD_ID)
        raw.delete(*raw.keys("trellolens:board:*"))  # a reload would have to ask Trello now
        assert service.board(reader, BOARD_ID) is first
        SharedBoardCache(raw, 600).bump(BOARD_ID)
        second = service.board(reader, BOARD_ID)
        assert second is not first
        assert service.board(reader, BOARD_ID) is second
    assert board_loads(emu) == 2  # the first load and the changes, nothing more


def test_clear_forgets_every_board_list_and_token_check(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    service = BoardService()
    with client(base_url) as reader:
        loaded = service.board(reader, BOARD_ID)
        assert (
            loaded.load_key(reader) == f"{reader.token_fingerprint}:{BOARD_ID}:{loaded.loaded_at}"
        )
        service.boards(reader)
        service.token_info(reader)
        asked = len(emu.requests)
        service.clear()
        service.board(reader, BOARD_ID)
        service.boards(reader)
        service.token_info(reader)
    assert len(emu.requests) == asked + 3


def test_board_changed_without_redis_loads_the_board_again_here(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    service = BoardService()
    assert service.shared is None
    with client(base_url) as reader:
        service.board(reader, BOARD_ID)
        assert service.board_changed(BOARD_ID) is None  # no Redis: no shared version
        service.board(reader, BOARD_ID)
    assert board_loads(emu) == 2


def test_board_changed_tells_every_process_through_redis(
    served: tuple[TrelloEmulator, str], redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The webhook receiver's way in: another process's service sees the new version."""
    emu, base_url = served
    monkeypatch.setenv(REDIS_URL_VARIABLE, redis_server.url)
    receiver, replica = BoardService(), BoardService()
    with client(base_url) as reader:
        assert replica.board(reader, BOARD_ID).version == "0"
        assert receiver.board_changed(BOARD_ID) == 1
        assert replica.board(reader, BOARD_ID).version == "1"
    assert board_loads(emu) == 2
    assert "actions_since" in emu.requests[-1].query  # the changes only
