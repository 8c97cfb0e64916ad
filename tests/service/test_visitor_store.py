"""The visitor session store: signed cookies, sealed values, expiry; in memory and in a real
redis-server. What a security reviewer asks: can a cookie or a Redis value be forged, moved or
read, and does anything expire late?"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from trellolens.credentials import Secret
from trellolens.errors import TrelloUnavailableError
from trellolens.service.visitor_store import (
    PREFIX,
    MemorySessionStore,
    PendingSignIn,
    RedisSessionStore,
    SessionKeys,
    SessionStore,
    VisitorSession,
    digest,
    new_session_id,
)
from trellolens.testing.redis_server import RedisServer

SECRET = Secret("ATTACANARYCLIENTSECRET" + "7" * 20)
REFRESH = "ATTACANARYREFRESH" + "9" * 30
VERIFIER = "CANARYVERIFIER" + "v" * 40
KEYS = SessionKeys.from_secret(SECRET)


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def session(expires_in: float = 3600.0, refresh: str = REFRESH) -> VisitorSession:
    return VisitorSession(
        "member-a", "ann", ("read:board:trello",), Secret(refresh), time.time() + expires_in
    )


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[SessionStore]:
    if request.param == "memory":
        yield MemorySessionStore(KEYS)
        return
    from redis import Redis

    with RedisServer.start() as server:
        client = Redis.from_url(server.url)
        yield RedisSessionStore(KEYS, client)
        client.close()


def test_a_signed_cookie_names_its_session_and_nothing_else_does() -> None:
    session_id = new_session_id()
    cookie = KEYS.sign(session_id)
    assert KEYS.verify(cookie) == session_id
    identifier, _, signature = cookie.partition(".")
    other = SessionKeys.from_secret(Secret("another app's client secret"))
    for forged in (
        f"{identifier}.{'A' * len(signature)}",
        f"{new_session_id()}.{signature}",
        other.sign(session_id),  # a foreign app's cookie for the same id
        identifier,
        cookie + "x",
        "",
        None,
    ):
        assert KEYS.verify(forged) is None


def test_keys_and_sessions_never_show_a_value() -> None:
    shown = repr(KEYS) + repr(session()) + repr(PendingSignIn("browser-id", Secret(VERIFIER)))
    for value in (REFRESH, VERIFIER, "browser-id", SECRET.reveal()):
        assert value not in shown


def test_a_session_is_kept_rotated_and_deleted(store: SessionStore) -> None:
    session_id = new_session_id()
    assert store.get(session_id) is None
    store.put(session_id, session())
    found = store.get(session_id)
    assert found is not None
    assert found.refresh_token.reveal() == REFRESH
    assert found.member_id == "member-a"
    store.rotate(session_id, Secret("rotated"))
    rotated = store.get(session_id)
    assert rotated is not None
    assert rotated.refresh_token.reveal() == "rotated"
    assert rotated.expires_at == found.expires_at
    store.delete(session_id)
    assert store.get(session_id) is None
    store.rotate(session_id, Secret("late"))  # a refresh finishing after sign-out keeps nothing
    assert store.get(session_id) is None


def test_a_sign_in_in_flight_and_its_result_are_taken_once(store: SessionStore) -> None:
    store.hold("state-1", PendingSignIn("browser-1", Secret(VERIFIER), "http://127.0.0.1/cb"))
    taken = store.take_pending("state-1")
    assert taken is not None
    assert (taken.browser, taken.verifier.reveal(), taken.redirect_uri) == (
        "browser-1",
        VERIFIER,
        "http://127.0.0.1/cb",
    )
    assert store.take_pending("state-1") is None
    assert store.take_pending("forged") is None
    store.finish("state-1", "session-1")
    assert store.take_finished("state-1") == "session-1"
    assert store.take_finished("state-1") is None


def test_a_session_ends_when_it_expires(store: SessionStore) -> None:
    session_id = new_session_id()
    store.put(session_id, session(expires_in=0.2))
    assert store.get(session_id) is not None
    time.sleep(0.35)
    assert store.get(session_id) is None
    store.put(session_id, session(expires_in=-1))  # already over: never kept
    assert store.get(session_id) is None


def test_the_record_clock_ends_a_session_even_if_the_entry_lingers() -> None:
    clock = Clock()
    store = MemorySessionStore(KEYS, clock)
    session_id = new_session_id()
    store.put(session_id, VisitorSession("m", "u", (), Secret(REFRESH), clock.now + 60))
    clock.now += 61
    assert store.get(session_id) is None


def redis_store(server: RedisServer) -> tuple[RedisSessionStore, Any]:
    from redis import Redis

    client = Redis.from_url(server.url)
    return RedisSessionStore(KEYS, client), client


def test_redis_holds_only_ciphertext_under_hashed_names(redis_server: RedisServer) -> None:
    store, client = redis_store(redis_server)
    session_id = new_session_id()
    store.put(session_id, session())
    store.hold("state-canary", PendingSignIn("browser-canary", Secret(VERIFIER), "http://x"))
    store.finish("state-canary", session_id)
    dump = {key: client.get(key) for key in client.scan_iter("*")}
    assert set(dump) == {
        f"{PREFIX}session:{digest(session_id)}".encode(),
        f"{PREFIX}pending:{digest('state-canary')}".encode(),
        f"{PREFIX}finished:{digest('state-canary')}".encode(),
    }
    everything = b" ".join(key + value for key, value in dump.items())
    for value in (REFRESH, VERIFIER, session_id, "state-canary", "browser-canary", "member-a"):
        assert value.encode() not in everything
    ttl = client.pttl(f"{PREFIX}session:{digest(session_id)}")
    assert 3500_000 < ttl <= 3600_000  # Redis expires it with the session
    client.close()


def test_a_forged_or_swapped_redis_value_is_no_session(redis_server: RedisServer) -> None:
    store, client = redis_store(redis_server)
    mine, theirs = new_session_id(), new_session_id()
    store.put(mine, session(refresh="mine"))
    store.put(theirs, session(refresh="theirs"))
    mine_key, theirs_key = (f"{PREFIX}session:{digest(s)}" for s in (mine, theirs))
    client.set(mine_key, client.get(theirs_key))  # someone who can write Redis swaps them
    assert store.get(mine) is None
    client.set(mine_key, b'{"member": "attacker", "refresh": "x"}')
    assert store.get(mine) is None
    client.set(mine_key, b"short")
    assert store.get(mine) is None
    foreign = RedisSessionStore(SessionKeys.from_secret(Secret("another app")), client)
    assert foreign.get(theirs) is None  # another app's key cannot read it
    client.close()


def test_an_unreachable_redis_is_one_line_without_the_password(redis_server: RedisServer) -> None:
    store, client = redis_store(redis_server)
    redis_server.stop()
    with pytest.raises(TrelloUnavailableError) as caught:
        store.get(new_session_id())
    message = str(caught.value)
    assert "\n" not in message
    assert redis_server.password not in message
    assert "Redis" in message
    client.close()
