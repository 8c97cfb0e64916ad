"""The parser on both real exports: counts and the fields the metrics need, checked against the JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.board.exports import export_json
from trellolens.board import Board, demo_board, load_board, parse_board, parse_board_bytes
from trellolens.board.json_reader import POS_BOTTOM, POS_TOP


def _utc(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("fixture", "lists", "closed_lists", "cards", "actions"),
    [("scrum_export", 7, 0, 81, 753), ("hermes_export", 11, 3, 55, 391)],
)
def test_counts_match_the_readme_and_the_file(
    fixture: str,
    lists: int,
    closed_lists: int,
    cards: int,
    actions: int,
    request: pytest.FixtureRequest,
) -> None:
    path: Path = request.getfixturevalue(fixture)
    raw = export_json(path)
    board = load_board(path)

    assert (len(board.lists), len(board.cards), len(board.actions)) == (lists, cards, actions)
    assert sum(lst.closed for lst in board.lists) == closed_lists
    assert len(board.lists) == len(raw["lists"])
    assert len(board.cards) == len(raw["cards"])
    assert len(board.members) == len(raw["members"])
    assert len(board.checklists) == len(raw.get("checklists") or [])
    assert len(board.actions) == len(raw["actions"])
    assert board.id == raw["id"]
    assert board.name == raw["name"]


def test_scrum_labels_are_the_board_labels(scrum_export: Path) -> None:
    raw = export_json(scrum_export)
    board = load_board(scrum_export)
    assert len(board.labels) == len(raw["labels"]) == 6
    assert {(lbl.id, lbl.name, lbl.color) for lbl in board.labels} == {
        (lbl["id"], lbl["name"], lbl["color"]) for lbl in raw["labels"]
    }
    assert len(board.checklists) == 11
    assert len(board.members) == 3


def test_hermes_labels_come_from_cards_and_label_names(hermes_export: Path) -> None:
    raw = export_json(hermes_export)
    assert "labels" not in raw
    board = load_board(hermes_export)

    used = {(lbl["color"], lbl["name"]) for card in raw["cards"] for lbl in card["labels"]}
    named = {(color, name) for color, name in raw["labelNames"].items() if name}
    expected = {(f"color:{color}", name, color) for color, name in used | named}
    assert {(lbl.id, lbl.name, lbl.color) for lbl in board.labels} == expected
    assert board.labels_by_id["color:green"].name == "Client"
    assert len(board.members) == 4
    assert board.checklists == ()

    card = board.cards_by_id["51a62a09f59c936334004626"]
    assert card.label_ids == ("color:green", "color:yellow")
    for raw_card in raw["cards"]:
        ids = tuple(f"color:{lbl['color']}" for lbl in raw_card["labels"])
        assert board.cards_by_id[raw_card["id"]].label_ids == ids


@pytest.mark.parametrize("fixture", ["scrum_export", "hermes_export"])
def test_every_list_card_and_action_keeps_its_fields(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    path: Path = request.getfixturevalue(fixture)
    raw = export_json(path)
    board = load_board(path)

    for lst, raw_list in zip(board.lists, raw["lists"], strict=True):
        assert (lst.id, lst.name, lst.pos, lst.closed) == (
            raw_list["id"],
            raw_list["name"],
            raw_list["pos"],
            raw_list["closed"],
        )
    for card, raw_card in zip(board.cards, raw["cards"], strict=True):
        _assert_card(card, raw_card)
    for action, raw_action in zip(board.actions, raw["actions"], strict=True):
        _assert_action(action, raw_action)
    for member, raw_member in zip(board.members, raw["members"], strict=True):
        assert (member.id, member.full_name, member.username) == (
            raw_member["id"],
            raw_member["fullName"],
            raw_member["username"],
        )


def _assert_card(card: Any, raw: dict[str, Any]) -> None:
    assert card.id == raw["id"]
    assert card.name == raw["name"]
    assert card.list_id == raw["idList"]
    assert card.closed is raw["closed"]
    assert card.pos == raw["pos"]
    assert card.due == _utc(raw.get("due"))
    assert card.due_complete is bool(raw.get("dueComplete"))
    assert card.start == _utc(raw.get("start"))
    assert card.date_last_activity == _utc(raw["dateLastActivity"])
    assert card.short_url == raw["shortUrl"]
    assert card.member_ids == tuple(raw["idMembers"])
    assert card.checklist_ids == tuple(raw["idChecklists"])
    if raw.get("idLabels"):
        assert card.label_ids == tuple(raw["idLabels"])


def _assert_action(action: Any, raw: dict[str, Any]) -> None:
    data = raw["data"]
    assert action.id == raw["id"]
    assert action.type == raw["type"]
    assert action.date == _utc(raw["date"])
    assert action.date.tzinfo is UTC
    assert action.member_id == raw["idMemberCreator"]
    assert action.data == data
    assert action.card_id == data.get("card", {}).get("id")
    assert action.list_id == data.get("list", {}).get("id")
    assert action.list_before_id == data.get("listBefore", {}).get("id")
    assert action.list_after_id == data.get("listAfter", {}).get("id")
    assert action.old_closed == data.get("old", {}).get("closed")


def test_scrum_specific_card(scrum_export: Path) -> None:
    board = load_board(scrum_export)
    card = board.cards_by_id["5a212951ef0a6bab3778f95f"]
    assert card.name == "(6) QuestionQ - Server"
    assert board.lists_by_id[card.list_id].name == "Done"
    assert card.closed is False
    assert card.pos == 770047
    assert card.due == datetime(2018, 1, 2, 11, 0, tzinfo=UTC)
    assert card.due_complete is True
    assert card.start is None
    assert card.date_last_activity == datetime(2018, 2, 27, 12, 44, 55, 424000, tzinfo=UTC)
    assert card.short_url == "https://trello.com/c/rRNP52az"
    assert [board.labels_by_id[i].name for i in card.label_ids] == ["B"]
    assert card.member_ids == ()
    assert card.checklist_ids == ("5a212a7b4d98b041e31591f6", "5a212abe403410448dc6d64b")
    assert [cl.id for cl in board.checklists_by_card[card.id]] == list(card.checklist_ids)

    archived = board.cards_by_id["5a15334477e9aabcc9b8a706"]
    assert archived.closed is True
    assert archived.name == "Allfälliges"


def test_scrum_checklist_items(scrum_export: Path) -> None:
    board = load_board(scrum_export)
    (children,) = board.checklists_by_card["5a2124adec3a807e9fc404fc"]
    assert children.name == "Children"
    assert [(item.id, item.complete) for item in children.items] == [
        ("5a21262d2a93c1bacfea497e", False),
        ("5a212951e3162fb3bfbe603e", True),
    ]
    assert children.done_count == 1


def test_list_positions_and_open_lists(scrum_export: Path, hermes_export: Path) -> None:
    scrum = load_board(scrum_export)
    assert [(lst.name, lst.pos) for lst in scrum.open_lists[:2]] == [
        ("Meetingroom", 32767.5),
        ("Parents", 49151.25),
    ]
    hermes = load_board(hermes_export)
    assert {lst.name for lst in hermes.lists if lst.closed} == {
        "Squashed",
        "Team Info",
        "Command Line",
    }
    assert len(hermes.open_lists) == 8


@pytest.mark.parametrize(
    ("fixture", "move_id", "before", "after", "archive_id"),
    [
        (
            "scrum_export",
            "5abf7fe740bf7fd28a3b7889",
            "5a153329f7cf7f8c15f484f9",
            "5a15332d05f8a703b7c918f0",
            "5abf803599b76b8d1462803c",
        ),
        (
            "hermes_export",
            "52ffe6447939ad13055734e7",
            "5197b968bb47d41233005621",
            "5197b968bb47d41233005622",
            "52ffe70885323dd904d0247d",
        ),
    ],
)
def test_moves_and_archiving(
    fixture: str,
    move_id: str,
    before: str,
    after: str,
    archive_id: str,
    request: pytest.FixtureRequest,
) -> None:
    board = load_board(request.getfixturevalue(fixture))
    actions = {action.id: action for action in board.actions}
    move = actions[move_id]
    assert move.type == "updateCard"
    assert (move.list_before_id, move.list_after_id) == (before, after)
    assert move.card_id is not None
    assert move.card_id in board.cards_by_id
    archive = actions[archive_id]
    assert archive.old_closed is False
    assert archive.data["card"]["closed"] is True


def test_bytes_and_decoded_payload_give_the_same_board(scrum_export: Path) -> None:
    from_file = load_board(scrum_export)
    from_bytes = parse_board_bytes(scrum_export.read_bytes(), max_bytes=10**7)
    from_json = parse_board(export_json(scrum_export))
    assert from_file == from_bytes == from_json


def test_dates_are_utc_even_when_given_with_an_offset() -> None:
    board = parse_board(
        {
            "id": "b",
            "name": "B",
            "cards": [{"id": "c", "name": "C", "idList": "l", "due": "2018-03-31T14:00:00+02:00"}],
        }
    )
    due = board.cards[0].due
    assert due == datetime(2018, 3, 31, 12, 0, tzinfo=UTC)
    assert due is not None
    assert due.tzinfo is UTC


def test_unknown_keys_ignored_and_optional_keys_missing() -> None:
    board = parse_board(
        {
            "id": "b",
            "name": "Minimal",
            "somethingNew": {"x": 1},
            "lists": [{"id": "l", "name": "L", "extra": True}],
            "cards": [{"id": "c", "name": "C", "idList": "l"}],
            "actions": [{"id": "a", "type": "createCard", "date": "2020-01-01T00:00:00Z"}],
        }
    )
    assert isinstance(board, Board)
    assert board.lists[0].pos == 0.0
    assert board.cards[0].label_ids == ()
    assert board.actions[0].member_id is None
    assert board.actions[0].data == {}
    assert board.labels == ()


def test_positions_as_written_to_trellos_api() -> None:
    lists = [
        {"id": "a", "name": "A", "pos": "top"},
        {"id": "b", "name": "B", "pos": "bottom"},
        {"id": "c", "name": "C", "pos": "16384.5"},
        {"id": "d", "name": "D", "pos": 70000},
    ]
    board = parse_board({"id": "x", "name": "X", "lists": lists})
    assert [lst.pos for lst in board.lists] == [POS_TOP, POS_BOTTOM, 16384.5, 70000.0]
    assert [lst.name for lst in board.open_lists] == ["A", "C", "D", "B"]


def test_labels_with_null_names_and_colours() -> None:
    board = parse_board(
        {
            "id": "x",
            "name": "X",
            "labels": None,
            "cards": [
                {"id": "c", "name": "C", "idList": "l", "labels": [{"name": None, "color": None}]}
            ],
        }
    )
    assert [(lbl.id, lbl.name, lbl.color) for lbl in board.labels] == [("color:none", "", None)]
    assert board.cards[0].label_ids == ("color:none",)


def test_the_demo_board_is_the_scrum_export(scrum_export: Path) -> None:
    assert demo_board() == load_board(scrum_export)
