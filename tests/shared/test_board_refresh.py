"""Incremental refresh against the emulator over HTTP and a real redis-server: the changes since the
held board's newest action, merged, equal a full load; one replica asks Trello (one request), the
others merge the stored changes; what does not fit (too many new actions, a gap) is a full load."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
import redis

from tests.shared.board_writes import (
    board_requests,
    emulator_of,
    reader,
    webhook_receiver,
    write,
)
from trellolens.board import Board
from trellolens.board.changes import BoardChanges, changes_since, merge_changes
from trellolens.shared.board_cache import SharedBoardCache, cached_snapshot
from trellolens.shared.cache_token import CacheToken
from trellolens.shared.health import HEALTH
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing import TrelloEmulator, generate_export
from trellolens.testing.redis_server import RedisServer
from trellolens.webhooks.api import register_webhook

BOARD_ID = str(generate_export(lists=4, cards=12, actions=60, seed=17)["id"])
FP = CacheToken("0123456789ab", b"canary signing key of the test token")


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emulator = emulator_of(generate_export(lists=4, cards=12, actions=60, seed=17))
    with emulator.serve() as base_url:
        yield emulator, base_url


@pytest.fixture
def replicas(redis_server: RedisServer) -> Iterator[list[SharedBoardCache]]:
    """Three replicas' caches, each with its own pool on one server."""
    clients = [redis.Redis.from_url(redis_server.url) for _ in range(3)]
    yield [SharedBoardCache(client, 600) for client in clients]
    for client in clients:
        client.close()


def loader(base_url: str) -> Callable[[], Board]:
    def load() -> Board:
        with reader(base_url) as client:
            return client.board_snapshot(BOARD_ID)

    return load


def fetcher(base_url: str) -> Callable[[Board], BoardChanges | None]:
    def fetch(held: Board) -> BoardChanges | None:
        since = changes_since(held)
        if since is None:
            return None
        with reader(base_url) as client:
            return client.board_changes(BOARD_ID, since)

    return fetch


def change_the_board(base_url: str, held: Board) -> dict[str, str]:
    """Move a card, add one, archive one, rename a list; what was done, by id."""
    moved, archived = [card for card in held.cards if not card.closed][:2]
    target = next(lst.id for lst in held.lists if lst.id != moved.list_id)
    renamed = held.lists[0].id
    write(base_url, "PUT", f"cards/{moved.id}", idList=target)
    added = write(base_url, "POST", "cards", idList=renamed, name="Added by a test")
    write(base_url, "PUT", f"cards/{archived.id}", closed="true")
    write(base_url, "PUT", f"lists/{renamed}", name="Renamed by a test")
    return {"moved": moved.id, "to": target, "added": added["id"], "archived": archived.id}


