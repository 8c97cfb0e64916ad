"""Webhooks: create (with Trello's HEAD check), list, read, delete. The changes the emulator applies,
delivered to the board's webhooks, are in ``routes_changes``."""

from __future__ import annotations

from typing import Any

from trellolens.testing.emulator.messages import NOT_FOUND, UNAUTHORIZED, ApiError
from trellolens.testing.emulator.params import check_id
from trellolens.testing.emulator.router import Context, route
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
