"""A plain helper module (no fixtures): the emulator's writes over HTTP, canary credentials, and a
client that asks the emulator for a board, for the incremental refresh tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from trellolens.credentials import Secret
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.testing.redis_server import free_port
from trellolens.trello import TrelloClient, WindowRegistry
from trellolens.webhooks.receiver import receiver_app

KEY = "canary" + "0a1b2c3d" * 3 + "KEY7"
TOKEN = "ATTA" + "CANARY" * 10 + "TOK7"
WRITE_TOKEN = "ATTA" + "CANARY" * 10 + "WRT7"
API_SECRET = "CANARY" + "5ec7e7" * 9


def emulator_of(*boards: dict[str, Any]) -> TrelloEmulator:
    """The emulator with Trello's real limits, a read token and a write-scoped one."""
    tokens = [TokenSpec(TOKEN), TokenSpec(WRITE_TOKEN, scopes=("read", "write"))]
    return TrelloEmulator(boards=list(boards), key=KEY, tokens=tokens, api_secret=API_SECRET)


def reader(base_url: str) -> TrelloClient:
    """A client with its own rate-limit windows (not the process's)."""
    return TrelloClient(Secret(KEY), Secret(TOKEN), base_url=base_url, registry=WindowRegistry())


def write(base_url: str, method: str, path: str, **params: str) -> dict[str, Any]:
    """One write to the emulator with the write-scoped token; its JSON answer."""
    auth = f'OAuth oauth_consumer_key="{KEY}", oauth_token="{WRITE_TOKEN}"'
    answer = httpx.request(
        method, f"{base_url}/{path}", params=params, headers={"Authorization": auth}
    )
    answer.raise_for_status()
    payload: dict[str, Any] = answer.json()
    return payload


def board_requests(emulator: TrelloEmulator, board_id: str) -> tuple[int, int]:
    """(full loads, incremental refreshes) of the board Trello has seen: requests for the board
    with ``actions_since`` are refreshes, the others (and its /actions pages) full loads."""
    full = refresh = 0
    for request in emulator.requests:
        if request.path == f"/1/boards/{board_id}":
            if "actions_since" in request.query:
                refresh += 1
            else:
                full += 1
    return full, refresh


@contextmanager
def webhook_receiver(on_change: Callable[[str], object]) -> Iterator[str]:
    """``trellolens webhooks serve``'s app, served by uvicorn in a thread; yields its callback URL."""
    port = free_port()
    callback = f"http://127.0.0.1:{port}/trello/webhook"

    def changed(board_id: str) -> None:
        on_change(board_id)

    app = receiver_app(Secret(API_SECRET), callback, changed)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-receiver", daemon=True)
    thread.start()
    until = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < until, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield callback
    finally:
        server.should_exit = True
        thread.join(10)
