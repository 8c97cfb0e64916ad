"""Board snapshots cached once in Redis for every replica, with single-flight loading.

A snapshot is stored as the board's export JSON (never pickle: Redis is shared), zlib-compressed
and signed with a key derived from the token that read it (``board_codec``: a forged, bombed or
garbled entry is a miss with one warning), under ``trellolens:board:<board id>:<token fingerprint>:<version>`` with a TTL. The version is
``trellolens:board-version:<board id>``, bumped by the webhook receiver when Trello says the
board changed: a new version is a new key, so every replica's next rerun loads the change.

Single-flight: the replica that sets ``...:lock`` (SET NX PX) reads the entry once more (another
replica may have stored it and let go since this one looked) and then asks Trello; the others
poll for its result rather than asking Trello too. When Redis does not answer, the loader runs here and
the caller keeps the board in process memory (``health.py`` warns once).

Incremental refresh: a replica that already holds the board (any earlier version) asks Trello only
for what changed since its newest action (``TrelloClient.board_changes``: one small request) and
merges it (``board.changes``). It stores those changes first, under ``trellolens:board-changes:
...:<version>`` (small), so every replica holding the same board merges them too, in
milliseconds; then, in the background, the whole merged board for replicas that hold none. Changes
that do not fit (no board held, too many new actions, a gap) mean a full load, as before.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from trellolens.board import Board
from trellolens.board.changes import BoardChanges, merge_changes
from trellolens.shared.board_codec import (
    decode,
    decode_changes,
    encode,
    encode_changes,
    warn_unreadable,
)
from trellolens.shared.cache_token import CacheToken
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


FetchChanges = Callable[[Board], BoardChanges | None]
"""Asks Trello what changed since a held board's newest action; None when it does not fit."""


def version_key(board_id: str) -> str:
    return key("board-version", board_id)


