"""Webhooks (create with Trello's HEAD check, list, read, delete) and the one change the emulator
applies, moving a card to another list, which is delivered to the board's webhooks."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from trellolens.testing.emulator.messages import CARD_NOT_FOUND, NOT_FOUND, UNAUTHORIZED, ApiError
from trellolens.testing.emulator.params import check_id
from trellolens.testing.emulator.router import Context, route
from trellolens.testing.emulator.shapes import iso
from trellolens.testing.emulator.state import random_id
from trellolens.testing.emulator.webhooks import Webhook

CALLBACK_REFUSED = "URL (callbackURL) did not return 200 status code in response to HEAD request"


def _own_hook(ctx: Context, hook_id: str) -> Webhook:
    with ctx.state.webhooks.lock:
        hook = ctx.state.webhooks.hooks.get(check_id(hook_id))
    if hook is None:
        raise ApiError(404, NOT_FOUND)
    if hook.token != ctx.caller.token:
        raise ApiError(401, UNAUTHORIZED)
    return hook


@route("POST", "/1/webhooks")
def create_webhook(ctx: Context) -> dict[str, Any]:
    callback = ctx.query.get("callbackURL", "")
    if not callback.startswith(("https://", "http://")):
        raise ApiError(400, "invalid value for callbackURL")
    board = ctx.board(ctx.query.get("idModel", ""))  # read access is all a webhook needs
    if not ctx.state.webhooks.check_callback(callback):
        raise ApiError(400, CALLBACK_REFUSED)
    description = ctx.query.get("description", "")
    return ctx.state.webhooks.add(ctx.caller.token, board.id, callback, description).api()


@route("GET", "/1/tokens/{token}/webhooks")
def token_webhooks(ctx: Context, token: str) -> list[dict[str, Any]]:
    if token != ctx.caller.token:
        raise ApiError(401, UNAUTHORIZED)
    return [hook.api() for hook in ctx.state.webhooks.of_token(token)]


@route("GET", "/1/webhooks/{hook_id}")
def get_webhook(ctx: Context, hook_id: str) -> dict[str, Any]:
    return _own_hook(ctx, hook_id).api()


@route("DELETE", "/1/webhooks/{hook_id}")
def delete_webhook(ctx: Context, hook_id: str) -> dict[str, Any]:
    ctx.state.webhooks.remove(_own_hook(ctx, hook_id).id)
    return {"_value": None}


@route("PUT", "/1/cards/{card_id}")
def move_card(ctx: Context, card_id: str) -> dict[str, Any]:
    """``?idList=``: move the card (needs the write scope); the board's webhooks hear of it."""
    if "write" not in ctx.caller.token_state.spec.scopes:
        raise ApiError(401, UNAUTHORIZED)
    board = ctx.owner_of(ctx.state.card_board, card_id, CARD_NOT_FOUND)
    target = ctx.query.get("idList", "")
    if target not in board.lists_by_id:
        raise ApiError(400, "invalid value for idList")
    now = datetime.now(UTC)
    member = ctx.state.members[ctx.caller.member_id]
    board_ref = {"id": board.id, "name": board.fields.get("name"), "shortLink": board.short_link}
    with ctx.state.lock:
        card = board.cards_by_id[card_id]
        before = card.get("idList", "")
        card["idList"] = target
        card["dateLastActivity"] = iso(now)
        action = {
            "id": random_id(random.Random(), now),
            "idMemberCreator": member.id,
            "type": "updateCard",
            "date": iso(now),
            "data": {
                "card": {"id": card_id, "name": card.get("name"), "idList": target},
                "old": {"idList": before},
                "listBefore": {"id": before, "name": board.lists_by_id[before]["name"]}
                if before in board.lists_by_id
                else {"id": before},
                "listAfter": {"id": target, "name": board.lists_by_id[target]["name"]},
                "board": board_ref,
            },
            "memberCreator": member.api(),
        }
        board.actions.insert(0, action)
        board.action_index = {a["id"]: i for i, a in enumerate(board.actions)}
        moved = dict(card)
    ctx.state.webhooks.changed(board.id, {"action": action, "model": board_ref})
    return moved
