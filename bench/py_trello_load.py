"""py-trello 0.20.1 loading a whole board: the peer of bench/fetch.py and bench/board_load.py.

Two ways, both loading what `trellolens fetch` loads (lists, cards open and archived with their
custom field values, checklists, labels, members, custom field definitions, and the card history:
the board's actions of the given types, newest first, all of them):

- ``board_level`` (the headline peer, as py-trello's own board methods and an expert use it):
  ``get_board``, ``list_lists("all")``, ``get_members``, ``all_cards()``, ``get_checklists()``,
  ``get_labels(limit=1000)``, ``get_custom_field_definitions()``, then ``fetch_actions(types,
  1000, before=oldest id)`` pages until a short one: 7 requests plus one per 1000 actions.
- ``per_card`` (a second row: what py-trello's object API invites): ``list_cards`` per list,
  ``fetch_checklists`` per card and ``Card.fetch_actions`` per card for its history; labels and
  custom field definitions board-level. About two requests per card: under Trello's real limit
  of 100 requests per 10 s per token it is refused long before a big board is loaded.

Run as a process (`python bench/py_trello_load.py MODE BASE_URL BOARD OUT KEY SECRET TOKEN TYPES`)
it imports only requests, py-trello and json, loads the board and saves it with ``json.dump``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import requests

from trello import TrelloClient

TRELLO_API = "https://api.trello.com/1"
PAGE = 1000


class Rewriting(requests.Session):
    """One pooled session whose requests go to ``base_url`` (py-trello has no base-URL setting)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        text = url.decode() if isinstance(url, bytes) else url
        return super().request(method, text.replace(TRELLO_API, self.base_url, 1), *args, **kwargs)


def client(base_url: str, key: str, secret: str, token: str) -> Any:
    return TrelloClient(key, secret, token, http_service=Rewriting(base_url))


def board_actions(board: Any, types: str) -> list[Any]:
    """Every action of ``types``, newest first, in pages of 1000 (py-trello's ``before=``)."""
    actions: list[Any] = []
    before = None
    while True:
        page = board.fetch_actions(types, action_limit=PAGE, before=before)
        actions.extend(page)
        if len(page) < PAGE:
            return actions
        before = page[-1]["id"]


def board_level(trello: Any, board_id: str, types: str) -> dict[str, Any]:
    board = trello.get_board(board_id)
    return {
        "board": board,
        "lists": board.list_lists("all"),
        "members": board.get_members(),
        "cards": board.all_cards(),
        "checklists": board.get_checklists(),
        "labels": board.get_labels(limit=1000),
        "customFields": board.get_custom_field_definitions(),
        "actions": board_actions(board, types),
    }


def per_card(trello: Any, board_id: str, types: str) -> dict[str, Any]:
    board = trello.get_board(board_id)
    lists = board.list_lists("all")
    cards = [card for trello_list in lists for card in trello_list.list_cards(card_filter="all")]
    return {
        "board": board,
        "lists": lists,
        "members": board.get_members(),
        "cards": cards,
        "checklists": [checklist for card in cards for checklist in card.fetch_checklists()],
        "labels": board.get_labels(limit=1000),
        "customFields": board.get_custom_field_definitions(),
        "actions": [a for card in cards for a in card.fetch_actions(types, action_limit=PAGE)],
    }


def counts(loaded: dict[str, Any]) -> dict[str, int]:
    return {name: len(value) for name, value in loaded.items() if name != "board"}


def saved(loaded: dict[str, Any]) -> dict[str, Any]:
    board = loaded["board"]
    return {
        "id": board.id,
        "name": board.name,
        "lists": [
            {"id": x.id, "name": x.name, "closed": x.closed, "pos": x.pos} for x in loaded["lists"]
        ],
        "members": [
            {"id": m.id, "fullName": m.full_name, "username": m.username} for m in loaded["members"]
        ],
        "cards": [
            {
                "id": c.id,
                "name": c.name,
                "idList": c.list_id,
                "closed": c.closed,
                "idLabels": c.idLabels,
                "idMembers": c.idMembers,
                "customFieldItems": [
                    {"id": f.id, "idCustomField": f.definition_id, "value": f._value}
                    for f in c.customFields
                ],
            }
            for c in loaded["cards"]
        ],
        "checklists": [
            {"id": c.id, "name": c.name, "checkItems": c.items} for c in loaded["checklists"]
        ],
        "labels": [{"id": x.id, "name": x.name, "color": x.color} for x in loaded["labels"]],
        "customFields": [{"id": f.id, "name": f.name} for f in loaded["customFields"]],
        "actions": loaded["actions"],
    }


def main() -> None:
    mode, base_url, board_id, out, key, secret, token, types = sys.argv[1:]
    load = {"board_level": board_level, "per_card": per_card}[mode]
    loaded = load(client(base_url, key, secret, token), board_id, types)
    with open(out, "w", encoding="utf-8") as file:
        json.dump(saved(loaded), file)
    print(json.dumps(counts(loaded)))


if __name__ == "__main__":
    main()
