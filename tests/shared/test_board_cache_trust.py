"""What a replica may trust in Redis, against a real redis-server: a lock winner reads the board
once more before asking Trello; a forged, moved, bombed or garbled entry is a miss with one
warning (never an error, never served); an unreadable version is a warning, not a crash."""

from __future__ import annotations

import logging
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
import redis

from trellolens.board import Board
from trellolens.board.changes import BoardChanges, changes_since
from trellolens.credentials import Secret
from trellolens.shared import board_codec
from trellolens.shared.board_cache import SharedBoardCache, version_key
from trellolens.shared.board_codec import MAGIC, encode, seal
from trellolens.shared.cache_token import BOARD_CACHE_PURPOSE, CacheToken
from trellolens.testing import generate_board
from trellolens.testing.redis_server import RedisServer

BOARD = generate_board(lists=3, cards=12, actions=40, seed=11)
CANARY_TOKEN = "ATTACANARYtrustedtoken0123456789abcdef0123456789abcdef01234567"
TOKEN = CacheToken(Secret(CANARY_TOKEN).fingerprint(), Secret(CANARY_TOKEN).derived_key(b"t"))
DATA = f"trellolens:board:{BOARD.id}:{TOKEN.fingerprint}:0"


class HookedRedis(redis.Redis):
    """A real client that runs ``before_lock`` once, just before its first SET NX."""

    before_lock: Callable[[], None] | None = None

    def set(self, *args: Any, **kwargs: Any) -> Any:
        hook = self.before_lock
        if kwargs.get("nx") and hook is not None:
            self.before_lock = None
            hook()
        return super().set(*args, **kwargs)


@pytest.fixture
def pair(redis_server: RedisServer) -> Iterator[tuple[SharedBoardCache, SharedBoardCache]]:
    """Two replicas' caches on one server; the second's client can be held up before its lock."""
    first = redis.Redis.from_url(redis_server.url)
    second = HookedRedis.from_url(redis_server.url)
    yield SharedBoardCache(first, 600), SharedBoardCache(second, 600)
    first.close()
    second.close()


def counting(board: Board) -> tuple[list[int], Callable[[], Board]]:
    calls: list[int] = []

    def load() -> Board:
        calls.append(1)
        return board

    return calls, load


def test_a_lock_winner_reads_the_board_stored_since_it_looked(
    pair: tuple[SharedBoardCache, SharedBoardCache],
) -> None:
    first, second = pair
    calls, load = counting(BOARD)
    # Between the second replica's miss and its SET NX, the first loads, stores and lets go:
    hooked: Any = second.client
    hooked.before_lock = lambda: first.get_or_load(BOARD.id, TOKEN, "0", load)
    assert second.get_or_load(BOARD.id, TOKEN, "0", load) == BOARD
    assert len(calls) == 1  # Trello was asked once, by the first replica
    assert (first.fetches, second.fetches) == (1, 0)
    assert first.client.keys("*:lock") == []  # the second let its lock go


def test_a_refresh_lock_winner_merges_the_changes_stored_since_it_looked(
    pair: tuple[SharedBoardCache, SharedBoardCache],
) -> None:
    first, second = pair
    _, load = counting(BOARD)
    held = first.get_or_load(BOARD.id, TOKEN, "0", load)
    renamed = replace(BOARD, name="Renamed")
    fetched: list[int] = []

    def fetch(board: Board) -> BoardChanges:
        fetched.append(1)
        since = changes_since(board)
        assert since is not None
        return BoardChanges(since, replace(renamed, actions=()))

    def refresh_elsewhere() -> None:
        first.get_or_load(BOARD.id, TOKEN, "1", load, held, fetch)
        first.wait_stored()

    hooked: Any = second.client
    hooked.before_lock = refresh_elsewhere
    board = second.get_or_load(BOARD.id, TOKEN, "1", load, held, fetch)
    assert board.name == "Renamed"
    assert len(fetched) == 1  # one small request to Trello, by the first replica
    assert (second.refreshes, second.fetches, second.merges) == (0, 0, 1)


def stored_then_read(
    cache: SharedBoardCache, blob: bytes, caplog: pytest.LogCaptureFixture
) -> tuple[Board, int, list[str]]:
    cache.client.set(DATA, blob)
    calls, load = counting(BOARD)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="trellolens.shared"):
        board = cache.get_or_load(BOARD.id, TOKEN, "0", load)
    return board, len(calls), [record.getMessage() for record in caplog.records]


def forged(name: str) -> Board:
    return replace(BOARD, name=name)


