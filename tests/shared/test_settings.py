"""TRELLOLENS_REDIS_URL: checked in one line naming the setting, never echoing a password."""

from __future__ import annotations

import logging

import pytest

from trellolens.errors import SharedStateError
from trellolens.settings import Settings
from trellolens.shared.connection import key, redis_client, reset_clients
from trellolens.shared.settings import REDIS_URL_VARIABLE, check_redis_url, describe_redis_url

CANARY_PASSWORD = "ATTA" + "CANARY" * 6 + "REDISPW"


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "redis://localhost/1",
        f"redis://:{CANARY_PASSWORD}@redis.internal:6379/0",
        f"rediss://app:{CANARY_PASSWORD}@redis.example.com:6380/0",
    ],
)
def test_accepted_urls(url: str) -> None:
    assert check_redis_url(url) == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("redis://redis.internal:6379/0", "without a password"),
        ("rediss://app@redis.example.com:6380/0", "without a password"),
        ("http://127.0.0.1:6379", "redis:// or rediss://"),
        (f"redis://:{CANARY_PASSWORD}@host:notaport/0", "not a URL"),
        ("redis:///0", "with a host"),
    ],
)
def test_refused_urls_get_one_line_naming_the_setting(url: str, words: str) -> None:
    with pytest.raises(SharedStateError) as refused:
        check_redis_url(url)
    message = str(refused.value)
    assert REDIS_URL_VARIABLE in message
    assert words in message
    assert "\n" not in message
    assert CANARY_PASSWORD not in message


def test_a_described_url_never_holds_the_password() -> None:
    url = f"rediss://app:{CANARY_PASSWORD}@redis.example.com:6380/0"
    assert describe_redis_url(url) == "rediss://redis.example.com:6380/0"


def test_without_the_setting_there_is_no_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REDIS_URL_VARIABLE, raising=False)
    assert redis_client(Settings().redis_url) is None


def test_one_pool_per_process_and_namespaced_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REDIS_URL_VARIABLE, f"redis://:{CANARY_PASSWORD}@127.0.0.1:1/0")
    try:
        first = redis_client(Settings().redis_url)
        assert first is not None
        assert redis_client(Settings().redis_url) is first
        assert CANARY_PASSWORD not in repr(first)
    finally:
        reset_clients()
    assert key("rl", "token", "abc") == "trellolens:rl:token:abc"


def test_an_unreachable_redis_warns_once_without_the_password(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from trellolens.shared.health import HEALTH
    from trellolens.trello.rate_limit import RateLimiter, WindowRegistry
    from trellolens.trello.shared_rate_limit import SharedRateLimiter

    monkeypatch.setenv(REDIS_URL_VARIABLE, f"redis://:{CANARY_PASSWORD}@127.0.0.1:1/0")
    caplog.set_level(logging.DEBUG)
    try:
        client = redis_client(Settings().redis_url)
        assert client is not None
        local = RateLimiter("keyfp", "tokenfp", WindowRegistry())
        limiter = SharedRateLimiter("keyfp", "tokenfp", client, local)
        for _ in range(3):
            limiter.acquire(deadline=1e12)
        assert HEALTH.down
        notice = HEALTH.notice()
        assert notice is not None
        assert "TRELLOLENS_REDIS_URL" in notice
    finally:
        HEALTH.succeeded()
        reset_clients()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 2  # down once, back once
    assert all(CANARY_PASSWORD not in r.getMessage() for r in caplog.records)
