"""``BoardService``: the one way from a Trello client to a board, for every caller.

``TrelloConnection`` (the library), the dashboard's pages and the CLI all ask a ``BoardService``
for boards, board lists and token checks. It keeps what Trello sent per token: each cache key
starts with ``who(client)`` (the base URL and the key and token fingerprints, never a value), so
visitors with different tokens never share anything. Each board loads once (single-flight: the
other callers wait for that load), is kept ``CachePolicy.board_seconds`` and is shared with other
processes through Redis when the settings name one (``Settings.redis_url``: ``TRELLOLENS_REDIS_URL``
or ``[trellolens] redis_url``; ``shared.board_cache``: a webhook's new version is fetched as
changes since the board held). Trello's rate limits are the client's, shared through Redis too.
The TTLs are one ``CachePolicy``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from trellolens.board.changes import BoardChanges, changes_since
from trellolens.service.freed_memory import release_freed_memory
from trellolens.service.policy import CachePolicy
from trellolens.service.slots import SlotStore
from trellolens.settings import Settings
from trellolens.shared.board_cache import (
    SharedBoardCache,
    board_version,
    cached_snapshot,
    shared_board_cache,
)

if TYPE_CHECKING:
    from trellolens.board import Board
    from trellolens.trello import BoardSummary, TokenInfo, TrelloClient

Who = tuple[str, str, str]
"""Whose data a cache entry is: the base URL and the key and token fingerprints."""


def who(client: TrelloClient) -> Who:
    """Cache-key part for a client: its base URL and credential fingerprints, never values."""
    return (client.base_url, client.key_fingerprint, client.token_fingerprint)


class LoadWatch(Protocol):
    """Told about a load while it runs (the dashboard's status box, the CLI's stderr)."""

    def progress(self, actions: int) -> None: ...

    def notice(self, line: str) -> None: ...


Watch = Callable[[], AbstractContextManager[LoadWatch]]
"""Opened only when a board is really loaded from Trello, closed when it is done."""


@dataclass(frozen=True)
class Callbacks:
    """A ``LoadWatch`` from two optional callbacks."""

    on_progress: Callable[[int], None] | None = None
    on_notice: Callable[[str], None] | None = None

    def progress(self, actions: int) -> None:
        if self.on_progress is not None:
            self.on_progress(actions)

    def notice(self, line: str) -> None:
        if self.on_notice is not None:
            self.on_notice(line)

    @contextlib.contextmanager
    def watch(self) -> Iterator[LoadWatch]:
        yield self


@dataclass(frozen=True)
class LoadedBoard:
    """A board as held by the service: ``loaded_at`` (epoch seconds) tells one load from another."""

    board: Board
    loaded_at: float
    version: str | None

    def load_key(self, client: TrelloClient) -> str:
        """A key naming this load of the board (per token), for caches derived from it."""
        return f"{client.token_fingerprint}:{self.board.id}:{self.loaded_at}"


class BoardService:
    """Boards, board lists and token checks per token, each loaded once and kept by ``policy``."""

    def __init__(
        self,
        policy: CachePolicy | None = None,
        clock: Callable[[], float] = time.time,
        settings: Callable[[], Settings] = Settings,
    ) -> None:
        """``settings`` gives the settings in force when a board is asked for (default: the
        environment's; the dashboard's: each run's ``[trellolens]`` table, then the environment)."""
        self.policy = policy or CachePolicy()
        self._settings = settings
        held = self.policy
        self._boards: SlotStore[LoadedBoard] = SlotStore(
            held.board_seconds, held.boards_held, clock
        )
        self._lists: SlotStore[list[BoardSummary]] = SlotStore(
            held.board_list_seconds, held.tokens_held, clock
        )
        self._tokens: SlotStore[TokenInfo] = SlotStore(
            held.token_info_seconds, held.tokens_held, clock
        )
        self._clock = clock

    def token_info(self, client: TrelloClient) -> TokenInfo:
        """What Trello says about the client's token; a refusal is raised, never kept."""
        return self._tokens.get_or_load(who(client), client.token_info)

    def boards(
        self, client: TrelloClient, notice: Callable[[str], None] | None = None
    ) -> list[BoardSummary]:
        """The token's boards (a copy of the list kept); ``notice`` hears a rate-limit wait."""
        return list(self._lists.get_or_load(who(client), lambda: client.boards(notice=notice)))

    def board(
        self,
        client: TrelloClient,
        board_id: str,
        *,
        max_actions: int | None = None,
        watch: Watch | None = None,
    ) -> LoadedBoard:
        """The board, loaded through Trello only when this token holds no fresh copy of its
        current version; ``watch`` is opened around a real load. Every caller gets the same
        ``Board``, so do not change it."""
        return self._board(client, board_id, max_actions, watch, self._settings().redis_url)

    def _board(
        self,
        client: TrelloClient,
        board_id: str,
        max_actions: int | None,
        watch: Watch | None,
        redis_url: str | None,
    ) -> LoadedBoard:
        store = self._boards
        slot = store.slot((who(client), board_id, max_actions))
        version = board_version(board_id, int(store.ttl), redis_url)  # None without Redis
        with slot.lock:
            if store.fresh(slot, version) and slot.value is not None:
                return slot.value
            held = slot.value.board if slot.value is not None else None
            if held is not None and not (slot.stale or version != slot.version):
                held = None  # only expired: loaded whole, as at first
            with (watch or Callbacks().watch)() as seen:
                board = self._load(client, (board_id, max_actions, version, redis_url), held, seen)
            loaded = LoadedBoard(board, self._clock(), version)
            kept = store.keep(slot, loaded, version)
            del held  # the replaced board, if any, goes before the heap is trimmed
            release_freed_memory()
            return kept

    def _load(
        self,
        client: TrelloClient,
        wanted: tuple[str, int | None, str | None, str | None],
        held: Board | None,
        seen: LoadWatch,
    ) -> Board:
        """``wanted``: the board's id, ``max_actions``, its shared version and the Redis URL."""
        board_id, max_actions, version, redis_url = wanted

        def load() -> Board:
            return client.board_snapshot(
                board_id, max_actions=max_actions, progress=seen.progress, notice=seen.notice
            )

        def fetch_changes(board: Board) -> BoardChanges | None:
            since = changes_since(board)
            if since is None:
                return None
            return client.board_changes(board_id, since, notice=seen.notice)

        # Shared by every process through Redis when it is configured; a new version (a
        # webhook) is fetched as the changes since the board held here.
        return cached_snapshot(
            board_id,
            client.cache_token,
            version,
            load,
            int(self._boards.ttl),
            held=held,
            fetch_changes=fetch_changes,
            max_actions=max_actions,
            redis_url=redis_url,
        )

    def loader(
        self, client: TrelloClient, max_actions: int | None = None
    ) -> Callable[[str], Board]:
        """``board``'s boards for worker threads (the Boards page's pool): no Streamlit call
        (the settings are read here, in the caller's thread)."""
        redis_url = self._settings().redis_url

        def load(board_id: str) -> Board:
            return self._board(client, board_id, max_actions, None, redis_url).board

        return load

    def invalidate(self, board_id: str) -> int:
        """Load the board again on its next use, for every token here (a webhook heard in this
        process; with Redis, a new version does this for every process). How many were held."""

        def names_it(key: Hashable) -> bool:
            return isinstance(key, tuple) and len(key) == 3 and key[1] == board_id

        return self._boards.invalidate(names_it)

    @property
    def shared(self) -> SharedBoardCache | None:
        """The boards shared with every process (``Settings.redis_url``), or None without it."""
        return shared_board_cache(int(self._boards.ttl), self._settings().redis_url)

    def board_changed(self, board_id: str) -> int | None:
        """Trello says the board changed (a webhook): load it again here on its next use and,
        with Redis, bump its version so every process does (as the changes since it held).
        The new shared version, or None without Redis."""
        self.invalidate(board_id)
        cache = self.shared
        return None if cache is None else cache.bump(board_id)

    def clear(self) -> None:
        """Forget everything held (tests; a new secrets file)."""
        for store in (self._boards, self._lists, self._tokens):
            store.clear()