@pytest.mark.parametrize(
    "blob",
    [
        pytest.param(MAGIC + b"\0" * 32 + zlib.compress(b"{}"), id="no valid tag"),
        pytest.param(
            encode(CacheToken(TOKEN.fingerprint, b"a guessed key"), DATA, forged("Forged")),
            id="tagged with another key",
        ),
        pytest.param(
            encode(TOKEN, DATA.replace(":0", ":7"), forged("Moved")), id="moved from another key"
        ),
        pytest.param(
            zlib.compress(b'{"history_complete": true, "board": {}}'), id="the old format"
        ),
        pytest.param(b"\xff\xfe garbage", id="garbage"),
    ],
)
def test_an_entry_not_signed_for_its_key_is_a_miss_with_one_warning(
    pair: tuple[SharedBoardCache, SharedBoardCache], blob: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    board_codec._warned.clear()
    board, loads, lines = stored_then_read(pair[0], blob, caplog)
    assert board == BOARD  # the real one, loaded again: never the forged one
    assert loads == 1
    assert len(lines) == 1
    assert "unreadable entry" in lines[0]
    assert CANARY_TOKEN not in lines[0]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"not zlib", id="bad zlib"),
        pytest.param(zlib.compress(b"\xff\xfe\xfd"), id="not UTF-8"),
        pytest.param(zlib.compress(b"{not json"), id="bad JSON"),
        pytest.param(zlib.compress(b"[1, 2]"), id="not an envelope"),
        pytest.param(zlib.compress(b'{"board": {"lists": 3}}'), id="not a board"),
        pytest.param(zlib.compress(b"{}")[:-3], id="cut short"),
    ],
)
def test_a_signed_but_undecodable_entry_is_a_miss_with_one_warning(
    pair: tuple[SharedBoardCache, SharedBoardCache], body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    board_codec._warned.clear()
    blob = MAGIC + board_codec._tag(TOKEN, DATA, body) + body
    board, loads, lines = stored_then_read(pair[0], blob, caplog)
    assert (board, loads, len(lines)) == (BOARD, 1, 1)
    assert (board, *stored_then_read(pair[0], blob, caplog)[1:]) == (BOARD, 1, [])  # one warning


def zlib_bomb(size: int) -> bytes:
    """``size`` bytes of zeros compressed (about a thousandth of it), built in chunks."""
    packer = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(size >> 20)]
    return b"".join([*parts, packer.flush()])


def test_a_signed_zlib_bomb_is_a_miss_without_inflating_it(
    pair: tuple[SharedBoardCache, SharedBoardCache],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(board_codec, "MAX_DECOMPRESSED_BYTES", 8 << 20)
    board_codec._warned.clear()
    body = zlib_bomb(256 << 20)
    assert len(body) < 1 << 20
    blob = MAGIC + board_codec._tag(TOKEN, DATA, body) + body
    tracemalloc.start()
    try:
        board, loads, lines = stored_then_read(pair[0], blob, caplog)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (board, loads, len(lines)) == (BOARD, 1, 1)
    assert "more than" in lines[0]
    assert peak < 64 << 20  # the cap, not the 256 MiB the bomb holds


def test_an_unreadable_version_is_one_warning_and_one_version_for_everyone(
    pair: tuple[SharedBoardCache, SharedBoardCache], caplog: pytest.LogCaptureFixture
) -> None:
    board_codec._warned.clear()
    first, second = pair
    first.client.set(version_key(BOARD.id), b"\xff\xfe1")
    with caplog.at_level(logging.WARNING, logger="trellolens.shared"):
        seen = {first.version(BOARD.id), second.version(BOARD.id), first.version(BOARD.id)}
    assert len(seen) == 1
    assert seen != {"0"}
    assert len(caplog.records) == 1


def test_the_signing_key_is_derived_from_the_token_and_names_its_purpose() -> None:
    token = Secret(CANARY_TOKEN)
    key = token.derived_key(BOARD_CACHE_PURPOSE)
    assert len(key) == 32
    assert key == Secret(CANARY_TOKEN).derived_key(BOARD_CACHE_PURPOSE)  # every replica agrees
    assert key != Secret(CANARY_TOKEN + "x").derived_key(BOARD_CACHE_PURPOSE)
    assert key != token.derived_key(b"another purpose")
    assert CANARY_TOKEN.encode() not in key
    assert "signing_key" not in repr(CacheToken("fp", key))


def test_a_board_signed_by_one_token_is_not_served_to_another(
    pair: tuple[SharedBoardCache, SharedBoardCache],
) -> None:
    first, _ = pair
    other = CacheToken(TOKEN.fingerprint, Secret(CANARY_TOKEN + "x").derived_key(b"t"))
    first.client.set(DATA, seal(other, DATA, {"history_complete": True, "board": {}}))
    calls, load = counting(BOARD)
    assert first.get_or_load(BOARD.id, TOKEN, "0", load) == BOARD
    assert len(calls) == 1
