"""Rate-limit windows in Redis: two processes with one token stay within Trello's real limits.

The emulator enforces Trello's documented windows (100 requests per token in 10 s). Two
processes asking 60 times each share the token's window through Redis: no 429 at all, and the
second batch waits for the window. The same two processes without Redis each believe they have
the window to themselves, and Trello refuses the overshoot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
import redis

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.helpers.redis_keys import text
from trellolens.credentials import Secret
from trellolens.shared.settings import REDIS_URL_VARIABLE
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.testing.redis_server import RedisServer

CALLS_PER_PROCESS = 60

WORKER = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
from trellolens.credentials import Secret
from trellolens.trello import TrelloClient
key, token, base_url, calls = json.loads(sys.stdin.readline())
client = TrelloClient(Secret(key), Secret(token), base_url=base_url)
print("ready", flush=True)
sys.stdin.readline()  # "go": both processes start asking at the same moment
with client:
    with ThreadPoolExecutor(16) as pool:  # sessions of one replica, asking at once
        list(pool.map(lambda _: client.token_info(), range(calls)))
    print(json.dumps({"sent": client.requests_sent}))
"""


def run_two_processes(
    base_url: str, redis_url: str | None, calls: int = CALLS_PER_PROCESS
) -> list[int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRELLO")}
    if redis_url is not None:
        env[REDIS_URL_VARIABLE] = redis_url
    payload = json.dumps([CANARY_KEY, CANARY_TOKEN, base_url, calls])
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:  # a barrier: each is ready before either starts
        assert worker.stdin is not None
        assert worker.stdout is not None
        worker.stdin.write(payload + "\n")
        worker.stdin.flush()
        assert worker.stdout.readline().strip() == "ready", worker.stderr
    sent = []
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
        assert CANARY_TOKEN not in out + err
        sent.append(json.loads(out.splitlines()[-1])["sent"])
    return sent


@pytest.fixture
def emulator() -> TrelloEmulator:
    return TrelloEmulator(key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])


def test_two_processes_share_the_token_window_through_redis(
    emulator: TrelloEmulator, redis_server: RedisServer
) -> None:
    with emulator.serve() as base_url:
        started = time.monotonic()
        sent = run_two_processes(base_url, redis_server.url)
        took = time.monotonic() - started
    statuses = [r.status for r in emulator.requests]
    assert sent == [CALLS_PER_PROCESS, CALLS_PER_PROCESS]  # no retry was needed
    assert statuses.count(200) == 2 * CALLS_PER_PROCESS
    assert 429 not in statuses
    assert took >= 10.0  # the 101st request waited for the shared window
    with redis.Redis.from_url(redis_server.url) as check:
        names = [name.decode() for name in check.keys("*")]
        assert names
        assert all(name.startswith("trellolens:rl:") for name in names)
        assert all(check.pttl(name) > 0 for name in names)
        token_fp = Secret(CANARY_TOKEN).fingerprint()
        assert any(token_fp in name for name in names)
        assert not any(CANARY_TOKEN in name or CANARY_KEY in name for name in names)


def test_without_redis_the_same_processes_overshoot(emulator: TrelloEmulator) -> None:
    # 90 each, started together: each admits by its own count, and what Trello's headers say
    # about the other arrives only after both have bursts in flight.
    with emulator.serve() as base_url:
        run_two_processes(base_url, None, calls=90)
    statuses = [r.status for r in emulator.requests]
    assert statuses.count(200) == 2 * 90
    assert statuses.count(429) > 0  # each process spent the window as if it were alone


def test_pauses_and_headers_reach_every_instance(redis_server: RedisServer) -> None:
    """A 429's pause and a response's x-rate-limit-* headers seen by one replica hold the other."""
    from trellolens.errors import RateLimitedError
    from trellolens.trello.rate_limit import RateLimiter, WindowRegistry
    from trellolens.trello.shared_rate_limit import SharedRateLimiter

    clients = [redis.Redis.from_url(redis_server.url) for _ in range(2)]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    def limiter(client: redis.Redis) -> SharedRateLimiter:
        local = RateLimiter("keyfp", "tokenfp", WindowRegistry())
        return SharedRateLimiter("keyfp", "tokenfp", client, local, sleep)

    first, second = limiter(clients[0]), limiter(clients[1])
    first.pause("token", 0.5)
    second.acquire(deadline=time.monotonic() + 10)
    assert 0.3 < sum(waits) < 1.0
    first.observe(
        {
            "x-rate-limit-api-token-max": "5",
            "x-rate-limit-api-token-interval-ms": "1000",
            "x-rate-limit-api-token-remaining": "0",
        }
    )
    waits.clear()
    second.acquire(deadline=time.monotonic() + 10)
    assert 0.8 < sum(waits) < 2.0  # the 1 s window Trello announced, plus the safety margin
    first.observe(  # a longer window: no pause of this machine outlasts it
        {"x-rate-limit-api-token-interval-ms": "30000", "x-rate-limit-api-token-remaining": "0"}
    )
    with pytest.raises(RateLimitedError) as refused:
        second.acquire(deadline=time.monotonic() + 0.1)
    assert "\n" not in str(refused.value)
    names = [text(name) for name in clients[0].keys("*")]
    assert names
    assert all(clients[0].pttl(name) > 0 for name in names)
    for client in clients:
        client.close()
