"""Members, tokens, cards, lists and checklists."""

from __future__ import annotations

import hashlib
from typing import Any

from trellolens.testing.emulator.actions import select_actions
from trellolens.testing.emulator.messages import (
    CARD_NOT_FOUND,
    MODEL_NOT_FOUND,
    UNAUTHORIZED,
    ApiError,
)
from trellolens.testing.emulator.params import card_matches, choice, fields, flag, integer
from trellolens.testing.emulator.router import Context, route
from trellolens.testing.emulator.routes_boards import CARD_FILTERS, card_payloads
from trellolens.testing.emulator.shapes import iso, select
from trellolens.testing.emulator.state import TokenState

BOARD_FILTERS = ("all", "open", "closed", "members", "organization", "public", "starred", "pinned")
CARD_ACTIONS_DEFAULT = "commentCard,updateCard:idList"


def _member_id(ctx: Context, who: str) -> str:
    """``me``, the caller's id or username; other members' data is not served (401)."""
    me = ctx.state.members[ctx.caller.member_id]
    if who in ("me", me.id, me.username):
        return me.id
    with ctx.state.lock:
        known = any(who in (m.id, m.username) for m in ctx.state.members.values())
    raise ApiError(401, UNAUTHORIZED) if known else ApiError(404, MODEL_NOT_FOUND)


def _member_payload(ctx: Context, member_id: str) -> dict[str, Any]:
    member = ctx.state.members[member_id]
    payload = {
        **member.api(),
        "confirmed": True,
        "memberType": "normal",
        "idBoards": [b.id for b in ctx.state.boards_of(member_id)],
    }
    return select(payload, fields(ctx.query, "fields"))


@route("GET", "/1/members/{who}")
def get_member(ctx: Context, who: str) -> dict[str, Any]:
    return _member_payload(ctx, _member_id(ctx, who))


@route("GET", "/1/members/{who}/boards")
def member_boards(ctx: Context, who: str) -> list[dict[str, Any]]:
    member_id = _member_id(ctx, who)
    board_filter = choice(ctx.query, "filter", BOARD_FILTERS, "all")
    chosen = fields(ctx.query, "fields")
    out = []
    for board in ctx.state.boards_of(member_id):
        closed = bool(board.fields.get("closed"))
        if (board_filter == "open" and closed) or (board_filter == "closed" and not closed):
            continue
        if board_filter in ("starred", "pinned") and not board.fields.get(board_filter):
            continue
        out.append(select({"id": board.id, **board.fields}, chosen))
    return out


def _token(ctx: Context, token: str) -> TokenState:
    with ctx.state.lock:
        state = ctx.state.tokens.get(token)
    if state is None or state.revoked:
        raise ApiError(401, "invalid token")
    if state.member_id != ctx.caller.member_id:
        raise ApiError(401, UNAUTHORIZED)
    return state


def token_payload(state: TokenState) -> dict[str, Any]:
    scopes = state.spec.scopes
    write = "write" in scopes
    return {
        "id": hashlib.sha256(state.spec.token.encode()).hexdigest()[:24],
        "identifier": state.spec.identifier,
        "idMember": state.member_id,
        "dateCreated": iso(state.created),
        "dateExpires": iso(state.spec.expires) if state.spec.expires else None,
        "permissions": [
            {
                "idModel": state.member_id,
                "modelType": "Member",
                "read": True,
                "write": "account" in scopes,
            },
            {"idModel": "*", "modelType": "Board", "read": True, "write": write},
            {"idModel": "*", "modelType": "Organization", "read": True, "write": write},
        ],
    }


@route("GET", "/1/tokens/{token}")
def get_token(ctx: Context, token: str) -> dict[str, Any]:
    return select(token_payload(_token(ctx, token)), fields(ctx.query, "fields"))


@route("GET", "/1/tokens/{token}/member")
def token_member(ctx: Context, token: str) -> dict[str, Any]:
    return _member_payload(ctx, _token(ctx, token).member_id)


