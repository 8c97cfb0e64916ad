"""Every card-creating action is requested and counted: a card sent in by e-mail starts exactly."""

from __future__ import annotations

from typing import Any

import httpx
import pandas as pd
import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from trellolens.board import CARD_CREATION_TYPES, parse_board
from trellolens.credentials import Secret
from trellolens.metrics import card_stage_times, compute_flow_metrics, workflow_from_names
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.trello import CARD_HISTORY_TYPES, TrelloClient, WindowRegistry

BOARD_ID = "63f1b2c3d4e5f60718293a4b"
TODO, DONE = "63f1b2c3d4e5f60718293a51", "63f1b2c3d4e5f60718293a52"
EMAILED = "64103d1d2b8e4a0017c0ffee"  # id time 2023-03-14T09:26:53Z
EMAILED_AT = "2023-03-14T09:26:53.589Z"  # the action: to the millisecond


def emailed_board() -> dict[str, Any]:
    """An export whose card came in by e-mail: Trello's ``emailCard`` action, as it sends it."""
    board_ref = {"id": BOARD_ID, "name": "Inbox", "shortLink": "aBcD1234"}
    card_ref = {"id": EMAILED, "name": "Invoice 4711", "idShort": 7, "shortLink": "xYz98765"}
    return {
        "id": BOARD_ID,
        "name": "Inbox",
        "lists": [
            {"id": TODO, "name": "To Do", "pos": 1, "closed": False},
            {"id": DONE, "name": "Done", "pos": 2, "closed": False},
        ],
        "cards": [
            {"id": EMAILED, "name": "Invoice 4711", "idList": DONE, "pos": 1, "closed": False}
        ],
        "actions": [
            {
                "id": "6411a0a02b8e4a0017c0f002",
                "idMemberCreator": "5a1b2c3d4e5f60718293a4b5",
                "type": "updateCard",
                "date": "2023-03-15T10:00:00.000Z",
                "data": {
                    "card": {**card_ref, "idList": DONE},
                    "old": {"idList": TODO},
                    "listBefore": {"id": TODO, "name": "To Do"},
                    "listAfter": {"id": DONE, "name": "Done"},
                    "board": board_ref,
                },
            },
            {
                "id": "64103d1d2b8e4a0017c0f001",
                "idMemberCreator": "5a1b2c3d4e5f60718293a4b5",
                "type": "emailCard",
                "date": EMAILED_AT,
                "data": {
                    "board": board_ref,
                    "list": {"id": TODO, "name": "To Do"},
                    "card": card_ref,
                },
            },
        ],
    }


def test_an_emailed_card_starts_at_its_emailcard_action_to_the_millisecond() -> None:
    board = parse_board(emailed_board())
    emailed = next(a for a in board.actions if a.type == "emailCard")
    assert (emailed.card_id, emailed.list_id) == (EMAILED, TODO)
    workflow = workflow_from_names(board, ("To Do", "Done"))
    times = card_stage_times(board, workflow).set_index("card_id")
    assert times.loc[EMAILED, "To Do"] == pd.Timestamp(EMAILED_AT)  # not the id's 09:26:53
    assert times.loc[EMAILED, "Done"] == pd.Timestamp("2023-03-15T10:00:00.000Z")
    quality = compute_flow_metrics(board, workflow).data_quality
    assert quality.cards_without_creation_event == 0


@pytest.mark.parametrize(
    "kind", ["createCard", "copyCard", "emailCard", "convertToCardFromCheckItem", "moveCardToBoard"]
)
def test_every_card_creating_type_is_asked_for_and_counted(kind: str) -> None:
    assert kind in CARD_CREATION_TYPES
    assert kind in CARD_HISTORY_TYPES
    export = emailed_board()
    export["actions"][1]["type"] = kind
    board = parse_board(export)
    quality = compute_flow_metrics(board, workflow_from_names(board, ("To Do", "Done")))
    assert quality.data_quality.cards_without_creation_event == 0


def test_the_client_brings_the_emailcard_action_from_trello() -> None:
    emulator = TrelloEmulator(
        boards=[emailed_board()], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)]
    )
    client = TrelloClient(
        Secret(CANARY_KEY),
        Secret(CANARY_TOKEN),
        base_url="https://trello.test/1",
        transport=httpx.MockTransport(emulator.handler),
        registry=WindowRegistry(),
    )
    with client:
        live = client.board_snapshot(BOARD_ID)
    assert [a.type for a in live.actions] == ["updateCard", "emailCard"]
    assert "emailCard" in emulator.requests[0].query["actions"].split(",")
