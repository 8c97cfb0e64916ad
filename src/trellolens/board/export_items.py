"""One builder per kind of object in a Trello export: list, card, label, member, checklist, action.

Actions are the bulk of a large export, so they get a fast path that checks types inline and
hands anything unusual to the checked path, which either accepts it or names the JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from trellolens.board.action import EPOCH, ONE_US, data_bytes, new_action, to_us
from trellolens.board.custom_fields import card_values
from trellolens.board.json_reader import JsonReader
from trellolens.board.model import Action, Card, CheckItem, Checklist, Label, Member, TrelloList


def trello_list(read: JsonReader, value: object, path: str) -> TrelloList:
    item = read.obj(value, path)
    return TrelloList(
        id=read.text(item, "id", path),
        name=read.text(item, "name", path),
        pos=read.number(item, "pos", path),
        closed=read.flag(item, "closed", path),
    )


def card(read: JsonReader, value: object, path: str) -> Card:
    item = read.obj(value, path)
    label_ids = read.ids(item, "idLabels", path)
    if not label_ids:
        # 2014-era cards carry label objects (colour and name) and no idLabels.
        label_ids = tuple(
            card_label(read, raw, f"{path}.labels[{i}]").id
            for i, raw in enumerate(read.array(item, "labels", path))
        )
    return Card(
        id=read.text(item, "id", path),
        name=read.text(item, "name", path),
        list_id=read.text(item, "idList", path),
        closed=read.flag(item, "closed", path),
        pos=read.number(item, "pos", path),
        due=read.date(item, "due", path),
        due_complete=read.flag(item, "dueComplete", path),
        start=read.date(item, "start", path),
        date_last_activity=read.date(item, "dateLastActivity", path),
        short_url=read.optional_text(item, "shortUrl", path)
        or read.optional_text(item, "url", path)
        or "",
        label_ids=label_ids,
        member_ids=read.ids(item, "idMembers", path),
        checklist_ids=read.ids(item, "idChecklists", path),
        custom_field_values=card_values(read, item, path),
    )


def card_label(read: JsonReader, value: object, path: str) -> Label:
    """A label object; 2014-era ones have no id, so the colour names them (``color:green``)."""
    item = read.obj(value, path)
    color = read.optional_text(item, "color", path)
    label_id = read.optional_text(item, "id", path) or f"color:{color or 'none'}"
    return Label(id=label_id, name=read.optional_text(item, "name", path) or "", color=color)


def board_labels(read: JsonReader, payload: Mapping[str, Any]) -> tuple[Label, ...]:
    if payload.get("labels") is not None:
        return tuple(
            card_label(read, item, f"$.labels[{i}]")
            for i, item in enumerate(read.array(payload, "labels", "$"))
        )
    # No board-level labels (2014 era): collect them from the cards, named by the board's labelNames.
    found: dict[str, Label] = {}
    for i, raw_card in enumerate(read.array(payload, "cards", "$")):
        card_path = f"$.cards[{i}]"
        for j, raw in enumerate(read.array(read.obj(raw_card, card_path), "labels", card_path)):
            label = card_label(read, raw, f"{card_path}.labels[{j}]")
            found.setdefault(label.id, label)
    names = payload.get("labelNames")
    if isinstance(names, dict):
        for color, name in names.items():
            if isinstance(name, str) and name:
                found.setdefault(
                    f"color:{color}", Label(id=f"color:{color}", name=name, color=color)
                )
    return tuple(found.values())


def member(read: JsonReader, value: object, path: str) -> Member:
    item = read.obj(value, path)
    username = read.optional_text(item, "username", path) or ""
    return Member(
        id=read.text(item, "id", path),
        full_name=read.optional_text(item, "fullName", path) or username,
        username=username,
    )


def checklist(read: JsonReader, value: object, path: str) -> Checklist:
    item = read.obj(value, path)
    items: list[CheckItem] = []
    for i, raw in enumerate(read.array(item, "checkItems", path)):
        sub_path = f"{path}.checkItems[{i}]"
        check = read.obj(raw, sub_path)
        items.append(
            CheckItem(
                id=read.text(check, "id", sub_path),
                name=read.optional_text(check, "name", sub_path) or "",
                complete=read.optional_text(check, "state", sub_path) == "complete",
                pos=read.number(check, "pos", sub_path),
            )
        )
    return Checklist(
        id=read.text(item, "id", path),
        name=read.optional_text(item, "name", path) or "",
        card_id=read.text(item, "idCard", path),
        items=tuple(items),
        pos=read.number(item, "pos", path),
    )


def action(
    read: JsonReader, value: object, path: str, shared: dict[str, str] | None = None
) -> Action:
    """The checked path: the same result as ``fast_action``, or an error naming the JSON path."""
    item = read.obj(value, path)
    action_id = read.text(item, "id", path)
    action_type = read.text(item, "type", path)
    date = read.date(item, "date", path)
    if date is None:
        read.fail(f"{path}.date", "is missing")
    member_id = read.optional_text(item, "idMemberCreator", path)
    data_path = f"{path}.data"
    data_value = item.get("data")
    data = {} if data_value is None else read.obj(data_value, data_path)
    one = (shared if shared is not None else {}).setdefault
    card_id, list_id, before, after = (
        read.nested_id(data, key, data_path) for key in _NESTED_ID_KEYS
    )
    return new_action(
        action_id,
        one(action_type, action_type),
        to_us(date),
        None if member_id is None else one(member_id, member_id),
        data_bytes(data),
        None if card_id is None else one(card_id, card_id),
        None if list_id is None else one(list_id, list_id),
        None if before is None else one(before, before),
        None if after is None else one(after, after),
        _old_closed(data),
    )


def fast_action(item: object, shared: dict[str, str] | None = None) -> Action | None:
    """A well-formed action, built without paths; ``None`` sends the item to ``action``.

    A hundred thousand of these make up most of a large export, so the checks are inline. Ids and
    type names are taken from ``shared`` when there (one string per id for the whole board).
    """
    if type(item) is not dict:
        return None
    get = item.get
    action_id = get("id")
    action_type = get("type")
    raw_date = get("date")
    member_id = get("idMemberCreator")
    data = get("data")
    if (
        type(action_id) is not str
        or type(action_type) is not str
        or type(raw_date) is not str
        or (member_id is not None and type(member_id) is not str)
    ):
        return None
    if data is None:
        data = {}
    elif type(data) is not dict:
        return None
    try:
        date = _fromisoformat(raw_date)
    except ValueError:
        return None
    if date.tzinfo is not UTC:
        return None  # an offset or no zone: ``action`` converts or refuses it
    one = (shared if shared is not None else {}).setdefault
    ids: list[str | None] = []
    for key in _NESTED_ID_KEYS:
        value = data.get(key)
        if value is not None:
            if type(value) is not dict:
                return None
            value = value.get("id")
            if value is not None:
                if type(value) is not str:
                    return None
                value = one(value, value)
        ids.append(value)
    old = data.get("old")
    closed = old.get("closed") if type(old) is dict else None
    return new_action(
        action_id,
        one(action_type, action_type),
        (date - EPOCH) // ONE_US,
        None if member_id is None else one(member_id, member_id),
        data_bytes(data),
        ids[0],
        ids[1],
        ids[2],
        ids[3],
        closed if type(closed) is bool else None,
    )


_NESTED_ID_KEYS = ("card", "list", "listBefore", "listAfter")
_fromisoformat = datetime.fromisoformat


def _old_closed(data: Mapping[str, Any]) -> bool | None:
    old = data.get("old")
    closed = old.get("closed") if isinstance(old, dict) else None
    return closed if isinstance(closed, bool) else None
