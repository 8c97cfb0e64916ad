"""``/1/boards/{id}`` and its nested resources, with Trello's nesting parameters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from trellolens.testing.emulator.actions import select_actions
from trellolens.testing.emulator.messages import CARD_NOT_FOUND, ApiError
from trellolens.testing.emulator.params import (
    card_matches,
    check_id,
    choice,
    fields,
    flag,
    integer,
    invalid,
    list_matches,
)
from trellolens.testing.emulator.router import Context, route
from trellolens.testing.emulator.shapes import (
    DEFAULT_BOARD_FIELDS,
    DEFAULT_MEMBER_FIELDS,
    BoardData,
    select,
)

CARD_FILTERS = ("all", "open", "closed", "visible")
_CARD_ID = re.compile(r"[0-9a-f]{24}")
LIST_FILTERS = ("all", "open", "closed")


def card_payloads(
    board: BoardData,
    cards: Iterable[Mapping[str, Any]],
    query: Mapping[str, str],
    fields_param: str = "fields",
    checklists_param: str = "checklists",
    custom_param: str = "customFieldItems",
) -> list[dict[str, Any]]:
    """Cards with only the asked fields, plus nested checklists and custom field items if asked."""
    chosen = fields(query, fields_param)
    with_checklists = query.get(checklists_param, "none") == "all"
    with_custom = flag(query, custom_param)
    out = []
    for card in cards:
        item = select(card, chosen)
        if with_checklists:
            item["checklists"] = list(board.checklists_by_card.get(card["id"], []))
        if with_custom:
            item["customFieldItems"] = list(board.custom_field_items.get(card["id"], []))
        out.append(item)
    return out


def filtered_cards(board: BoardData, card_filter: str) -> list[dict[str, Any]]:
    closed_lists = {lst["id"] for lst in board.lists if lst.get("closed")}
    return [
        card
        for card in board.cards
        if card_matches(card, card.get("idList") in closed_lists, card_filter)
    ]


def paged_cards(cards: list[dict[str, Any]], query: Mapping[str, str]) -> list[dict[str, Any]]:
    """``before``/``since`` (card ids: older/newer than) and ``limit`` (the newest N, newest
    first), as Trello pages cards; without them, every card in board order."""
    before = query.get("before", "").lower()
    since = query.get("since", "").lower()
    for name, value in (("before", before), ("since", since)):
        if value and not _CARD_ID.fullmatch(value):
            raise invalid(name)
    chosen = [
        card
        for card in cards
        if (not before or str(card["id"]).lower() < before)
        and (not since or str(card["id"]).lower() > since)
    ]
    if "limit" in query:
        limit = integer(query, "limit", 1000, 1, 1000)
        chosen = sorted(chosen, key=lambda card: str(card["id"]).lower(), reverse=True)[:limit]
    return chosen


def member_payloads(board: BoardData, query: Mapping[str, str], name: str) -> list[dict[str, Any]]:
    chosen = fields(query, name, DEFAULT_MEMBER_FIELDS)
    return [select(member, chosen) for member in board.members]


@route("GET", "/1/boards/{board_id}")
def get_board(ctx: Context, board_id: str) -> dict[str, Any]:
    board = ctx.board(board_id)
    query = ctx.query
    payload = {
        "id": board.id,
        **select(board.fields, fields(query, "fields", DEFAULT_BOARD_FIELDS)),
    }
    list_filter = choice(query, "lists", ("none", *LIST_FILTERS), "none")
    if list_filter != "none":
        chosen = fields(query, "list_fields")
        payload["lists"] = [
            select(lst, chosen) for lst in board.lists if list_matches(lst, list_filter)
        ]
    card_filter = choice(query, "cards", ("none", *CARD_FILTERS), "none")
    if card_filter != "none":
        payload["cards"] = card_payloads(
            board,
            filtered_cards(board, card_filter),
            query,
            "card_fields",
            "card_checklists",
            "card_customFieldItems",
        )
    if choice(query, "labels", ("none", "all"), "none") == "all":
        limit = integer(query, "labels_limit", 50, 0, 1000)
        chosen = fields(query, "label_fields")
        payload["labels"] = [select(lbl, chosen) for lbl in board.labels[:limit]]
    if choice(query, "members", ("none", "all", "normal", "admins", "owners"), "none") != "none":
        payload["members"] = member_payloads(board, query, "member_fields")
    if choice(query, "checklists", ("none", "all"), "none") == "all":
        chosen = fields(query, "checklist_fields")
        payload["checklists"] = [select(cl, chosen) for cl in board.checklists]
    if flag(query, "customFields"):
        payload["customFields"] = list(board.custom_fields)
    integer(query, "actions_limit", 50, 0, 1000)  # checked even when no actions are asked for
    if query.get("actions", "none") != "none":
        payload["actions"] = select_actions(
            board.actions, board.action_index, query, prefix="actions_"
        )
    return payload


@route("GET", "/1/boards/{board_id}/actions")
def board_actions(ctx: Context, board_id: str) -> list[dict[str, Any]]:
    board = ctx.board(board_id)
    return select_actions(board.actions, board.action_index, ctx.query)


@route("GET", "/1/boards/{board_id}/lists")
def board_lists(ctx: Context, board_id: str) -> list[dict[str, Any]]:
    board = ctx.board(board_id)
    list_filter = choice(ctx.query, "filter", LIST_FILTERS, "open")
    card_filter = choice(ctx.query, "cards", ("none", *CARD_FILTERS), "none")
    chosen = fields(ctx.query, "fields")
    out = []
    for lst in board.lists:
        if not list_matches(lst, list_filter):
            continue
        item = select(lst, chosen)
        if card_filter != "none":
            cards = [
                c
                for c in board.cards
                if c.get("idList") == lst["id"] and card_matches(c, False, card_filter)
            ]
            item["cards"] = card_payloads(board, cards, ctx.query, "card_fields")
        out.append(item)
    return out


@route("GET", "/1/boards/{board_id}/cards")
def board_cards(ctx: Context, board_id: str) -> list[dict[str, Any]]:
    board = ctx.board(board_id)
    card_filter = choice(ctx.query, "filter", CARD_FILTERS, "visible")
    cards = paged_cards(filtered_cards(board, card_filter), ctx.query)
    return card_payloads(board, cards, ctx.query)


@route("GET", "/1/boards/{board_id}/cards/{which}")
def board_cards_filtered_or_one(ctx: Context, board_id: str, which: str) -> Any:
    """``/cards/open`` style filters, or ``/cards/{idCard}``."""
    board = ctx.board(board_id)
    if which in CARD_FILTERS:
        return card_payloads(board, paged_cards(filtered_cards(board, which), ctx.query), ctx.query)
    card = board.cards_by_id.get(check_id(which))
    if card is None:
        raise ApiError(404, CARD_NOT_FOUND)
    return card_payloads(board, [card], ctx.query)[0]


@route("GET", "/1/boards/{board_id}/labels")
def board_labels(ctx: Context, board_id: str) -> list[dict[str, Any]]:
    board = ctx.board(board_id)
    limit = integer(ctx.query, "limit", 50, 0, 1000)
    chosen = fields(ctx.query, "fields")
    return [select(lbl, chosen) for lbl in board.labels[:limit]]


@route("GET", "/1/boards/{board_id}/members")
def board_members(ctx: Context, board_id: str) -> list[dict[str, Any]]:
    return member_payloads(ctx.board(board_id), ctx.query, "fields")


@route("GET", "/1/boards/{board_id}/checklists")
def board_checklists(ctx: Context, board_id: str) -> list[dict[str, Any]]:
    board = ctx.board(board_id)
    chosen = fields(ctx.query, "fields")
    return [select(cl, chosen) for cl in board.checklists]


@route("GET", "/1/boards/{board_id}/customFields")
def board_custom_fields(ctx: Context, board_id: str) -> list[dict[str, Any]]:
    return list(ctx.board(board_id).custom_fields)


@route("GET", "/1/boards/{board_id}/dateLastActivity")
def board_last_activity(ctx: Context, board_id: str) -> dict[str, Any]:
    return {"_value": ctx.board(board_id).fields.get("dateLastActivity")}
