"""A plain helper module (no fixtures): the emulator's writes over HTTP, canary credentials, and a
client that asks the emulator for a board, for the incremental refresh tests."""

from __future__ import annotations

from typing import Any

import httpx

from trellolens.credentials import Secret
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.trello import TrelloClient, WindowRegistry

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
