"""Shared by the webhook tests: the receiver served by uvicorn, the emulator, a real Redis."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis
import uvicorn
from starlette.types import ASGIApp

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from trellolens.credentials import Secret
from trellolens.shared.board_cache import SharedBoardCache
from trellolens.testing import TrelloEmulator, generate_export
from trellolens.testing.redis_server import free_port
from trellolens.trello import TrelloClient, WindowRegistry

WRITE_TOKEN = "ATTA" + "CANARY" * 10 + "WRT1"
CANARY_SECRET = "CANARY" + "5ec7e7" * 9
EXPORT = generate_export(lists=4, cards=12, actions=60, seed=31)


@contextmanager
def serving(app: ASGIApp) -> Iterator[int]:
    """Serve ``app`` with uvicorn on 127.0.0.1 in a thread; yields the port."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    until = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < until, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


@dataclass
class Setup:
    emulator: TrelloEmulator
    base_url: str
    redis: redis.Redis
    cache: SharedBoardCache
    callback_url: str
    board_id: str

    def client(self, token: str = CANARY_TOKEN) -> TrelloClient:
        return TrelloClient(
            Secret(CANARY_KEY), Secret(token), base_url=self.base_url, registry=WindowRegistry()
        )
