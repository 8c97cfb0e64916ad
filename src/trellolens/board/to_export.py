"""Write a ``Board`` back in Trello's export shape (for `trellolens fetch --out`, the emulator, tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from trellolens.board.custom_fields import custom_fields_to_export, values_to_export
from trellolens.board.model import Board


def _iso(value: datetime | None) -> str | None:
    """Trello's format (``2018-03-31T12:38:14.542Z``), keeping microseconds if there are any."""
    if value is None:
        return None
    timespec = "milliseconds" if value.microsecond % 1000 == 0 else "microseconds"
    return value.astimezone(UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


def board_to_export(board: Board) -> dict[str, Any]:
    """The board as a JSON-ready dict that ``parse_board`` reads back to an equal ``Board``."""
    return {
        "id": board.id,
        "name": board.name,
        "url": board.url,
        "closed": board.closed,
        "dateLastActivity": _iso(board.date_last_activity),
        "lists": [
            {
                "id": lst.id,
                "name": lst.name,
                "pos": lst.pos,
                "closed": lst.closed,
                "idBoard": board.id,
            }
            for lst in board.lists
        ],
        "labels": [{"id": lbl.id, "name": lbl.name, "color": lbl.color} for lbl in board.labels],
        "members": [
            {"id": m.id, "fullName": m.full_name, "username": m.username} for m in board.members
        ],
        "cards": _cards(board),
        "customFields": custom_fields_to_export(board.custom_fields),
        "checklists": _checklists(board),
        "actions": [
            {
                "id": action.id,
                "type": action.type,
                "date": _iso(action.date),
                "idMemberCreator": action.member_id,
                "data": dict(action.data),
            }
            for action in board.actions
        ],
    }


def _cards(board: Board) -> list[dict[str, Any]]:
    return [
        {
            "id": card.id,
            "name": card.name,
            "idList": card.list_id,
            "idBoard": board.id,
            "closed": card.closed,
            "pos": card.pos,
            "due": _iso(card.due),
            "dueComplete": card.due_complete,
            "start": _iso(card.start),
            "dateLastActivity": _iso(card.date_last_activity),
            "shortUrl": card.short_url,
            "idLabels": list(card.label_ids),
            "idMembers": list(card.member_ids),
            "idChecklists": list(card.checklist_ids),
            "customFieldItems": values_to_export(card.custom_field_values),
        }
        for card in board.cards
    ]


def _checklists(board: Board) -> list[dict[str, Any]]:
    return [
        {
            "id": cl.id,
            "name": cl.name,
            "idCard": cl.card_id,
            "pos": cl.pos,
            "checkItems": [
                {
                    "id": item.id,
                    "name": item.name,
                    "state": "complete" if item.complete else "incomplete",
                    "pos": item.pos,
                    "idChecklist": cl.id,
                }
                for item in cl.items
            ],
        }
        for cl in board.checklists
    ]
