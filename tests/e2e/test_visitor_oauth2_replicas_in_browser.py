"""Two app replicas on one real redis-server: a visitor signed in on one is signed in on the
other, their single-use refresh token rotates without ever being presented twice, a sign-out on
one is a sign-out everywhere, and Redis holds only ciphertext under hashed names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.visitor_oauth2 import (
    ANN,
    ANN_BOARD,
    BEN,
    BEN_BOARD,
    VisitorApp,
    assert_clean,
    board_options,
    new_page,
    session_cookie,
    sign_in,
    signed_out,
    visitor_app,
)
from trellolens.service.visitor_store import digest
from trellolens.testing.redis_server import RedisServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def replicas(
    tmp_path_factory: pytest.TempPathFactory, redis_server: RedisServer
) -> Iterator[VisitorApp]:
    with visitor_app(tmp_path_factory, replicas=2, redis_url=redis_server.url) as served:
        served.redis = redis_server
        served.extra.append(redis_server.password)
        yield served


def redis_dump(app: VisitorApp) -> list[tuple[bytes, bytes]]:
    from redis import Redis

    client = Redis.from_url(app.redis.url)
    try:
        return [(key, client.dump(key) or b"") for key in client.scan_iter("*")]
    finally:
        client.close()


def session_id_of(context: Any) -> str:
    cookie = session_cookie(context)
    assert cookie is not None
    value: str = cookie["value"]
    return value.partition(".")[0]


def test_a_session_is_served_by_every_replica_and_signed_out_everywhere(
    browser: Any, replicas: VisitorApp
) -> None:
    one, two = replicas.urls
    ann = new_page(browser, one)
    sign_in(ann, ANN)
    elsewhere = new_page(browser, two, ann.context)  # the same browser, the other replica
    elsewhere.get_by_text("Your boards (1)").wait_for()
    assert board_options(elsewhere) == [ANN_BOARD.name]
    for page in (ann, elsewhere):
        page.reload()
        page.get_by_text("Your boards (1)").wait_for()
    # The other replica had no access token: it refreshed with the refresh token the first one
    # stored, under the Redis lock (tests/service/test_visitor_oauth2.py races them).
    assert replicas.emulator.oauth2.refreshes >= 1
    assert replicas.emulator.oauth2.reuse_detections == 0

    ben = new_page(browser, two)
    sign_in(ben, BEN)
    assert board_options(ben) == [BEN_BOARD.name]
    assert ANN_BOARD.name not in ben.content()

    dump = redis_dump(replicas)
    names = b" ".join(key for key, _ in dump)
    for context in (ann.context, ben.context):
        session_id = session_id_of(context)
        assert session_id.encode() not in names
        assert digest(session_id).encode() in names
    for secret in replicas.secrets():
        assert all(secret.encode() not in key + value for key, value in dump)
    assert all(b"username" not in value and b"member" not in value for _, value in dump)

    elsewhere.get_by_role("button", name="Sign out").click()
    elsewhere.get_by_text("Signed out: Trello revoked the sign-in.").wait_for()
    ann.reload()
    signed_out(ann)
    ben.reload()
    ben.get_by_role("button", name="Sign out").wait_for()  # another visitor is untouched
    for page in (ann, elsewhere, ben):
        assert_clean(page, replicas)


def test_an_expired_session_is_signed_out(browser: Any, replicas: VisitorApp) -> None:
    from redis import Redis

    ben = new_page(browser, replicas.urls[1])
    sign_in(ben, BEN)
    client = Redis.from_url(replicas.redis.url)
    try:
        key = f"trellolens:visitor:session:{digest(session_id_of(ben.context))}"
        assert client.pttl(key) > 6 * 86400 * 1000  # session_days: 7 by default
        client.pexpire(key, 1)
    finally:
        client.close()
    other = new_page(browser, replicas.urls[0], ben.context)
    signed_out(other)
    ben.reload()
    signed_out(ben)
    assert_clean(ben, replicas)