@route("DELETE", "/1/tokens/{token}")
def delete_token(ctx: Context, token: str) -> dict[str, Any]:
    _token(ctx, token)
    ctx.state.revoke(token)
    return {"_value": None}


@route("GET", "/1/cards/{card_id}")
def get_card(ctx: Context, card_id: str) -> dict[str, Any]:
    board = ctx.owner_of(ctx.state.card_board, card_id, CARD_NOT_FOUND)
    card = board.cards_by_id[card_id]
    payload = card_payloads(board, [card], ctx.query)[0]
    if ctx.query.get("actions", "none") != "none":
        payload["actions"] = _card_actions(ctx, card_id, prefix="actions_")
    if flag(ctx.query, "list"):
        payload["list"] = dict(board.lists_by_id.get(card.get("idList", ""), {}))
    if flag(ctx.query, "board"):
        payload["board"] = {"id": board.id, **board.fields}
    if flag(ctx.query, "members"):
        wanted = set(card.get("idMembers") or [])
        payload["members"] = [dict(m) for m in board.members if m.get("id") in wanted]
    return payload


def _card_actions(ctx: Context, card_id: str, prefix: str = "") -> list[dict[str, Any]]:
    board = ctx.owner_of(ctx.state.card_board, card_id, CARD_NOT_FOUND)
    mine = [
        a for a in board.actions if ((a.get("data") or {}).get("card") or {}).get("id") == card_id
    ]
    index = {a["id"]: i for i, a in enumerate(mine)}
    return select_actions(mine, index, ctx.query, prefix, default_filter=CARD_ACTIONS_DEFAULT)


@route("GET", "/1/cards/{card_id}/actions")
def card_actions(ctx: Context, card_id: str) -> list[dict[str, Any]]:
    return _card_actions(ctx, card_id)


@route("GET", "/1/cards/{card_id}/checklists")
def card_checklists(ctx: Context, card_id: str) -> list[dict[str, Any]]:
    board = ctx.owner_of(ctx.state.card_board, card_id, CARD_NOT_FOUND)
    chosen = fields(ctx.query, "fields")
    return [select(cl, chosen) for cl in board.checklists_by_card.get(card_id, [])]


@route("GET", "/1/lists/{list_id}")
def get_list(ctx: Context, list_id: str) -> dict[str, Any]:
    board = ctx.owner_of(ctx.state.list_board, list_id)
    return select(board.lists_by_id[list_id], fields(ctx.query, "fields"))


@route("GET", "/1/lists/{list_id}/cards")
def list_cards(ctx: Context, list_id: str) -> list[dict[str, Any]]:
    """Cards of a list in ``pos`` order; ``before``/``since`` compare card ids, as py-trello's
    ``list_cards_iter`` expects."""
    board = ctx.owner_of(ctx.state.list_board, list_id)
    card_filter = choice(ctx.query, "filter", CARD_FILTERS, "open")
    before = ctx.query.get("before", "").lower()
    since = ctx.query.get("since", "").lower()
    cards = [
        card
        for card in board.cards
        if card.get("idList") == list_id
        and card_matches(card, bool(board.lists_by_id[list_id].get("closed")), card_filter)
        and (not before or str(card["id"]).lower() < before)
        and (not since or str(card["id"]).lower() > since)
    ]
    if "limit" in ctx.query:
        cards = cards[: integer(ctx.query, "limit", 1000, 1, 1000)]
    return card_payloads(board, cards, ctx.query)


@route("GET", "/1/checklists/{checklist_id}")
def get_checklist(ctx: Context, checklist_id: str) -> dict[str, Any]:
    board = ctx.owner_of(ctx.state.checklist_board, checklist_id)
    checklist = select(board.checklists_by_id[checklist_id], fields(ctx.query, "fields"))
    if ctx.query.get("checkItems", "all") == "none":
        checklist.pop("checkItems", None)
    return checklist
