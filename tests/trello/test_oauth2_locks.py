"""The refresh locks in this process: Redis taken and released, a held or missing Redis refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis import Redis

from tests.helpers.canaries import assert_no_canary
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.trello.oauth2_support import OAuth2Served, oauth2_served
from trellolens.credentials import Secret
from trellolens.errors import TrelloUnavailableError
from trellolens.testing.redis_server import RedisServer
from trellolens.trello.oauth2 import TokenManager
from trellolens.trello.oauth2_lock import RefreshLock, lock_file
from trellolens.trello.oauth2_store import MemoryStore

__all__ = ["oauth2_served"]


def test_a_refresh_takes_and_releases_the_redis_lock_and_stores_no_token_there(
    oauth2_served: OAuth2Served, redis_server: RedisServer, tmp_path: Path
) -> None:
    served = oauth2_served
    redis = Redis.from_url(redis_server.url)
    seen: list[dict[bytes | str, object]] = []
    manager = TokenManager(
        Secret(CLIENT_ID),
        Secret(CLIENT_SECRET),
        MemoryStore(Secret(served.refresh_token())),
        auth_base_url=served.auth_base,
        redis=redis,
        lock_folder=tmp_path,
        checkpoint=lambda step: seen.append({k: redis.get(k) for k in redis.keys("*")}),
    )
    manager.access_token()
    assert any(str(key).startswith("b'trellolens:oauth2:refresh-lock:") for key in seen[0])
    assert redis.keys("*") == []  # released
    values = " ".join(str(value) for step in seen for value in step.values())
    assert values  # the lock's holder id was seen while held
    oauth2 = served.emulator.oauth2
    for secret in (CLIENT_SECRET, *oauth2.access, *oauth2.refresh):
        assert secret not in values
    assert list(tmp_path.iterdir()) == [lock_file(manager.store.identity, tmp_path)]


def test_a_lock_held_elsewhere_too_long_is_one_line(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    redis = Redis.from_url(redis_server.url)
    lock = RefreshLock("file:/x:[trello]", redis, folder=tmp_path, wait=0.3)
    redis.set(lock.redis_key, "another replica", px=10_000)  # held on another machine
    refused = pytest.raises(TrelloUnavailableError, match="another replica has been refreshing")
    with refused, lock.held():
        pytest.fail("the lock was taken while another replica held it")
    assert redis.get(lock.redis_key) == b"another replica"  # not released by us


def test_without_redis_reachable_no_refresh_happens(
    oauth2_served: OAuth2Served, redis_server: RedisServer, tmp_path: Path
) -> None:
    served = oauth2_served
    redis = Redis.from_url(redis_server.url, socket_connect_timeout=0.5)
    redis_server.stop()
    manager = TokenManager(
        Secret(CLIENT_ID),
        Secret(CLIENT_SECRET),
        MemoryStore(Secret(served.refresh_token())),
        auth_base_url=served.auth_base,
        redis=redis,
        lock_folder=tmp_path,
    )
    with pytest.raises(TrelloUnavailableError, match="refusing to refresh without it") as raised:
        manager.access_token()
    assert served.emulator.oauth2.refreshes == 0
    assert "\n" not in str(raised.value)
    assert_no_canary(str(raised.value))
