"""Board snapshots cached once in Redis for every replica, with single-flight loading.

A snapshot is stored as the board's export JSON (never pickle: Redis is shared), zlib-compressed,
under ``trellolens:board:<board id>:<token fingerprint>:<version>`` with a TTL. The version is
``trellolens:board-version:<board id>``, bumped by the webhook receiver when Trello says the
board changed: a new version is a new key, so every replica's next rerun loads the change.

Single-flight: the replica that sets ``...:lock`` (SET NX PX) asks Trello; the others poll for
its result rather than asking Trello too. When Redis does not answer, the loader runs here and
the caller keeps the board in process memory (``health.py`` warns once).

Incremental refresh: a replica that already holds the board (any earlier version) asks Trello only
for what changed since its newest action (``TrelloClient.board_changes``: one small request) and
merges it (``board.changes``). It stores those changes first, under ``trellolens:board-changes:
...:<version>`` (small), so every replica holding the same board merges them too, in
milliseconds; then, in the background, the whole merged board for replicas that hold none. Changes
that do not fit (no board held, too many new actions, a gap) mean a full load, as before.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from trellolens.board import Board, board_to_export, parse_board
from trellolens.board.changes import BoardChanges, merge_changes
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


def encode_changes(changes: BoardChanges) -> bytes:
    envelope = {"since": changes.since, "board": board_to_export(changes.board)}
    return zlib.compress(json.dumps(envelope, separators=(",", ":")).encode(), 6)


def decode_changes(blob: bytes) -> BoardChanges | None:
    """The changes in ``blob``; None when they are not ours."""
    try:
        envelope = json.loads(zlib.decompress(blob))
        since = envelope["since"]
        if not isinstance(since, str):
            return None
        return BoardChanges(since, parse_board(envelope["board"], "the shared board cache"))
    except (zlib.error, ValueError, KeyError, TypeError, BoardFormatError):
        return None


FetchChanges = Callable[[Board], BoardChanges | None]
"""Asks Trello what changed since a held board's newest action; None when it does not fit."""


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
        """Full loads this cache ran itself (asked Trello), for tests and benchmarks."""
        self.refreshes = 0
        """Incremental refreshes this cache ran itself (one small request to Trello each)."""
        self.merges = 0
        """Changes another replica fetched, merged here without asking Trello."""
        self._storing: threading.Thread | None = None

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
        self,
        board_id: str,
        token_fingerprint: str,
        version: str,
        load: Callable[[], Board],
        held: Board | None = None,
        fetch_changes: FetchChanges | None = None,
        max_actions: int | None = None,
    ) -> Board:
        """The board at ``version``: merged from the changes another replica stored (when this
        replica ``held`` an earlier copy), else cached whole, else the one another replica is
        loading, else loaded here: ``fetch_changes(held)`` merged into ``held`` when that fits,
        else ``load()``.

        Redis errors propagate (the caller falls back to process memory); the loaders' own
        errors release the lock at once, so another replica may try.
        """
        data = key("board", board_id, token_fingerprint, version)
        delta = key("board-changes", board_id, token_fingerprint, version)
        lock = data + ":lock"
        owner = uuid.uuid4().hex
        give_up = self._clock() + WAIT_SECONDS
        while True:
            if held is not None:
                merged = self._merge_stored(delta, held, max_actions)
                if merged is not None:
                    return merged
            blob = self.client.get(data)
            board = decode(blob) if isinstance(blob, bytes) else None
            if board is not None:
                return board
            if self.client.set(lock, owner, nx=True, px=LOCK_MS) or self._clock() > give_up:
                break
            self._sleep(POLL_SECONDS)
        try:
            board, changes = self._fetch(load, held, fetch_changes, max_actions)
        except BaseException:
            self._release(keys=[lock], args=[owner])
            raise
        try:
            if changes is not None:  # the small changes now, the whole board in the background
                self.client.set(delta, encode_changes(changes), ex=self.ttl_seconds)
                self._store_in_background(data, lock, owner, board)
                return board
            self.client.set(data, encode(board), ex=self.ttl_seconds)
            self._release(keys=[lock], args=[owner])
        except redis_errors() as error:
            HEALTH.failed(error)
        return board

    def _merge_stored(self, delta: str, held: Board, max_actions: int | None) -> Board | None:
        blob = self.client.get(delta)
        changes = decode_changes(blob) if isinstance(blob, bytes) else None
        merged = None if changes is None else merge_changes(held, changes, max_actions)
        if merged is not None:
            self.merges += 1
        return merged

    def _fetch(
        self,
        load: Callable[[], Board],
        held: Board | None,
        fetch_changes: FetchChanges | None,
        max_actions: int | None,
    ) -> tuple[Board, BoardChanges | None]:
        if held is not None and fetch_changes is not None:
            changes = fetch_changes(held)
            merged = None if changes is None else merge_changes(held, changes, max_actions)
            if changes is not None and merged is not None:
                self.refreshes += 1
                return merged, changes
        self.fetches += 1
        return load(), None

    def _store_in_background(self, data: str, lock: str, owner: str, board: Board) -> None:
        def store() -> None:
            try:
                self.client.set(data, encode(board), ex=self.ttl_seconds)
                self._release(keys=[lock], args=[owner])
            except redis_errors() as error:
                HEALTH.failed(error)

        thread = threading.Thread(target=store, name="trellolens-board-store", daemon=True)
        self._storing = thread
        thread.start()

    def wait_stored(self, timeout: float = 30.0) -> None:
        """Until the last merged board is stored whole (tests and benchmarks)."""
        if self._storing is not None:
            self._storing.join(timeout)


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
    held: Board | None = None,
    fetch_changes: FetchChanges | None = None,
    max_actions: int | None = None,
) -> Board:
    """``load()``'s board through the shared cache when there is one; else ``load()`` itself.

    Given the board this process ``held`` and ``fetch_changes``, a new version is refreshed
    incrementally (see the module's docstring). An unreachable Redis is a warning (once), never
    an error: the board is loaded here.
    """
    cache = shared_board_cache(ttl_seconds)
    if cache is None or version is None or not HEALTH.should_try():
        return load()
    loaded: list[Board] = []

    def load_once() -> Board:
        loaded.append(load())
        return loaded[0]

    fetched: list[BoardChanges | None] = []

    def fetch_once(board: Board) -> BoardChanges | None:
        fetched.append(None if fetch_changes is None else fetch_changes(board))
        return fetched[0]

    try:
        board = cache.get_or_load(
            board_id,
            token_fingerprint,
            version,
            load_once,
            held,
            None if fetch_changes is None else fetch_once,
            max_actions,
        )
    except redis_errors() as error:
        HEALTH.failed(error)
        if loaded:
            return loaded[0]
        merged = None
        if held is not None and fetched and fetched[0] is not None:
            merged = merge_changes(held, fetched[0], max_actions)
        return merged or load()
    HEALTH.succeeded()
    return board
