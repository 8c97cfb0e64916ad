"""The ``setup`` fixture: a receiver on a free port, the emulator over real HTTP, a real Redis."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import redis
import uvicorn

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.webhooks.support import CANARY_SECRET, EXPORT, WRITE_TOKEN, Setup
from trellolens.credentials import Secret
from trellolens.shared.board_cache import SharedBoardCache
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.testing.redis_server import RedisServer, free_port
from trellolens.webhooks.receiver import receiver_app


@pytest.fixture
def setup(redis_server: RedisServer) -> Iterator[Setup]:
    emulator = TrelloEmulator(
        boards=[EXPORT],
        key=CANARY_KEY,
        api_secret=CANARY_SECRET,
        tokens=[TokenSpec(CANARY_TOKEN), TokenSpec(WRITE_TOKEN, scopes=("read", "write"))],
    )
    client = redis.Redis.from_url(redis_server.url)
    cache = SharedBoardCache(client, 600)
    port = free_port()
    callback = f"http://127.0.0.1:{port}/trello/webhook"
    app = receiver_app(Secret(CANARY_SECRET), callback, cache.bump)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-receiver", daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        with emulator.serve() as base_url:
            yield Setup(emulator, base_url, client, cache, callback, EXPORT["id"])
    finally:
        server.should_exit = True
        thread.join(10)
        client.close()
