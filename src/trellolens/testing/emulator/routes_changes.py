"""The changes the emulator applies (write scope), each recorded as Trello records it and delivered
to the board's webhooks: ``PUT /1/cards/{id}`` (``idList`` moves, ``closed`` archives or restores,
``name`` renames), ``POST /1/cards`` (``idList``, ``name``) and ``PUT /1/lists/{id}`` (``name``)."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime
from typing import Any

from trellolens.testing.emulator.messages import CARD_NOT_FOUND, UNAUTHORIZED, ApiError
from trellolens.testing.emulator.params import flag, invalid
from trellolens.testing.emulator.router import Context, route
from trellolens.testing.emulator.shapes import BoardData, iso
from trellolens.testing.emulator.state import random_id

LIST_NOT_FOUND = "model not found"


def _writer(ctx: Context) -> None:
    if "write" not in ctx.caller.token_state.spec.scopes:
        raise ApiError(401, UNAUTHORIZED)


def _name(ctx: Context, required: bool = False) -> str | None:
    name = ctx.query.get("name")
    if name is None and not required:
        return None
    if name is None or not name.strip() or len(name) > 16384:
        raise invalid("name")
    return name


def _record(
    ctx: Context, board: BoardData, kind: str, data: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Record an action (newest first, under the state's lock) and return it."""
    member = ctx.state.members[ctx.caller.member_id]
    board_ref = {"id": board.id, "name": board.fields.get("name"), "shortLink": board.short_link}
    action = {
        "id": random_id(random.Random(), now),
        "idMemberCreator": member.id,
        "type": kind,
        "date": iso(now),
        "data": {**data, "board": board_ref},
        "memberCreator": member.api(),
    }
    board.actions.insert(0, action)
    board.action_index = {a["id"]: i for i, a in enumerate(board.actions)}
    board.fields["dateLastActivity"] = iso(now)
    return action


def _deliver(ctx: Context, board: BoardData, action: dict[str, Any]) -> None:
    board_ref = action["data"]["board"]
    ctx.state.webhooks.changed(board.id, {"action": action, "model": board_ref})


def _list_ref(board: BoardData, list_id: str) -> dict[str, Any]:
    found = board.lists_by_id.get(list_id)
    return {"id": list_id, "name": found["name"]} if found is not None else {"id": list_id}


@route("PUT", "/1/cards/{card_id}")
def update_card(ctx: Context, card_id: str) -> dict[str, Any]:
    """``idList`` moves the card, ``closed`` archives (or restores) it, ``name`` renames it: one
    ``updateCard`` action with the old values, as Trello records it."""
    _writer(ctx)
    board = ctx.owner_of(ctx.state.card_board, card_id, CARD_NOT_FOUND)
    target = ctx.query.get("idList")
    if target is not None and target not in board.lists_by_id:
        raise ApiError(400, "invalid value for idList")
    closed = flag(ctx.query, "closed") if "closed" in ctx.query else None
    name = _name(ctx)
    now = datetime.now(UTC)
    with ctx.state.lock:
        card = board.cards_by_id[card_id]
        old: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        if target is not None and target != card.get("idList"):
            before = card.get("idList", "")
            old["idList"], card["idList"] = before, target
            extra = {"listBefore": _list_ref(board, before), "listAfter": _list_ref(board, target)}
        if closed is not None and closed != bool(card.get("closed")):
            old["closed"], card["closed"] = bool(card.get("closed")), closed
        if name is not None and name != card.get("name"):
            old["name"], card["name"] = card.get("name"), name
        card["dateLastActivity"] = iso(now)
        changed = {"id": card_id, "name": card.get("name"), **{k: card[k] for k in old}}
        data: dict[str, Any] = {"card": changed, "old": old, **extra}
        if "idList" not in old:
            data["list"] = _list_ref(board, str(card.get("idList", "")))
        action = _record(ctx, board, "updateCard", data, now) if old else None
        answer = dict(card)
    if action is not None:
        _deliver(ctx, board, action)
    return answer


@route("POST", "/1/cards")
def create_card(ctx: Context) -> dict[str, Any]:
    """A new open card at the bottom of ``idList``, recorded as ``createCard``."""
    _writer(ctx)
    list_id = ctx.query.get("idList", "")
    with ctx.state.lock:
        board_id = ctx.state.list_board.get(list_id)
    if board_id is None:
        raise ApiError(400, "invalid value for idList")
    board = ctx.board(board_id)
    name = _name(ctx) or ""
    now = datetime.now(UTC)
    rng = random.Random()
    with ctx.state.lock:
        card_id = random_id(rng, now)
        short_link = "".join(rng.choices(string.ascii_letters + string.digits, k=8))
        in_list = [float(c.get("pos") or 0) for c in board.cards if c.get("idList") == list_id]
        card = {
            "id": card_id,
            "name": name,
            "idBoard": board.id,
            "idList": list_id,
            "closed": False,
            "pos": max(in_list, default=0.0) + 16384,
            "idShort": 1 + max((int(c.get("idShort") or 0) for c in board.cards), default=0),
            "shortLink": short_link,
            "shortUrl": f"https://trello.com/c/{short_link}",
            "url": f"https://trello.com/c/{short_link}",
            "dateLastActivity": iso(now),
            "desc": "",
            "due": None,
            "dueComplete": False,
            "start": None,
            "idLabels": [],
            "idMembers": [],
            "idChecklists": [],
        }
        board.cards.append(card)
        board.cards_by_id[card_id] = card
        ctx.state.card_board[card_id] = board.id
        ref = {"id": card_id, "name": name, "idShort": card["idShort"], "shortLink": short_link}
        action = _record(
            ctx, board, "createCard", {"card": ref, "list": _list_ref(board, list_id)}, now
        )
        answer = dict(card)
    _deliver(ctx, board, action)
    return answer


@route("PUT", "/1/lists/{list_id}")
def update_list(ctx: Context, list_id: str) -> dict[str, Any]:
    """``name`` renames the list, recorded as ``updateList`` with the old name."""
    _writer(ctx)
    board = ctx.owner_of(ctx.state.list_board, list_id, LIST_NOT_FOUND)
    name = _name(ctx)
    now = datetime.now(UTC)
    with ctx.state.lock:
        lst = board.lists_by_id[list_id]
        action = None
        if name is not None and name != lst.get("name"):
            old = lst.get("name")
            lst["name"] = name
            data = {"list": {"id": list_id, "name": name}, "old": {"name": old}}
            action = _record(ctx, board, "updateList", data, now)
        answer = dict(lst)
    if action is not None:
        _deliver(ctx, board, action)
    return answer
