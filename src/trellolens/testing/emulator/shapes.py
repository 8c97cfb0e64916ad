"""A board export turned into the objects Trello's REST API returns, built once per board.

Exports (ours, Trello's, 2014-era ones) lack some fields the API always sends (``badges``, ``url``,
``idShort``, card ``labels``...); they are filled in with ``setdefault`` so nothing the export says
is changed and ``parse_board`` reads the served board back to the board that was seeded.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from trellolens.board import parse_board

#: Keys of an export that are nested collections, not board fields.
NESTED = frozenset(
    {"actions", "cards", "labels", "lists", "members", "checklists", "customFields", "pluginData"}
)
#: What ``GET /1/boards/{id}`` returns when ``fields`` is not given (Trello's documented default;
#: ``idEnterprise`` is not in it, and the emulator never makes that field up).
DEFAULT_BOARD_FIELDS = (
    "name",
    "desc",
    "descData",
    "closed",
    "idOrganization",
    "pinned",
    "url",
    "shortUrl",
    "prefs",
    "labelNames",
)
DEFAULT_MEMBER_FIELDS = ("avatarHash", "fullName", "initials", "username")


@dataclass
class BoardData:
    """One served board: Trello-shaped dicts plus indexes. Read-only once built."""

    id: str
    short_link: str
    fields: dict[str, Any]
    lists: list[dict[str, Any]]
    cards: list[dict[str, Any]]
    labels: list[dict[str, Any]]
    members: list[dict[str, Any]]
    checklists: list[dict[str, Any]]
    custom_fields: list[dict[str, Any]]
    custom_field_items: dict[str, list[Any]]
    actions: list[dict[str, Any]]
    access: set[str] = field(default_factory=set)
    derived_short_links: dict[str, str] = field(default_factory=dict)
    """Board and card ids whose ``shortLink`` the export lacked and the emulator made up."""
    cards_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    lists_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    checklists_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    checklists_by_card: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    action_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cards_by_id = {card["id"]: card for card in self.cards}
        self.lists_by_id = {lst["id"]: lst for lst in self.lists}
        self.checklists_by_id = {cl["id"]: cl for cl in self.checklists}
        for cl in self.checklists:
            self.checklists_by_card.setdefault(cl.get("idCard", ""), []).append(cl)
        self.action_index = {action["id"]: i for i, action in enumerate(self.actions)}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def id_time(object_id: str) -> datetime:
    try:
        return datetime.fromtimestamp(int(object_id[:8], 16), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return datetime(2011, 1, 1, tzinfo=UTC)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "card"


def select(obj: Mapping[str, Any], fields: Iterable[str] | None) -> dict[str, Any]:
    """``obj`` limited to ``fields`` (None: every field); ``id`` always comes along."""
    if fields is None:
        return dict(obj)
    chosen = {"id": obj.get("id")}
    for name in fields:
        if name in obj:
            chosen[name] = obj[name]
    return chosen


def _board_fields(export: Mapping[str, Any], short_link: str) -> dict[str, Any]:
    """The board's own fields (not its lists, cards...), with Trello's defaults for the missing."""
    fields = {key: value for key, value in export.items() if key not in NESTED}
    fields.setdefault("shortLink", short_link)
    fields.setdefault("shortUrl", f"https://trello.com/b/{short_link}")
    fields.setdefault("url", fields["shortUrl"])
    for key, default in (
        ("desc", ""),
        ("descData", None),
        ("closed", False),
        ("idOrganization", None),
        ("pinned", False),
        ("prefs", {"permissionLevel": "private"}),
        ("dateLastActivity", None),
    ):
        fields.setdefault(key, default)
    return fields


def build_board(export: Mapping[str, Any]) -> BoardData:
    board_id = str(export["id"])
    derived: dict[str, str] = {}
    short_link = str(export.get("shortLink") or "")
    if not short_link:
        short_link = derived[board_id] = board_id[-8:]
    fields = _board_fields(export, short_link)
    raw_labels = _dicts(export.get("labels"))
    if "labels" not in export:  # 2014-era export: the labels the cards name, as the parser does
        raw_labels = [
            {"name": lbl.name, "color": lbl.color} for lbl in parse_board(dict(export)).labels
        ]
    labels = [_label(raw, board_id) for raw in raw_labels]
    fields.setdefault(
        "labelNames", {lbl["color"]: lbl.get("name", "") for lbl in labels if lbl.get("color")}
    )
    checklists = [_checklist(raw, board_id) for raw in _dicts(export.get("checklists"))]
    actions = [dict(raw) for raw in _dicts(export.get("actions"))]
    members = [dict(raw) for raw in _dicts(export.get("members"))]
    _add_member_creators(actions, members)
    comments = Counter(
        (a.get("data") or {}).get("card", {}).get("id")
        for a in actions
        if a.get("type") == "commentCard"
    )
    by_card: dict[str, list[dict[str, Any]]] = {}
    for cl in checklists:
        by_card.setdefault(cl["idCard"], []).append(cl)
    labels_by_id = {lbl["id"]: lbl for lbl in labels}
    id_by_color = {lbl.get("color"): lbl["id"] for lbl in reversed(labels)}
    custom_items: dict[str, list[Any]] = {}
    cards = []
    for number, raw in enumerate(_dicts(export.get("cards")), start=1):
        card = _card(
            _with_label_ids(raw, id_by_color, board_id),
            board_id,
            number,
            labels_by_id,
            by_card,
            comments,
        )
        if not raw.get("shortLink") and not raw.get("shortUrl"):
            derived[card["id"]] = card["shortLink"]
        custom_items[card["id"]] = list(card.pop("customFieldItems", None) or [])
        cards.append(card)
    return BoardData(
        id=board_id,
        short_link=short_link,
        fields=fields,
        lists=[_list(raw, board_id) for raw in _dicts(export.get("lists"))],
        cards=cards,
        labels=labels,
        members=members,
        checklists=checklists,
        custom_fields=list(_dicts(export.get("customFields"))),
        custom_field_items=custom_items,
        actions=_newest_first(actions),
        derived_short_links=derived,
    )


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _newest_first(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trello lists actions newest first; exports already are, so the sort is stable on them."""
    return sorted(actions, key=lambda a: (str(a.get("date") or ""), str(a["id"])), reverse=True)


