"""Webhooks end to end: the emulator checks and signs, the receiver verifies, Redis carries the
change to every replica; forged, altered, misdirected, unsigned or stale deliveries change nothing."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.webhooks.support import CANARY_SECRET, WRITE_TOKEN, Setup, serving
from trellolens.credentials import Secret
from trellolens.errors import TrelloError
from trellolens.shared.board_cache import cached_snapshot
from trellolens.shared.cache_token import CacheToken
from trellolens.webhooks.api import delete_webhook, list_webhooks, register_webhook
from trellolens.webhooks.signature import webhook_signature

SECRET = Secret(CANARY_SECRET)
TOKEN = CacheToken(Secret(CANARY_TOKEN).fingerprint(), Secret(CANARY_TOKEN).derived_key(b"test"))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f'OAuth oauth_consumer_key="{CANARY_KEY}", oauth_token="{token}"'}


def move_a_card(setup: Setup) -> tuple[str, str]:
    with setup.client() as client:
        board = client.board_snapshot(setup.board_id)
    card = next(c for c in board.cards if not c.closed)
    target = next(lst.id for lst in board.lists if lst.id != card.list_id)
    answer = httpx.put(
        f"{setup.base_url}/cards/{card.id}", params={"idList": target}, headers=auth(WRITE_TOKEN)
    )
    assert answer.status_code == 200
    return card.id, target


def test_a_card_move_reaches_every_replica_within_two_seconds(setup: Setup) -> None:
    with setup.client() as client:
        hook = register_webhook(client, setup.board_id, setup.callback_url)
        assert [h.id for h in list_webhooks(client)] == [hook.id]
    assert setup.cache.version(setup.board_id) == "0"
    loaded = []

    def load() -> object:
        with setup.client() as client:
            board = client.board_snapshot(setup.board_id)
        loaded.append(board)
        return board

    version = setup.cache.version(setup.board_id)
    cached_snapshot(setup.board_id, TOKEN, version, load, 600, redis_url=None)  # type: ignore[arg-type]
    moved_at = time.monotonic()
    card_id, target = move_a_card(setup)
    while setup.cache.version(setup.board_id) == "0":
        assert time.monotonic() - moved_at < 2.0, "the change did not arrive within 2 s"
        time.sleep(0.02)
    # Any replica's next rerun sees the new version, so it loads the board again:
    version = setup.cache.version(setup.board_id)
    board = setup.cache.get_or_load(setup.board_id, TOKEN, version, load)  # type: ignore[arg-type]
    assert next(c for c in board.cards if c.id == card_id).list_id == target
    assert len(loaded) == 2
    deliveries = setup.emulator.webhooks.deliveries
    assert [(d.status, d.attempt) for d in deliveries] == [(200, 1)]


def delivery(setup: Setup, minutes_ago: float = 0) -> bytes:
    date = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    payload = {
        "action": {
            "id": "5f0000000000000000000001",
            "type": "updateCard",
            "date": date.isoformat().replace("+00:00", "Z"),
            "data": {"board": {"id": setup.board_id}},
        },
        "model": {"id": setup.board_id},
    }
    return json.dumps(payload).encode()


def post(setup: Setup, body: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Trello-Webhook"] = signature
    return httpx.post(setup.callback_url, content=body, headers=headers).status_code


@pytest.mark.parametrize(
    "forgery", ["wrong secret", "one byte changed", "other callback URL", "unsigned", "stale"]
)
def test_forged_or_stale_deliveries_are_refused_and_change_nothing(
    setup: Setup, forgery: str
) -> None:
    body = delivery(setup, minutes_ago=30 if forgery == "stale" else 0)
    signature: str | None = webhook_signature(SECRET, body, setup.callback_url)
    if forgery == "wrong secret":
        signature = webhook_signature(Secret("CANARY" + "0" * 48), body, setup.callback_url)
    elif forgery == "one byte changed":
        body = body.replace(b'"updateCard"', b'"updateCarD"')
    elif forgery == "other callback URL":
        signature = webhook_signature(SECRET, body, setup.callback_url + "x")
    elif forgery == "unsigned":
        signature = None
    status = post(setup, body, signature)
    assert status == (400 if forgery == "stale" else 401)
    assert setup.cache.version(setup.board_id) == "0"
    assert setup.redis.keys("*") == []


def test_a_genuine_delivery_counts_once_and_head_answers(setup: Setup) -> None:
    assert httpx.head(setup.callback_url).status_code == 200
    body = delivery(setup)
    signature = webhook_signature(SECRET, body, setup.callback_url)
    assert post(setup, body, signature) == 200
    assert post(setup, body, signature) == 200  # Trello's retry of the same action
    assert setup.cache.version(setup.board_id) == "1"


def test_registration_needs_a_callback_that_answers_head(setup: Setup) -> None:
    with setup.client() as client, pytest.raises(TrelloError):
        register_webhook(client, setup.board_id, "http://127.0.0.1:9/nothing-listens")
    assert setup.emulator.webhooks.hooks == {}


def test_the_emulator_retries_failed_deliveries_and_deletes_on_410(setup: Setup) -> None:
    answers = {"flaky": [500, 503, 200], "gone": [410]}

    async def endpoint(request: Request) -> PlainTextResponse:
        name = request.path_params["name"]
        if request.method == "HEAD":
            return PlainTextResponse("ok")
        return PlainTextResponse("", status_code=answers[name].pop(0))

    app = Starlette(routes=[Route("/{name}", endpoint, methods=["HEAD", "POST"])])
    with serving(app) as port, setup.client() as client:
        flaky = register_webhook(client, setup.board_id, f"http://127.0.0.1:{port}/flaky")
        gone = register_webhook(client, setup.board_id, f"http://127.0.0.1:{port}/gone")
        move_a_card(setup)
        time.sleep(0.05)
        setup.emulator.webhooks.wait_idle()
        attempts = {
            hook_id: [
                (d.status, d.attempt)
                for d in setup.emulator.webhooks.deliveries
                if d.webhook_id == hook_id
            ]
            for hook_id in (flaky.id, gone.id)
        }
        assert attempts[flaky.id] == [(500, 1), (503, 2), (200, 3)]
        assert attempts[gone.id] == [(410, 1)]
        assert [h.id for h in list_webhooks(client)] == [flaky.id]
        delete_webhook(client, flaky.id)
        assert list_webhooks(client) == []
    assert CANARY_TOKEN not in repr(setup.emulator.webhooks.hooks)
