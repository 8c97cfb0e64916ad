"""An emulator in its own process signs webhook deliveries with an API secret the receiver knows:
given with ``--api-secret``, or made up and printed; deliveries then pass the receiver's
signature check (what ``trellolens webhooks serve`` runs)."""

from __future__ import annotations

import time

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.helpers.canaries import CANARY_KEY
from tests.testing.test_emulator_cli import start
from tests.webhooks.support import CANARY_SECRET, WRITE_TOKEN, serving
from trellolens.credentials import Secret
from trellolens.webhooks.receiver import receiver_app


class Later:
    """An ASGI app set once the port (and so the callback URL) is known."""

    app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None
        await self.app(scope, receive, send)


def auth() -> dict[str, str]:
    return {
        "Authorization": f'OAuth oauth_consumer_key="{CANARY_KEY}", oauth_token="{WRITE_TOKEN}"'
    }


def move_a_card(base_url: str, board: str) -> None:
    cards = httpx.get(f"{base_url}/boards/{board}/cards", headers=auth(), timeout=10).json()
    lists = httpx.get(f"{base_url}/boards/{board}/lists", headers=auth(), timeout=10).json()
    card = cards[0]
    target = next(item["id"] for item in lists if item["id"] != card["idList"])
    url = f"{base_url}/cards/{card['id']}"
    assert httpx.put(url, params={"idList": target}, headers=auth(), timeout=10).status_code == 200


@pytest.mark.parametrize("given", [True, False], ids=["--api-secret", "made up and printed"])
def test_deliveries_of_an_emulator_process_pass_the_receivers_check(given: bool) -> None:
    args = ["--generate", "3,8,20", "--key", CANARY_KEY, "--token", f"{WRITE_TOKEN}:read,write"]
    process, lines = start(*args, *(["--api-secret", CANARY_SECRET] if given else []))
    printed = [line.split()[2] for line in lines if line.startswith("api secret: ")]
    try:
        assert bool(printed) is not given  # printed only when made up
        secret = CANARY_SECRET if given else printed[0]
        base_url = lines[-1].removeprefix("base URL: ")
        board = next(line.removeprefix("board: ") for line in lines if line.startswith("board: "))
        changed: list[str] = []
        later = Later()
        with serving(later) as port:
            callback = f"http://127.0.0.1:{port}/trello/webhook"
            later.app = receiver_app(Secret(secret), callback, changed.append)
            params = {"idModel": board, "callbackURL": callback}
            hook = httpx.post(f"{base_url}/webhooks", params=params, headers=auth(), timeout=10)
            assert hook.status_code == 200, hook.text
            move_a_card(base_url, board)
            until = time.monotonic() + 10
            while not changed and time.monotonic() < until:
                time.sleep(0.05)
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert changed == [board]  # signed with the secret the receiver holds: accepted
    assert CANARY_SECRET not in "\n".join(lines) + out  # a given secret is never echoed
