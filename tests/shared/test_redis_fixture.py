"""The redis_server fixture: a real server that wants its password and is gone afterwards."""

from __future__ import annotations

import redis

from trellolens.testing.redis_server import RedisServer


def test_the_server_requires_its_password(redis_server: RedisServer) -> None:
    with redis.Redis(host="127.0.0.1", port=redis_server.port) as anonymous:
        try:
            anonymous.ping()
        except redis.AuthenticationError:
            pass
        else:
            raise AssertionError("redis-server answered without a password")
    with redis.Redis.from_url(redis_server.url) as client:
        assert client.ping() is True
        assert client.config_get("save") == {"save": ""}
        assert client.config_get("appendonly") == {"appendonly": "no"}


def test_stop_and_restart_on_the_same_port(redis_server: RedisServer) -> None:
    port = redis_server.port
    redis_server.stop()
    assert not redis_server.running
    redis_server.restart()
    assert redis_server.port == port
    with redis.Redis.from_url(redis_server.url) as client:
        assert client.ping() is True
