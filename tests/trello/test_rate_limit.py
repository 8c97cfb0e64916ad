"""The process-wide windows: shared by every client of a key or token, fed by Trello's headers."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.trello.mock_trello import make_client
from trellolens.errors import RateLimitedError
from trellolens.trello.rate_limit import SAFETY_SECONDS, RateLimiter, WindowRegistry


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def limiter(fake: FakeTime, registry: WindowRegistry, who: str = "fp") -> RateLimiter:
    return RateLimiter("key", who, registry, fake.sleep)


def test_a_token_sends_at_most_100_in_any_10_seconds(fake: FakeTime) -> None:
    registry = WindowRegistry(fake.clock)
    one = limiter(fake, registry)
    sent = []
    for _ in range(250):
        one.acquire(deadline=fake.now + 60)
        sent.append(fake.now)
    for index in range(len(sent) - 100):
        assert sent[index + 100] - sent[index] >= 10 + SAFETY_SECONDS


def test_sessions_with_the_same_token_share_its_window(fake: FakeTime) -> None:
    registry = WindowRegistry(fake.clock)
    first, second = limiter(fake, registry), limiter(fake, registry)
    for _ in range(60):
        first.acquire(fake.now + 60)
        second.acquire(fake.now + 60)
    assert fake.now >= 1010  # 120 requests: the second 20 waited for the shared window


def test_tokens_of_one_key_share_the_key_window(fake: FakeTime) -> None:
    registry = WindowRegistry(fake.clock)
    tokens = [limiter(fake, registry, who=f"t{i}") for i in range(4)]
    for _ in range(80):
        for each in tokens:
            each.acquire(fake.now + 60)
    assert fake.now >= 1010  # 320 requests with one key: over 300 in 10 s is not allowed


def test_headers_resize_the_window_and_count_requests_made_elsewhere(fake: FakeTime) -> None:
    registry = WindowRegistry(fake.clock)
    one = limiter(fake, registry)
    one.observe(
        {
            "x-rate-limit-api-token-interval-ms": "2000",
            "x-rate-limit-api-token-max": "10",
            "x-rate-limit-api-token-remaining": "3",
        }
    )
    for _ in range(3):
        one.acquire(fake.now + 60)
    assert fake.now == 1000  # three left, as Trello said
    one.acquire(fake.now + 60)
    assert fake.now == pytest.approx(1002 + SAFETY_SECONDS)


def test_a_pause_after_429_holds_every_session_of_the_token(fake: FakeTime) -> None:
    registry = WindowRegistry(fake.clock)
    first, second = limiter(fake, registry), limiter(fake, registry)
    first.pause("token", 3.0)
    second.acquire(fake.now + 60)
    assert fake.now == pytest.approx(1003)


def test_waiting_past_the_deadline_is_an_error_not_a_hang(fake: FakeTime) -> None:
    registry = WindowRegistry(fake.clock)
    one = limiter(fake, registry)
    one.pause("key", 30.0)
    with pytest.raises(RateLimitedError, match="try again in a minute"):
        one.acquire(deadline=fake.now + 5)
    assert fake.now == 1000


def test_clients_in_threads_stay_within_the_window() -> None:
    registry = WindowRegistry()
    stamps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        stamps.append(time.monotonic())
        return httpx.Response(200, json=[])

    clients = [make_client(handler, registry=registry) for _ in range(4)]
    window = registry.window("token", clients[0].token_fingerprint)
    window.max_requests, window.interval = 5, 0.2  # a small window, to keep the test short
    threads = [threading.Thread(target=c.boards) for c in clients for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stamps) == 16
    stamps.sort()
    for index in range(len(stamps) - 5):
        assert stamps[index + 5] - stamps[index] >= 0.2


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "1e400"])
def test_non_finite_rate_limit_headers_are_ignored(value: str) -> None:
    headers = {
        f"x-rate-limit-api-{scope}-{name}": value
        for scope in ("key", "token")
        for name in ("max", "remaining", "interval-ms")
    }
    registry = WindowRegistry()
    client = make_client(lambda _: httpx.Response(200, json=[], headers=headers), registry=registry)
    assert client.boards() == []
    window = registry.window("token", client.token_fingerprint)
    assert (window.max_requests, window.interval, window.count) == (100, 10.0, 1)


def test_a_huge_window_from_headers_is_clamped_and_stored_as_one_entry() -> None:
    headers = {
        "x-rate-limit-api-token-max": "1000000",
        "x-rate-limit-api-token-remaining": "0",
        "x-rate-limit-api-key-max": "-5",
    }
    registry = WindowRegistry()
    client = make_client(lambda _: httpx.Response(200, json=[], headers=headers), registry=registry)
    client.boards()
    token = registry.window("token", client.token_fingerprint)
    assert token.max_requests == 10_000
    assert token.count == 10_000
    assert len(token.sent) <= 2  # the request sent and the ones counted elsewhere
    assert registry.window("key", client.key_fingerprint).max_requests == 1