def test_changes_merged_into_the_held_board_equal_a_full_load(
    served: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = served
    held = loader(base_url)()
    done = change_the_board(base_url, held)
    changes = fetcher(base_url)(held)
    assert changes is not None
    assert {a.type for a in changes.board.actions} >= {"createCard", "updateCard"}
    merged = merge_changes(held, changes)
    assert merged is not None
    whole = loader(base_url)()
    assert merged == whole  # lists, cards, labels... and the history, in order
    cards = merged.cards_by_id
    assert cards[done["moved"]].list_id == done["to"]
    assert cards[done["added"]].name == "Added by a test"
    assert cards[done["archived"]].closed
    assert merged.lists[0].name == "Renamed by a test"
    ids = [action.id for action in merged.actions]
    assert len(ids) == len(set(ids)) == len(held.actions) + 3  # move, add, archive; no repeats
    assert merged.history_complete == held.history_complete


def test_changes_that_do_not_fit_are_refused(served: tuple[TrelloEmulator, str]) -> None:
    _, base_url = served
    held = loader(base_url)()
    change_the_board(base_url, held)
    changes = fetcher(base_url)(held)
    assert changes is not None
    gap = replace(held, actions=held.actions[5:])  # its newest action is older: a gap between
    assert merge_changes(gap, changes) is None
    assert merge_changes(replace(held, id="5f" + "0" * 22), changes) is None  # another board
    assert changes_since(replace(held, actions=())) is None  # nothing to continue from
    capped = merge_changes(held, changes, max_actions=10)
    assert capped is not None
    assert len(capped.actions) == 10
    assert capped.history_complete is False


def test_too_many_new_actions_mean_a_full_load() -> None:
    emulator = emulator_of(generate_export(lists=4, cards=20, actions=1500, seed=18))
    board_id = emulator.board_ids[0]
    with emulator.serve() as base_url, reader(base_url) as client:
        whole = client.board_snapshot(board_id)
        old = replace(whole, actions=whole.actions[1200:])  # 1200 actions behind: > one page
        since = changes_since(old)
        assert since is not None
        assert client.board_changes(board_id, since) is None
        recent = changes_since(replace(whole, actions=whole.actions[10:]))
        assert recent is not None
        found = client.board_changes(board_id, recent)
        assert found is not None
        assert len(found.board.actions) == 11  # ten newer, and the newest held one again


def test_one_replica_refreshes_the_others_merge_without_asking_trello(
    served: tuple[TrelloEmulator, str], replicas: list[SharedBoardCache]
) -> None:
    emulator, base_url = served
    load, fetch = loader(base_url), fetcher(base_url)
    held = [cache.get_or_load(BOARD_ID, FP, "0", load) for cache in replicas]
    assert [cache.fetches for cache in replicas] == [1, 0, 0]
    done = change_the_board(base_url, held[0])
    emulator.reset()  # the request log from here on
    version = str(replicas[0].bump(BOARD_ID))
    boards = [
        cache.get_or_load(BOARD_ID, FP, version, load, board, fetch)
        for cache, board in zip(replicas, held, strict=True)
    ]
    assert board_requests(emulator, BOARD_ID) == (0, 1)  # one small request, no full load
    assert [(c.fetches, c.refreshes, c.merges) for c in replicas] == [
        (1, 1, 0),
        (0, 0, 1),
        (0, 0, 1),
    ]
    assert all(board.cards_by_id[done["moved"]].list_id == done["to"] for board in boards)
    assert boards[0] == boards[1] == boards[2] == load()
    # A replica that holds no board, or one with a gap, gets the whole board stored in the background:
    replicas[0].wait_stored()
    newcomer = SharedBoardCache(replicas[2].client, 600)
    assert newcomer.get_or_load(BOARD_ID, FP, version, load) == boards[0]
    gap = replace(held[1], actions=held[1].actions[3:])
    assert newcomer.get_or_load(BOARD_ID, FP, version, load, gap, fetch) == boards[0]
    assert (newcomer.fetches, newcomer.refreshes, newcomer.merges) == (0, 0, 0)
    assert board_requests(emulator, BOARD_ID) == (1, 1)  # the one load() above, for comparison


def test_one_webhook_is_one_refresh_shown_by_every_replica_within_two_seconds(
    served: tuple[TrelloEmulator, str], replicas: list[SharedBoardCache]
) -> None:
    emulator, base_url = served
    load, fetch = loader(base_url), fetcher(base_url)
    held = [cache.get_or_load(BOARD_ID, FP, cache.version(BOARD_ID), load) for cache in replicas]
    card = next(card for card in held[0].cards if not card.closed)
    target = next(lst.id for lst in held[0].lists if lst.id != card.list_id)
    shown: dict[int, float] = {}
    with webhook_receiver(replicas[0].bump) as callback:
        emulator.reset()
        with reader(base_url) as client:
            register_webhook(client, BOARD_ID, callback)
        moved_at = time.monotonic()

        def replica(number: int) -> None:  # reruns every 50 ms, as visitors' pages would
            cache, board = replicas[number], held[number]
            while time.monotonic() < moved_at + 10:
                version = cache.version(BOARD_ID)
                board = cache.get_or_load(BOARD_ID, FP, version, load, board, fetch)
                if board.cards_by_id[card.id].list_id == target:
                    shown[number] = time.monotonic() - moved_at
                    return
                time.sleep(0.05)

        threads = [threading.Thread(target=replica, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        write(base_url, "PUT", f"cards/{card.id}", idList=target)
        for thread in threads:
            thread.join(15)
        emulator.webhooks.wait_idle()
    assert sorted(shown) == [0, 1, 2], "a replica never showed the move"
    assert max(shown.values()) < 2.0, shown
    assert [(d.status, d.attempt) for d in emulator.webhooks.deliveries] == [(200, 1)]
    assert board_requests(emulator, BOARD_ID) == (0, 1)  # one small request for three replicas
    assert sum(cache.refreshes for cache in replicas) == 1


def test_a_gap_in_the_refreshing_replica_means_a_full_load(
    served: tuple[TrelloEmulator, str], replicas: list[SharedBoardCache]
) -> None:
    emulator, base_url = served
    load = loader(base_url)
    held = replicas[0].get_or_load(BOARD_ID, FP, "0", load)
    change_the_board(base_url, held)
    emulator.reset()
    empty = replace(held, actions=())
    board = replicas[0].get_or_load(BOARD_ID, FP, "1", load, empty, fetcher(base_url))
    assert board_requests(emulator, BOARD_ID) == (1, 0)
    assert (replicas[0].fetches, replicas[0].refreshes) == (2, 0)
    assert board == load()


def test_with_redis_down_a_refresh_still_shows_the_board(
    served: tuple[TrelloEmulator, str], redis_server: RedisServer
) -> None:
    _, base_url = served
    load, fetch = loader(base_url), fetcher(base_url)
    os.environ[REDIS_URL_VARIABLE] = redis_server.url
    held = cached_snapshot(BOARD_ID, FP, "0", load, 600, redis_url=redis_server.url)
    done = change_the_board(base_url, held)
    redis_server.stop()
    board = cached_snapshot(BOARD_ID, FP, "1", load, 600, held, fetch, redis_url=redis_server.url)
    assert board.cards_by_id[done["moved"]].list_id == done["to"]
    assert HEALTH.down
    redis_server.restart()
    HEALTH.reset()
    again = cached_snapshot(BOARD_ID, FP, "2", load, 600, board, fetch, redis_url=redis_server.url)
    assert again == load()
    assert not HEALTH.down