def _label(raw: Mapping[str, Any], board_id: str) -> dict[str, Any]:
    """A board label; an id-less 2014-era one gets a stable id made from its board and colour."""
    label = {"idBoard": board_id, "uses": 0, **raw}
    if not label.get("id"):
        label["id"] = made_up_label_id(board_id, label.get("color"))
    return label


def made_up_label_id(board_id: str, color: object) -> str:
    """A 24-hex id like Trello's (the board's creation time first), the same on every run."""
    created = board_id[:8] if re.fullmatch(r"[0-9a-f]{8}", board_id[:8]) else "00000000"
    digest = hashlib.sha256(f"{board_id}|label|{color}".encode()).hexdigest()
    return created + digest[:16]


def _with_label_ids(raw: Mapping[str, Any], labels: Mapping[object, str], board_id: str) -> Any:
    """The card with an id on every label (2014-era card labels have only colour and name)."""
    card_labels = _dicts(raw.get("labels"))
    if all(lbl.get("id") for lbl in card_labels):
        return raw
    named = [
        lbl
        if lbl.get("id")
        else {
            **lbl,
            "id": labels.get(lbl.get("color")) or made_up_label_id(board_id, lbl.get("color")),
        }
        for lbl in card_labels
    ]
    card = {**raw, "labels": named}
    if "idLabels" not in raw:
        card["idLabels"] = [lbl["id"] for lbl in named]
    return card


def _list(raw: Mapping[str, Any], board_id: str) -> dict[str, Any]:
    return {"closed": False, "idBoard": board_id, "subscribed": False, **raw}


def _checklist(raw: Mapping[str, Any], board_id: str) -> dict[str, Any]:
    checklist = {"idBoard": board_id, "pos": 0, **raw}
    checklist.setdefault("idCard", "")
    checklist["checkItems"] = [
        {"idChecklist": checklist["id"], "due": None, "idMember": None, **item}
        for item in _dicts(raw.get("checkItems"))
    ]
    return checklist


def _card(
    raw: Mapping[str, Any],
    board_id: str,
    number: int,
    labels_by_id: Mapping[str, Mapping[str, Any]],
    checklists_by_card: Mapping[str, list[dict[str, Any]]],
    comments: Mapping[str | None, int],
) -> dict[str, Any]:
    card = dict(raw)
    card_id = str(card["id"])
    own_checklists = checklists_by_card.get(card_id, [])
    if "idChecklists" not in card:
        card["idChecklists"] = [cl["id"] for cl in own_checklists]
    short_link = str(card.get("shortLink") or str(card.get("shortUrl") or card_id)[-8:])
    card.setdefault("shortLink", short_link)
    card.setdefault("shortUrl", f"https://trello.com/c/{short_link}")
    card.setdefault("idShort", number)
    card.setdefault("url", f"{card['shortUrl']}/{card['idShort']}-{slug(str(card['name']))}")
    card.setdefault("idBoard", board_id)
    if not card.get("dateLastActivity"):
        card["dateLastActivity"] = iso(id_time(card_id))
    for key, default in (
        ("desc", ""),
        ("closed", False),
        ("due", None),
        ("dueComplete", False),
        ("start", None),
        ("idMembers", []),
        ("idMembersVoted", []),
        ("idAttachmentCover", None),
        ("manualCoverAttachment", False),
        ("subscribed", False),
        ("pos", 0),
    ):
        card.setdefault(key, default)
    if "idLabels" not in card:
        card["idLabels"] = [lbl["id"] for lbl in _dicts(card.get("labels")) if "id" in lbl]
    if "labels" not in card:
        card["labels"] = [dict(labels_by_id[i]) for i in card["idLabels"] if i in labels_by_id]
    items = [item for cl in own_checklists for item in cl["checkItems"]]
    card.setdefault(
        "badges",
        {
            "votes": 0,
            "viewingMemberVoted": False,
            "subscribed": False,
            "fogbugz": "",
            "checkItems": len(items),
            "checkItemsChecked": sum(1 for item in items if item.get("state") == "complete"),
            "comments": comments.get(card_id, 0),
            "attachments": 0,
            "description": bool(card["desc"]),
            "due": card["due"],
            "dueComplete": card["dueComplete"],
        },
    )
    return card


def _add_member_creators(actions: list[dict[str, Any]], members: list[dict[str, Any]]) -> None:
    """Trello sends ``memberCreator`` with each action; exports from trellolens lack it."""
    known = {
        m["id"]: {"id": m["id"], **{k: m.get(k) for k in DEFAULT_MEMBER_FIELDS}}
        for m in members
        if "id" in m
    }
    for action in actions:
        creator = known.get(action.get("idMemberCreator") or "")
        if creator is not None and "memberCreator" not in action:
            action["memberCreator"] = creator
