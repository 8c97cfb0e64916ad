"""Shared canary credentials and clients for the emulator tests."""

from __future__ import annotations

import httpx

from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

KEY = "canary" + "0123456789abcdef" * 2
TOKEN = "ATTA" + "CANARY" * 10 + "0001"
WRITE_TOKEN = "ATTA" + "CANARY" * 10 + "0002"
BOARD = generate_board(lists=5, cards=60, actions=2500, checklists_per_card=0.5, seed=3)


def auth_header(key: str = KEY, token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f'OAuth oauth_consumer_key="{key}", oauth_token="{token}"'}


def make_emulator(**options: object) -> TrelloEmulator:
    defaults: dict[str, object] = {
        "boards": [BOARD],
        "key": KEY,
        "tokens": [TokenSpec(TOKEN), TokenSpec(WRITE_TOKEN, scopes=("read", "write"))],
    }
    defaults.update(options)
    return TrelloEmulator(**defaults)  # type: ignore[arg-type]


def client(emulator: TrelloEmulator, token: str = TOKEN) -> httpx.Client:
    return httpx.Client(
        transport=httpx.MockTransport(emulator.handler),
        base_url="https://api.trello.com/1",
        headers=auth_header(token=token),
    )
