"""A board's history cap in the shared cache: a whole history serves every cap it fits; a history
cut at N actions is its own entry, serving that cap only (against a real redis-server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
import redis

from tests.helpers.redis_keys import text
from trellolens.board import Board
from trellolens.shared.board_cache import SharedBoardCache
from trellolens.shared.cache_token import CacheToken
from trellolens.testing import generate_board
from trellolens.testing.redis_server import RedisServer

WHOLE = replace(generate_board(lists=3, cards=10, actions=40, seed=8), history_complete=True)
CUT = replace(WHOLE, actions=WHOLE.actions[:25], history_complete=False)
TOKEN = CacheToken("0123456789ab", b"canary signing key of the test token")


@pytest.fixture
def cache(redis_server: RedisServer) -> Iterator[SharedBoardCache]:
    client = redis.Redis.from_url(redis_server.url)
    yield SharedBoardCache(client, 600)
    client.close()


def loader(board: Board) -> tuple[list[int], Callable[[], Board]]:
    calls: list[int] = []

    def load() -> Board:
        calls.append(1)
        return board

    return calls, load


def test_a_whole_history_serves_every_cap_it_fits(cache: SharedBoardCache) -> None:
    calls, load = loader(WHOLE)
    cache.get_or_load(WHOLE.id, TOKEN, "0", load)  # the library: no cap
    assert cache.get_or_load(WHOLE.id, TOKEN, "0", load, max_actions=50_000) == WHOLE
    assert cache.get_or_load(WHOLE.id, TOKEN, "0", load, max_actions=40) == WHOLE
    assert len(calls) == 1
    _, cut_load = loader(CUT)
    assert cache.get_or_load(WHOLE.id, TOKEN, "0", cut_load, max_actions=25) == CUT  # too small
    names = sorted(text(name) for name in cache.client.keys("trellolens:board:*"))
    base = f"trellolens:board:{WHOLE.id}:{TOKEN.fingerprint}:0"
    assert names == [base, f"{base}:max25"]


def test_a_cut_history_serves_its_own_cap_only(cache: SharedBoardCache) -> None:
    cut_calls, cut_load = loader(CUT)
    cache.get_or_load(WHOLE.id, TOKEN, "0", cut_load, max_actions=25)
    assert cache.get_or_load(WHOLE.id, TOKEN, "0", cut_load, max_actions=25) == CUT
    assert len(cut_calls) == 1
    whole_calls, whole_load = loader(WHOLE)
    assert cache.get_or_load(WHOLE.id, TOKEN, "0", whole_load) == WHOLE  # never the cut one
    assert len(whole_calls) == 1
