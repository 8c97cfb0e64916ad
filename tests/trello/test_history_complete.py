"""A live board's history is known complete when paging ran out; only an export is cut at 1000."""

from __future__ import annotations

import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.trello.mock_trello import PagedBoard, make_client
from trellolens.board import parse_board
from trellolens.credentials import Secret
from trellolens.metrics import compute_flow_metrics
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.trello import TrelloClient, WindowRegistry


@pytest.mark.parametrize(
    ("total", "max_actions", "complete"),
    [
        (999, None, True),
        (1000, None, True),
        (2500, None, True),
        (2500, 1500, False),
        (900, 900, False),
    ],
)
def test_the_client_says_whether_it_got_the_whole_history(
    total: int, max_actions: int | None, complete: bool
) -> None:
    with make_client(PagedBoard(total)) as client:
        snapshot = client.board_snapshot("b" * 24, max_actions=max_actions)
    assert snapshot.history_complete is complete


def test_a_live_board_of_exactly_1000_actions_is_not_flagged_but_its_export_is() -> None:
    export = generate_export(cards=50, actions=1000, seed=1)
    emulator = TrelloEmulator(boards=[export], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emulator.serve() as base_url:
        client = TrelloClient(
            Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=base_url, registry=WindowRegistry()
        )
        with client:
            live = client.board_snapshot(export["id"])
    assert len(live.actions) == 1000
    assert live == parse_board(export)  # the flag does not change what the board is
    assert not compute_flow_metrics(live).data_quality.actions_may_be_truncated
    assert compute_flow_metrics(parse_board(export)).data_quality.actions_may_be_truncated
