"""The emulator's writes: each needs the write scope, changes the board and records one action as
Trello does, newest first, so ``since`` finds it; unknown lists are refused."""

from __future__ import annotations

from typing import Any

from tests.testing.emulator_support import BOARD, WRITE_TOKEN, client, make_emulator
from trellolens.testing import TrelloEmulator


def newest_actions(emulator: TrelloEmulator, count: int) -> list[dict[str, Any]]:
    with client(emulator) as reader:
        found: list[dict[str, Any]] = reader.get(
            f"/boards/{BOARD.id}/actions", params={"filter": "all", "limit": count}
        ).json()
    return found


def test_writes_need_the_write_scope() -> None:
    emulator = make_emulator()
    with client(emulator) as reader:
        refused = [
            reader.post("/cards", params={"idList": BOARD.lists[0].id, "name": "x"}),
            reader.put(f"/lists/{BOARD.lists[0].id}", params={"name": "x"}),
            reader.put(f"/cards/{BOARD.cards[0].id}", params={"closed": "true"}),
        ]
    assert [answer.status_code for answer in refused] == [401, 401, 401]


def test_archive_rename_create_and_rename_a_list_record_trellos_actions() -> None:
    emulator = make_emulator()
    card = next(card for card in BOARD.cards if not card.closed)
    first, second = BOARD.lists[0], BOARD.lists[1]
    with client(emulator, WRITE_TOKEN) as writer:
        archived = writer.put(f"/cards/{card.id}", params={"closed": "true", "name": "Gone"})
        created = writer.post("/cards", params={"idList": second.id, "name": "New card"})
        renamed = writer.put(f"/lists/{first.id}", params={"name": "Renamed"})
        unknown = writer.post("/cards", params={"idList": "5f" + "0" * 22, "name": "x"})
        blank = writer.put(f"/lists/{first.id}", params={"name": " "})
    assert archived.json()["closed"] is True
    assert archived.json()["name"] == "Gone"
    new = created.json()
    assert (new["idList"], new["name"], new["closed"]) == (second.id, "New card", False)
    assert renamed.json()["name"] == "Renamed"
    assert (unknown.status_code, blank.status_code) == (400, 400)
    update_list, create_card, update_card = newest_actions(emulator, 3)
    assert update_list["type"] == "updateList"
    assert update_list["data"]["old"] == {"name": first.name}
    assert create_card["type"] == "createCard"
    assert create_card["data"]["card"]["id"] == new["id"]
    assert create_card["data"]["list"] == {"id": second.id, "name": second.name}
    assert update_card["type"] == "updateCard"
    assert update_card["data"]["old"] == {"closed": False, "name": card.name}
    assert update_card["data"]["card"]["closed"] is True
    with client(emulator) as reader:
        since = reader.get(
            f"/boards/{BOARD.id}",
            params={"actions": "all", "actions_since": update_card["date"]},
        ).json()
        cards = reader.get(f"/boards/{BOARD.id}/cards", params={"filter": "all"}).json()
    assert new["id"] in {c["id"] for c in cards}
    assert {a["type"] for a in since["actions"]} <= {"updateList", "createCard"}
