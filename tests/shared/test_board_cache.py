"""The shared board cache against a real redis-server: one load for every replica, compressed,
with a TTL, keyed by fingerprints; a Redis outage falls back to loading here, then recovers."""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections.abc import Callable, Iterator

import pytest
import redis
from redis.client import PubSub

from tests.helpers.redis_keys import text
from trellolens.board import Board
from trellolens.shared import health
from trellolens.shared.board_cache import (
    CHANGED_CHANNEL,
    SharedBoardCache,
    board_version,
    cached_snapshot,
)
from trellolens.shared.board_codec import MAGIC, TAG_BYTES, decode, encode, seal
from trellolens.shared.cache_token import CacheToken
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing import generate_board
from trellolens.testing.redis_server import RedisServer

BOARD = generate_board(lists=4, cards=30, actions=300, seed=5)
TOKEN = CacheToken("0123456789ab", b"canary signing key of the test token")
TOKEN_FP = TOKEN.fingerprint
TTL = 600


@pytest.fixture
def clients(redis_server: RedisServer) -> Iterator[list[redis.Redis]]:
    """Two pools on one server, as two replicas have."""
    made = [redis.Redis.from_url(redis_server.url) for _ in range(2)]
    yield made
    for client in made:
        client.close()


def test_a_board_round_trips_through_its_compressed_form() -> None:
    name = f"trellolens:board:{BOARD.id}:{TOKEN_FP}:0"
    blob = encode(TOKEN, name, BOARD)
    assert zlib.decompress(blob[len(MAGIC) + TAG_BYTES :])  # zlib, not pickle
    assert decode(TOKEN, name, blob) == BOARD
    assert decode(TOKEN, name, b"not zlib") is None
    assert decode(TOKEN, name, seal(TOKEN, name, {"board": {"lists": 3}})) is None


def test_concurrent_replicas_load_a_board_once(clients: list[redis.Redis]) -> None:
    caches = [SharedBoardCache(client, TTL) for client in clients]
    loads = 0
    lock = threading.Lock()

    def slow_load() -> Board:
        nonlocal loads
        with lock:
            loads += 1
        time.sleep(0.5)  # Trello takes its time: the others must wait, not ask too
        return BOARD

    results: list[Board] = []

    def visitor(cache: SharedBoardCache) -> None:
        results.append(cache.get_or_load(BOARD.id, TOKEN, "0", slow_load))

    threads = [threading.Thread(target=visitor, args=(caches[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert loads == 1
    assert results == [BOARD] * 8
    names = [text(name) for name in clients[0].keys("*")]
    assert names == [f"trellolens:board:{BOARD.id}:{TOKEN_FP}:0"]  # the lock is gone
    assert 0 < clients[0].ttl(names[0]) <= TTL
    stored = clients[0].get(names[0])
    assert isinstance(stored, bytes)
    assert len(stored) < len(zlib.decompress(stored[len(MAGIC) + TAG_BYTES :])) / 3


def test_a_new_version_is_loaded_again_and_announced(clients: list[redis.Redis]) -> None:
    cache = SharedBoardCache(clients[0], TTL)
    # Typed through a Callable: redis-py 8.1 leaves pubsub() unannotated, 8.2 annotates it.
    open_pubsub: Callable[[], PubSub] = clients[1].pubsub
    pubsub = open_pubsub()
    pubsub.subscribe(CHANGED_CHANNEL)
    assert pubsub.get_message(timeout=1)  # the subscription itself
    cache.get_or_load(BOARD.id, TOKEN, cache.version(BOARD.id), lambda: BOARD)
    assert cache.bump(BOARD.id) == 1
    assert cache.version(BOARD.id) == "1"
    assert clients[0].ttl(f"trellolens:board-version:{BOARD.id}") > 0
    message = pubsub.get_message(timeout=2)
    assert message is not None
    assert message["data"] == BOARD.id.encode()
    pubsub.close()
    cache.get_or_load(BOARD.id, TOKEN, "1", lambda: BOARD)
    assert cache.fetches == 2


def health_is_down() -> bool:
    """Read afresh (mypy would keep an earlier assert's narrowing of the property)."""
    return health.HEALTH.down


def test_redis_killed_mid_run_falls_back_then_recovers(
    redis_server: RedisServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(REDIS_URL_VARIABLE, redis_server.url)
    monkeypatch.setattr(health, "RETRY_SECONDS", 0.0)
    caplog.set_level(logging.WARNING, logger="trellolens.shared")
    loads = []

    def load() -> Board:
        loads.append(1)
        return BOARD

    def visit() -> Board:
        url = redis_server.url
        return cached_snapshot(
            BOARD.id, TOKEN, board_version(BOARD.id, TTL, url), load, TTL, redis_url=url
        )

    assert visit() == BOARD
    assert visit() == BOARD
    assert len(loads) == 1  # the second visit came from Redis
    redis_server.stop()
    assert visit() == BOARD  # no error: loaded here
    assert visit() == BOARD
    assert health.HEALTH.down is True
    down = [r.getMessage() for r in caplog.records]
    assert len(down) == 1
    assert "unreachable" in down[0]
    assert redis_server.password not in down[0]
    redis_server.restart()
    assert visit() == BOARD
    assert health_is_down() is False
    assert visit() == BOARD
    assert len(loads) == 4  # two while down, one to refill the empty Redis, then cached
    assert len(caplog.records) == 2  # "answers again"