class _Entry:
    """One board at one version for one token: its Redis keys, and how to read what is there."""

    def __init__(
        self,
        cache: SharedBoardCache,
        board_id: str,
        token: CacheToken,
        version: str,
        held: Board | None,
        max_actions: int | None,
    ) -> None:
        self.cache = cache
        self.token = token
        self.data = key("board", board_id, token.fingerprint, version)
        """A whole history (or an uncapped load): serves every cap it fits."""
        self.capped = None if max_actions is None else f"{self.data}:max{max_actions}"
        """A history cut at ``max_actions``: serves that cap only."""
        self.delta = key("board-changes", board_id, token.fingerprint, version)
        self.lock = self.data + ":lock"
        self.owner = uuid.uuid4().hex
        self.held = held
        self.max_actions = max_actions

    def stored(self) -> Board | None:
        """Merged from the stored changes (when a board is held), else the stored board."""
        if self.held is not None:
            blob = self.cache.client.get(self.delta)
            changes = (
                decode_changes(self.token, self.delta, blob) if isinstance(blob, bytes) else None
            )
            merged = (
                None if changes is None else merge_changes(self.held, changes, self.max_actions)
            )
            if merged is not None:
                self.cache.merges += 1
                return merged
        whole = self._read(self.data)
        if whole is not None and self._fits(whole):
            return whole
        return None if self.capped is None else self._read(self.capped)

    def _read(self, name: str) -> Board | None:
        blob = self.cache.client.get(name)
        return decode(self.token, name, blob) if isinstance(blob, bytes) else None

    def _fits(self, board: Board) -> bool:
        """Whether a stored whole board is what this cap would load: all of it fits."""
        cap = self.max_actions
        return cap is None or (board.history_complete is True and len(board.actions) <= cap)

    def name_for(self, board: Board) -> str:
        """Where a board loaded here goes: with the whole ones when nothing was cut from it."""
        if self.capped is None or board.history_complete is True:
            return self.data
        return self.capped


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
        """The board's version: "0" before any change; an unreadable one (not decimal digits)
        is named by its digest, with one warning, so every replica still agrees on it."""
        name = version_key(board_id)
        raw = self.client.get(name)
        if not isinstance(raw, bytes):
            return "0"
        if raw.isdigit() and len(raw) <= 20:
            return raw.decode("ascii")
        warn_unreadable(name, "not a version number")
        return "unreadable-" + hashlib.sha256(raw).hexdigest()[:16]

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
        token: CacheToken,
        version: str,
        load: Callable[[], Board],
        held: Board | None = None,
        fetch_changes: FetchChanges | None = None,
        max_actions: int | None = None,
    ) -> Board:
        """The board at ``version``: merged from the changes another replica stored (when this
        replica ``held`` an earlier copy), else cached whole, else the one another replica is
        loading, else loaded here: ``fetch_changes(held)`` merged into ``held`` when that fits,
        else ``load()``. Entries are read and written under ``token``'s signing key.

        Redis errors propagate (the caller falls back to process memory); the loaders' own
        errors release the lock at once, so another replica may try.
        """
        entry = _Entry(self, board_id, token, version, held, max_actions)
        give_up = self._clock() + WAIT_SECONDS
        while True:
            found = entry.stored()
            if found is not None:
                return found
            if self.client.set(entry.lock, entry.owner, nx=True, px=LOCK_MS):
                # Another replica may have stored it and let go between our read and our lock.
                found = entry.stored()
                if found is not None:
                    self._release(keys=[entry.lock], args=[entry.owner])
                    return found
                break
            if self._clock() > give_up:
                break
            self._sleep(POLL_SECONDS)
        return self._load_and_store(entry, load, fetch_changes)

    def _load_and_store(
        self, entry: _Entry, load: Callable[[], Board], fetch_changes: FetchChanges | None
    ) -> Board:
        try:
            board, changes = self._fetch(load, entry.held, fetch_changes, entry.max_actions)
        except BaseException:
            self._release(keys=[entry.lock], args=[entry.owner])
            raise
        try:
            if changes is not None:  # the small changes now, the whole board in the background
                blob = encode_changes(entry.token, entry.delta, changes)
                self.client.set(entry.delta, blob, ex=self.ttl_seconds)
                self._store_in_background(entry, board)
                return board
            name = entry.name_for(board)
            self.client.set(name, encode(entry.token, name, board), ex=self.ttl_seconds)
            self._release(keys=[entry.lock], args=[entry.owner])
        except redis_errors() as error:
            HEALTH.failed(error)
        return board

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

    def _store_in_background(self, entry: _Entry, board: Board) -> None:
        def store() -> None:
            try:
                name = entry.name_for(board)
                self.client.set(name, encode(entry.token, name, board), ex=self.ttl_seconds)
                self._release(keys=[entry.lock], args=[entry.owner])
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


def shared_board_cache(ttl_seconds: int, redis_url: str | None) -> SharedBoardCache | None:
    """The process's cache on ``redis_url`` (``Settings.redis_url``), or None without one."""
    client = redis_client(redis_url)
    if client is None:
        return None
    found = _caches.get((id(client), ttl_seconds))
    if found is None or found.client is not client:
        found = _caches[(id(client), ttl_seconds)] = SharedBoardCache(client, ttl_seconds)
    return found


def board_version(board_id: str, ttl_seconds: int, redis_url: str | None) -> str | None:
    """The board's shared version; None without Redis, or while it does not answer."""
    cache = shared_board_cache(ttl_seconds, redis_url)
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
    token: CacheToken,
    version: str | None,
    load: Callable[[], Board],
    ttl_seconds: int,
    held: Board | None = None,
    fetch_changes: FetchChanges | None = None,
    max_actions: int | None = None,
    *,
    redis_url: str | None,
) -> Board:
    """``load()``'s board through the shared cache on ``redis_url`` (``Settings.redis_url``)
    when there is one; else ``load()`` itself.

    Given the board this process ``held`` and ``fetch_changes``, a new version is refreshed
    incrementally (see the module's docstring). An unreachable Redis is a warning (once), never
    an error: the board is loaded here.
    """
    cache = shared_board_cache(ttl_seconds, redis_url)
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
            token,
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
