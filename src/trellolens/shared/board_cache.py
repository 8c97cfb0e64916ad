"""Board snapshots cached once in Redis for every replica, with single-flight loading.

A snapshot is stored as the board's export JSON (never pickle: Redis is shared), zlib-compressed,
under ``trellolens:board:<board id>:<token fingerprint>:<version>`` with a TTL. The version is
``trellolens:board-version:<board id>``, bumped by the webhook receiver when Trello says the
board changed: a new version is a new key, so every replica's next rerun loads the change.

Single-flight: the replica that sets ``...:lock`` (SET NX PX) asks Trello; the others poll for
its result rather than asking Trello too. When Redis does not answer, the loader runs here and
the caller keeps the board in process memory (``health.py`` warns once).
"""

from __future__ import annotations

import json
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from trellolens.board import Board, board_to_export, parse_board
from trellolens.errors import BoardFormatError
from trellolens.shared.connection import key, redis_client, redis_errors
from trellolens.shared.health import HEALTH

if TYPE_CHECKING:
    from redis import Redis

LOCK_MS = 300_000
"""How long a loading replica holds the lock at most (a board in parts can take minutes)."""
POLL_SECONDS = 0.1
WAIT_SECONDS = 300.0
"""How long a replica waits for another one's load before it asks Trello itself."""
VERSION_TTL_SECONDS = 7 * 24 * 3600
"""A board's version is kept a week after its last change (longer than any snapshot)."""
CHANGED_CHANNEL = key("board-changed")
"""Pub/sub channel: the id of every board the webhook receiver heard has changed."""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def encode(board: Board) -> bytes:
    envelope = {"history_complete": board.history_complete, "board": board_to_export(board)}
    return zlib.compress(json.dumps(envelope, separators=(",", ":")).encode(), 6)


def decode(blob: bytes) -> Board | None:
    """The board in ``blob``; None when it is not one of ours (then it is loaded again)."""
    try:
        envelope = json.loads(zlib.decompress(blob))
        board = parse_board(envelope["board"], "the shared board cache")
        return replace(board, history_complete=envelope.get("history_complete"))
    except (zlib.error, ValueError, KeyError, TypeError, BoardFormatError):
        return None


def version_key(board_id: str) -> str:
    return key("board-version", board_id)


class SharedBoardCache:
    def __init__(
        self,
        client: Redis,
        ttl_seconds: int,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.ttl_seconds = ttl_seconds
        self._sleep = sleep
        self._clock = clock
        self._release = client.register_script(_RELEASE)
        self.fetches = 0
        """Loads this cache ran itself (asked Trello), for tests and benchmarks."""

    def version(self, board_id: str) -> str:
        raw = self.client.get(version_key(board_id))
        return raw.decode() if isinstance(raw, bytes) else "0"

    def bump(self, board_id: str) -> int:
        """A new version of the board (the webhook receiver's "board changed"), announced."""
        name = version_key(board_id)
        with self.client.pipeline() as pipe:
            pipe.incr(name)
            pipe.expire(name, VERSION_TTL_SECONDS)
            pipe.publish(CHANGED_CHANNEL, board_id)
            version, _, _ = pipe.execute()
        return int(version)

    def get_or_load(
        self, board_id: str, token_fingerprint: str, version: str, load: Callable[[], Board]
    ) -> Board:
        """The cached board, else the one another replica is loading, else ``load()`` here.

        Redis errors propagate (the caller falls back to process memory); ``load``'s own errors
        release the lock at once, so another replica may try.
        """
        data = key("board", board_id, token_fingerprint, version)
        lock = data + ":lock"
        owner = uuid.uuid4().hex
        give_up = self._clock() + WAIT_SECONDS
        while True:
            blob = self.client.get(data)
            board = decode(blob) if isinstance(blob, bytes) else None
            if board is not None:
                return board
            if self.client.set(lock, owner, nx=True, px=LOCK_MS) or self._clock() > give_up:
                break
            self._sleep(POLL_SECONDS)
        try:
            self.fetches += 1
            board = load()
        except BaseException:
            self._release(keys=[lock], args=[owner])
            raise
        try:
            self.client.set(data, encode(board), ex=self.ttl_seconds)
            self._release(keys=[lock], args=[owner])
        except redis_errors() as error:
            HEALTH.failed(error)
        return board


_caches: dict[tuple[int, int], SharedBoardCache] = {}


def shared_board_cache(ttl_seconds: int) -> SharedBoardCache | None:
    """The process's cache on ``TRELLOLENS_REDIS_URL``, or None without the setting."""
    client = redis_client()
    if client is None:
        return None
    found = _caches.get((id(client), ttl_seconds))
    if found is None or found.client is not client:
        found = _caches[(id(client), ttl_seconds)] = SharedBoardCache(client, ttl_seconds)
    return found


def board_version(board_id: str, ttl_seconds: int) -> str | None:
    """The board's shared version; None without Redis, or while it does not answer."""
    cache = shared_board_cache(ttl_seconds)
    if cache is None or not HEALTH.should_try():
        return None
    try:
        version = cache.version(board_id)
    except redis_errors() as error:
        HEALTH.failed(error)
        return None
    HEALTH.succeeded()
    return version


def cached_snapshot(
    board_id: str,
    token_fingerprint: str,
    version: str | None,
    load: Callable[[], Board],
    ttl_seconds: int,
) -> Board:
    """``load()``'s board through the shared cache when there is one; else ``load()`` itself.

    An unreachable Redis is a warning (once), never an error: the board is loaded here.
    """
    cache = shared_board_cache(ttl_seconds)
    if cache is None or version is None or not HEALTH.should_try():
        return load()
    loaded: list[Board] = []

    def load_once() -> Board:
        loaded.append(load())
        return loaded[0]

    try:
        board = cache.get_or_load(board_id, token_fingerprint, version, load_once)
    except redis_errors() as error:
        HEALTH.failed(error)
        return loaded[0] if loaded else load()
    HEALTH.succeeded()
    return board
