"""Every endpoint in handler mode (httpx.MockTransport): shapes, nesting, filters, paging."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.helpers.paths import HERMES_2014, SCRUM_2018
from tests.testing.emulator_support import BOARD, client, make_emulator
from trellolens.board import Board, load_board, parse_board
from trellolens.testing import TrelloEmulator, generate_board

WHOLE_BOARD = {
    "fields": "all",
    "lists": "all",
    "cards": "all",
    "labels": "all",
    "members": "all",
    "checklists": "all",
    "customFields": "true",
    "card_customFieldItems": "true",
    "actions": "all",
    "actions_limit": "1000",
}


@pytest.fixture(scope="module")
def emulator() -> TrelloEmulator:
    return make_emulator()


def get(emulator: TrelloEmulator, path: str, **params: Any) -> Any:
    response = client(emulator).get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("source", [SCRUM_2018, HERMES_2014, None], ids=["2018", "2014", "gen"])
def test_one_request_snapshot_reads_back_to_the_seeded_board(source: Any) -> None:
    seeded = generate_board(cards=40, actions=300, checklists_per_card=1.0, seed=8)
    if source is not None:
        if not source.exists():
            pytest.fail(f"missing fixture {source}")
        seeded = load_board(source)
    emulator = make_emulator(boards=[source or seeded])
    board = parse_board(get(emulator, f"/boards/{seeded.id}", **WHOLE_BOARD))
    if source == HERMES_2014:  # id-less 2014 labels: the parser names them by colour, Trello by id
        assert all(len(label.id) == 24 for label in board.labels)
        board = labels_named_by_colour(board)
    assert board.lists == seeded.lists
    assert board.cards == seeded.cards
    assert board.labels == seeded.labels
    assert board.checklists == seeded.checklists
    assert board.members == seeded.members
    assert board.actions == seeded.actions[:1000]
    assert (board.name, board.date_last_activity) == (seeded.name, seeded.date_last_activity)


def labels_named_by_colour(board: Board) -> Board:
    colour_id = {label.id: f"color:{label.color or 'none'}" for label in board.labels}
    return replace(
        board,
        labels=tuple(replace(label, id=colour_id[label.id]) for label in board.labels),
        cards=tuple(
            replace(card, label_ids=tuple(colour_id[i] for i in card.label_ids))
            for card in board.cards
        ),
    )


def test_board_default_fields_and_nothing_nested(emulator: TrelloEmulator) -> None:
    payload = get(emulator, f"/boards/{BOARD.id}")
    assert {"id", "name", "closed", "url", "shortUrl", "prefs", "labelNames"} <= set(payload)
    assert "dateLastActivity" not in payload  # not one of Trello's default board fields
    assert not {"lists", "cards", "actions"} & set(payload)
    assert set(get(emulator, f"/boards/{BOARD.id}", fields="name")) == {"id", "name"}


def test_nested_actions_cap_at_1000(emulator: TrelloEmulator) -> None:
    payload = get(emulator, f"/boards/{BOARD.id}", actions="all", actions_limit=1000)
    assert len(payload["actions"]) == 1000
    assert len(get(emulator, f"/boards/{BOARD.id}", actions="all")["actions"]) == 50
    response = client(emulator).get(f"/boards/{BOARD.id}", params={"actions_limit": 1001})
    assert (response.status_code, response.text) == (400, "invalid value for actions_limit")


def test_nested_filters_and_card_checklists(emulator: TrelloEmulator) -> None:
    payload = get(emulator, f"/boards/{BOARD.id}", cards="closed", card_checklists="all")
    assert payload["cards"]
    assert all(card["closed"] for card in payload["cards"])
    with_lists = [c for c in payload["cards"] if c["idChecklists"]]
    assert all(len(c["checklists"]) == len(c["idChecklists"]) for c in with_lists)
    opened = get(emulator, f"/boards/{BOARD.id}", cards="open", card_fields="name,idList")
    assert set(opened["cards"][0]) == {"id", "name", "idList"}


def test_actions_paged_with_before_until_exhausted(emulator: TrelloEmulator) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 1000}
    pages = 0
    while True:
        page = get(emulator, f"/boards/{BOARD.id}/actions", **params)
        pages += 1
        if not page:
            break
        seen += [action["id"] for action in page]
        params["before"] = page[-1]["id"]
    assert seen == [action.id for action in BOARD.actions]
    assert pages == 4  # 1000 + 1000 + 500 + an empty page


def test_actions_filters_since_dates_and_limits(emulator: TrelloEmulator) -> None:
    moves = get(emulator, f"/boards/{BOARD.id}/actions", filter="updateCard:idList", limit=1000)
    assert moves
    assert all(a["type"] == "updateCard" and "idList" in a["data"]["old"] for a in moves)
    created = get(emulator, f"/boards/{BOARD.id}/actions", filter="createCard", limit=1000)
    assert len(created) == 60
    newest = BOARD.actions[0]
    tenth = BOARD.actions[10]
    newer = get(emulator, f"/boards/{BOARD.id}/actions", since=tenth.id)
    assert [a["id"] for a in newer] == [a.id for a in BOARD.actions[:10]]
    by_date = get(emulator, f"/boards/{BOARD.id}/actions", before=newest.date.isoformat())
    assert newest.id not in {a["id"] for a in by_date}
    second = get(emulator, f"/boards/{BOARD.id}/actions", limit=5, page=1)
    assert [a["id"] for a in second] == [a.id for a in BOARD.actions[5:10]]
    for bad in ("1001", "-1", "many"):
        response = client(emulator).get(f"/boards/{BOARD.id}/actions", params={"limit": bad})
        assert (response.status_code, response.text) == (400, "invalid value for limit")


def test_board_sub_resources(emulator: TrelloEmulator) -> None:
    base = f"/boards/{BOARD.id}"
    assert [lst["id"] for lst in get(emulator, f"{base}/lists", filter="all")] == [
        lst.id for lst in BOARD.lists
    ]
    lists = get(emulator, f"{base}/lists", cards="open")
    assert sum(len(lst["cards"]) for lst in lists) == sum(1 for c in BOARD.cards if not c.closed)
    assert len(get(emulator, f"{base}/cards", filter="all")) == 60
    assert len(get(emulator, f"{base}/cards/all")) == 60
    assert all(not c["closed"] for c in get(emulator, f"{base}/cards/open"))
    one = BOARD.cards[0]
    assert get(emulator, f"{base}/cards/{one.id}")["name"] == one.name
    assert len(get(emulator, f"{base}/labels")) == len(BOARD.labels)
    assert {m["id"] for m in get(emulator, f"{base}/members")} == {m.id for m in BOARD.members}
    assert len(get(emulator, f"{base}/checklists")) == len(BOARD.checklists)
    assert get(emulator, f"{base}/customFields") == []
    assert get(emulator, f"{base}/dateLastActivity")["_value"].startswith("2024-06-28")
    short = get(emulator, f"/boards/{BOARD.id[-8:]}", fields="name")
    assert short["id"] == BOARD.id


def test_cards_lists_checklists(emulator: TrelloEmulator) -> None:
    card = next(c for c in BOARD.cards if c.checklist_ids)
    payload = get(emulator, f"/cards/{card.id}", checklists="all", customFieldItems="true")
    for key in ("badges", "labels", "idShort", "url", "shortUrl", "idBoard", "dueComplete"):
        assert key in payload  # what py-trello's Card.from_json reads
    assert [cl["id"] for cl in payload["checklists"]] == list(card.checklist_ids)
    assert payload["customFieldItems"] == []
    assert len(get(emulator, f"/cards/{card.id}/checklists")) == len(card.checklist_ids)
    history = get(emulator, f"/cards/{card.id}/actions", filter="all", limit=1000)
    assert {a["data"]["card"]["id"] for a in history} == {card.id}
    checklist = get(emulator, f"/checklists/{card.checklist_ids[0]}")
    assert checklist["idCard"] == card.id
    assert checklist["checkItems"]
    assert get(emulator, f"/lists/{card.list_id}")["idBoard"] == BOARD.id
    in_list = get(emulator, f"/lists/{card.list_id}/cards", filter="all")
    assert card.id in {c["id"] for c in in_list}
    first = get(emulator, f"/lists/{card.list_id}/cards", filter="all", limit=3)
    lowest = min(c["id"] for c in first)
    rest = get(emulator, f"/lists/{card.list_id}/cards", filter="all", before=lowest)
    assert all(c["id"] < lowest for c in rest)


def test_members_and_boards_of_me(emulator: TrelloEmulator) -> None:
    me = get(emulator, "/members/me")
    assert me["id"] == emulator.member_id
    assert me["idBoards"] == [BOARD.id]
    assert get(emulator, f"/members/{me['username']}")["id"] == me["id"]
    boards = get(emulator, "/members/me/boards/", filter="open", fields="name,url")
    assert boards == [{"id": BOARD.id, "name": BOARD.name, "url": BOARD.url}]
    assert get(emulator, "/members/me/boards", filter="closed") == []


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/boards/000000000000000000000000", 404, "The requested resource was not found."),
        ("/boards/not-an-id", 400, "invalid id"),
        ("/cards/000000000000000000000000", 404, "Could not find the card"),
        (f"/boards/{BOARD.id}/cards/000000000000000000000000", 404, "Could not find the card"),
        ("/lists/xyz", 400, "invalid id"),
        ("/nothing/here", 404, "The requested resource was not found."),
        ("/members/someoneelse", 404, "model not found"),
        (f"/members/{BOARD.members[0].id}", 401, "unauthorized permission requested"),
    ],
)
def test_not_found_and_bad_ids(emulator: TrelloEmulator, path: str, status: int, body: str) -> None:
    response = client(emulator).get(path)
    assert (response.status_code, response.text) == (status, body)
    assert response.headers["content-type"].startswith("text/plain")


def test_board_of_another_member_is_401() -> None:
    emulator = make_emulator()
    other = generate_board(cards=5, actions=10, seed=77)
    emulator.add_board_of(other, member_id="5f0000000000000000000001")
    response = client(emulator).get(f"/boards/{other.id}")
    assert (response.status_code, response.text) == (401, "unauthorized permission requested")
    assert other.id not in {b["id"] for b in client(emulator).get("/members/me/boards").json()}
    card = client(emulator).get(f"/cards/{other.cards[0].id}")
    assert card.status_code == 401
