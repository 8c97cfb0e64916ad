"""Small hand-made boards for the metrics options, written as Trello exports and parsed.

Times are days after MONDAY (2024-01-01 00:00 UTC, a Monday), so answers can be worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from trellolens.board import Board, parse_board

MONDAY = datetime(2024, 1, 1, tzinfo=UTC)
LISTS = ("To Do", "Doing", "Blocked", "Review", "Done")
WORKFLOW = ("To Do", "Doing", "Review", "Done")  # "Blocked" sits outside the workflow


def at(day: float) -> datetime:
    return MONDAY + timedelta(days=day)


def iso(day: float) -> str:
    return at(day).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class CardPlan:
    name: str
    born: float
    moves: list[tuple[float, str]] = field(default_factory=list)
    labels: tuple[str, ...] = ()
    label_events: list[tuple[float, str, str]] = field(default_factory=list)  # day, add|remove
    fields: list[dict[str, Any]] = field(default_factory=list)
    closed: bool = False


@dataclass
class BoardPlan:
    cards: list[CardPlan] = field(default_factory=list)
    labels: tuple[str, ...] = ("Bug", "Feature", "Blocked")
    custom_fields: list[dict[str, Any]] = field(default_factory=list)

    def card(self, name: str, born: float, *moves: tuple[float, str], **more: Any) -> CardPlan:
        plan = CardPlan(name, born, list(moves), **more)
        self.cards.append(plan)
        return plan

    def build(self) -> Board:
        return parse_board(self.export(), "hand-made.json")

    def export(self) -> dict[str, Any]:
        list_ids = {
            name: f"{int(MONDAY.timestamp()) - 100:08x}{i:016x}" for i, name in enumerate(LISTS)
        }
        label_ids = {name: f"label-{name.lower()}" for name in self.labels}
        cards, actions = [], []
        for number, plan in enumerate(self.cards, start=1):
            card_id = f"{int(at(plan.born).timestamp()):08x}{number:016x}"
            ref = {"id": card_id, "name": plan.name}
            where = "To Do"
            events: list[tuple[float, dict[str, Any]]] = [
                (plan.born, {"type": "createCard", "data": {"card": ref, "list": _ref(list_ids, where)}})
            ]  # fmt: skip
            for day, target in plan.moves:
                data = {
                    "card": ref,
                    "listBefore": _ref(list_ids, where),
                    "listAfter": _ref(list_ids, target),
                }
                events.append((day, {"type": "updateCard", "data": data}))
                where = target
            for day, kind, label in plan.label_events:
                data = {
                    "card": ref,
                    "label": {"id": label_ids[label], "name": label, "color": "red"},
                }
                events.append((day, {"type": f"{kind}LabelToCard" if kind == "add" else "removeLabelFromCard", "data": data}))  # fmt: skip
            for step, (day, action) in enumerate(events):
                action_id = f"{int(at(day).timestamp()):08x}{number:08x}{step:08x}"
                actions.append({"id": action_id, "date": iso(day), **action})
            cards.append(
                {
                    "id": card_id,
                    "name": plan.name,
                    "idList": list_ids[where],
                    "closed": plan.closed,
                    "shortUrl": f"https://trello.com/c/card{number:04d}",
                    "idLabels": [label_ids[name] for name in plan.labels],
                    "dateLastActivity": iso(max(day for day, _ in events)),
                    "customFieldItems": plan.fields,
                }
            )
        actions.sort(key=lambda a: (a["date"], a["id"]), reverse=True)
        return {
            "id": "b" * 24,
            "name": "Hand-made",
            "lists": [{"id": list_ids[n], "name": n, "pos": i + 1} for i, n in enumerate(LISTS)],
            "labels": [{"id": label_ids[n], "name": n, "color": "red"} for n in self.labels],
            "cards": cards,
            "actions": actions,
            "customFields": self.custom_fields,
        }


def _ref(list_ids: dict[str, str], name: str) -> dict[str, str]:
    return {"id": list_ids[name], "name": name}


POINTS = {"id": "f-points", "name": "Story points", "type": "number", "pos": 1}
NOTE = {"id": "f-note", "name": "Note", "type": "text", "pos": 2}
KIND = {
    "id": "f-kind",
    "name": "Work type",
    "type": "list",
    "pos": 3,
    "options": [
        {"id": "o-failure", "value": {"text": "Failure demand"}, "pos": 1},
        {"id": "o-value", "value": {"text": "Value demand"}, "pos": 2},
    ],
}


def points(value: float) -> dict[str, Any]:
    return {"idCustomField": "f-points", "value": {"number": str(value)}}


def kind(option: str) -> dict[str, Any]:
    return {"idCustomField": "f-kind", "idValue": option}
