"""``BoardService``: the one way from a Trello client to a board, for every caller.

``TrelloConnection`` (the library), the dashboard's pages and the CLI all ask a ``BoardService``
for boards, board lists and token checks. Board lists and token checks are kept per token: each
key starts with ``who(client)`` (the base URL and the key and token fingerprints, never a value).
A board's model is kept once per board version (``model_key``: base URL, board, history cap) and
shared by every token that may read it: a token is handed the model only after proving access
itself, by loading the board or by one small request of its own (``board_last_activity``), and
that proof is kept per token as long as the board would be. Each board loads once (single-flight:
the other callers wait for that load), is kept ``CachePolicy.board_seconds`` and is shared with
other processes through Redis when the settings name one (``Settings.redis_url``:
``TRELLOLENS_REDIS_URL`` or ``[trellolens] redis_url``; ``shared.board_cache``: a webhook's new version is fetched as changes since the board held). A board loaded with
``pin=False`` (the Boards page, which shows rows, not boards) is held only while someone uses
it. Trello's rate limits are the client's, shared through Redis too. The TTLs are one
``CachePolicy``. When an OAuth 2.0
sign-in ends (its refresh token refused: ``SignInRequiredError``), what is held for it keeps being
served (the client's ``sign_in_problem`` says why nothing newer comes), but only to a token that
proved access before; with nothing held, the error is raised.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from trellolens.board.changes import BoardChanges, changes_since
from trellolens.errors import SignInRequiredError
from trellolens.service.freed_memory import release_freed_memory
from trellolens.service.loose_boards import LooseBoards
from trellolens.service.policy import CachePolicy
from trellolens.service.slots import Slot, SlotStore
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

HELD_ON = (SignInRequiredError,)
"""Errors after which what is held is served however old: Trello will not answer again until
someone signs in (``trellolens login``), and the dashboard should keep showing what it has."""
Who = tuple[str, str, str]
"""Whose data a cache entry is: the base URL and the key and token fingerprints."""
ModelKey = tuple[str, str, int | None]
"""Which model a cache entry is: the base URL, the board id and the history cap (no token)."""


def who(client: TrelloClient) -> Who:
    """Cache-key part for a client: its base URL and credential fingerprints, never values."""
    return (client.base_url, client.key_fingerprint, client.token_fingerprint)


def model_key(client: TrelloClient, board_id: str, max_actions: int | None) -> ModelKey:
    """The key of a board's shared model: the same for every token of the same Trello."""
    return (client.base_url, board_id, max_actions)


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
        self._proofs: SlotStore[bool] = SlotStore(held.board_seconds, held.proofs_held, clock)
        """Which token has proved, and when, that it may read which board."""
        self._loose = LooseBoards()
        """Boards loaded unpinned: kept only while a caller holds them."""
        self._clock = clock

    def token_info(self, client: TrelloClient) -> TokenInfo:
        """What Trello says about the client's token; a refusal is raised, never kept."""
        return self._tokens.get_or_load(who(client), client.token_info)  # a refusal says so

    def boards(
        self, client: TrelloClient, notice: Callable[[str], None] | None = None
    ) -> list[BoardSummary]:
        """The token's boards (a copy of the list kept); ``notice`` hears a rate-limit wait."""

        def load() -> list[BoardSummary]:
            return client.boards(notice=notice)

        return list(self._lists.get_or_load(who(client), load, HELD_ON))

    def board(
        self,
        client: TrelloClient,
        board_id: str,
        *,
        max_actions: int | None = None,
        watch: Watch | None = None,
        pin: bool = True,
    ) -> LoadedBoard:
        """The board, loaded through Trello only when no fresh copy of its current version is
        held; a copy loaded with another token is handed over once this token has proved it may
        read the board. ``watch`` is opened around a real load. Every caller gets the same
        ``Board``, so do not change it. ``pin=False`` keeps a board loaded here only while a
        caller holds it (a pinned copy is used all the same)."""
        return self._board(client, board_id, max_actions, watch, pin, self._settings().redis_url)

    def _board(
        self,
        client: TrelloClient,
        board_id: str,
        max_actions: int | None,
        watch: Watch | None,
        pin: bool,
        redis_url: str | None,
    ) -> LoadedBoard:
        key = model_key(client, board_id, max_actions)
        version = board_version(board_id, int(self._boards.ttl), redis_url)  # None without Redis
        if not pin:
            unpinned = self._unpinned_board(client, key, version, watch, redis_url)
            if unpinned is not None:
                return unpinned
        store = self._boards
        slot = store.slot(key)
        with slot.lock:
            if store.fresh(slot, version) and slot.value is not None:
                shared = slot.value
            else:
                return self._pinned_load(client, slot, key, version, watch, redis_url)
        self._prove_access(client, board_id)  # outside the lock: other tokens need not wait
        return shared

    def _pinned_load(
        self,
        client: TrelloClient,
        slot: Slot[LoadedBoard],
        key: ModelKey,
        version: str | None,
        watch: Watch | None,
        redis_url: str | None,
    ) -> LoadedBoard:
        """Fill ``slot`` (its lock held): with a young unpinned copy (the Boards page's) once this
        token proves access, else with a load."""
        found = self._loose.pop(key)
        loose = None if found is None else LoadedBoard(*found)
        if loose is not None and self._young(loose, version):
            self._prove_access(client, key[1])
            kept = self._boards.keep(slot, loose, version)
            slot.loaded_at = loose.loaded_at  # it ages from its load, not from being pinned
            return kept
        try:
            loaded = self._load_anew(client, key, version, slot.value, watch, redis_url)
        except HELD_ON:
            if slot.value is None:
                raise
            self._prove_access(client, key[1])  # raises unless this token proved access before
            return slot.value  # the sign-in ended: what is held, rather than nothing
        # Kept with its version: the next use at the same version is served from here, not
        # read and decoded from Redis again (a page asks for its board several times a run).
        return self._boards.keep(slot, loaded, loaded.version)

    def _unpinned_board(
        self,
        client: TrelloClient,
        key: ModelKey,
        version: str | None,
        watch: Watch | None,
        redis_url: str | None,
    ) -> LoadedBoard | None:
        """The board for an unpinned caller, or None when a pinned slot should serve it."""
        store = self._boards
        if store.peek(key) is not None:
            return None  # pinned already: share that slot (its freshness, its single flight)
        found = self._loose.get(key)
        loose = None if found is None else LoadedBoard(*found)
        if loose is not None and self._young(loose, version):
            self._prove_access(client, key[1])
            return loose
        loaded = self._load_anew(client, key, version, loose, watch, redis_url)
        self._loose.put(key, (loaded.board, loaded.loaded_at, loaded.version))
        return loaded

    def _young(self, loaded: LoadedBoard, version: str | None) -> bool:
        if version is not None and version != loaded.version:
            return False
        return self._clock() - loaded.loaded_at < self._boards.ttl

    def _load_anew(
        self,
        client: TrelloClient,
        key: ModelKey,
        version: str | None,
        previous: LoadedBoard | None,
        watch: Watch | None,
        redis_url: str | None,
    ) -> LoadedBoard:
        """Load the board with this client's token (which proves its access), from ``previous``
        as changes when a new version replaces it; then hand the freed heap back."""
        board_id, max_actions = key[1], key[2]
        held = previous.board if previous is not None else None
        if previous is not None and version == previous.version and not self._stale(key):
            held = None  # only expired: loaded whole, as at first
        with (watch or Callbacks().watch)() as seen:
            board = self._load(client, (board_id, max_actions, version, redis_url), held, seen)
        del held, previous  # the replaced board, if any, goes before the heap is trimmed
        self._proofs.keep(self._proofs.slot((who(client), board_id)), True)
        loaded = LoadedBoard(board, self._clock(), version)
        release_freed_memory()
        return loaded

    def _stale(self, key: ModelKey) -> bool:
        slot = self._boards.peek(key)
        return slot is not None and slot.stale

    def _prove_access(self, client: TrelloClient, board_id: str) -> None:
        """Ask Trello with this token whether it may read the board, unless it proved so lately;
        a refusal raises (and is not kept)."""

        def proof() -> bool:
            client.board_last_activity(board_id)
            return True

        self._proofs.get_or_load((who(client), board_id), proof, HELD_ON)

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
        self, client: TrelloClient, max_actions: int | None = None, *, pin: bool = True
    ) -> Callable[[str], Board]:
        """``board``'s boards for worker threads (the Boards page's pool): no Streamlit call
        (the settings are read here, in the caller's thread)."""
        redis_url = self._settings().redis_url

        def load(board_id: str) -> Board:
            return self._board(client, board_id, max_actions, None, pin, redis_url).board

        return load

    def invalidate(self, board_id: str) -> int:
        """Load the board again on its next use, for every token here (a webhook heard in this
        process; with Redis, a new version does this for every process). How many were held."""

        def names_it(key: Hashable) -> bool:
            return isinstance(key, tuple) and len(key) == 3 and key[1] == board_id

        self._loose.drop(names_it)
        return self._boards.invalidate(names_it)

    @property
    def shared(self) -> SharedBoardCache | None:
        """The boards shared with every process (``Settings.redis_url``), or None without it."""
        return shared_board_cache(int(self._boards.ttl), self._settings().redis_url)

    def version(self, board_id: str) -> str | None:
        """The board's shared version now (one Redis GET, no Trello request): what an open page
        compares with the version it shows. None without Redis, or while it does not answer."""
        return board_version(board_id, int(self._boards.ttl), self._settings().redis_url)

    def board_changed(self, board_id: str) -> int | None:
        """Trello says the board changed (a webhook): load it again here on its next use and,
        with Redis, bump its version so every process does (as the changes since it held).
        The new shared version, or None without Redis."""
        self.invalidate(board_id)
        cache = self.shared
        return None if cache is None else cache.bump(board_id)

    def clear(self) -> None:
        """Forget everything held (tests; a new secrets file)."""
        for store in (self._boards, self._lists, self._tokens, self._proofs):
            store.clear()
        self._loose.clear()
