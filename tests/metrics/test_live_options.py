"""Custom fields and label actions of a live board: the client over real HTTP to the emulator."""

from __future__ import annotations

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.metrics.option_boards import KIND, POINTS, WORKFLOW, BoardPlan, at, kind, points
from trellolens.board import parse_board
from trellolens.credentials import Secret
from trellolens.metrics import (
    BlockedRule,
    MetricOptions,
    WorkTypes,
    compute_flow_metrics,
    workflow_from_names,
)
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.trello import TrelloClient, WindowRegistry


def test_live_snapshot_has_custom_fields_and_blocked_label_actions() -> None:
    plan = BoardPlan(custom_fields=[POINTS, KIND])
    plan.card("A", 0, (1, "Doing"), (8, "Done"), fields=[points(3), kind("o-value")],
              label_events=[(2, "add", "Blocked"), (4, "remove", "Blocked")])  # fmt: skip
    export = plan.export()
    seeded = parse_board(export)
    emulator = TrelloEmulator(boards=[export], key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with (
        emulator.serve() as base_url,
        TrelloClient(
            Secret(CANARY_KEY), Secret(CANARY_TOKEN), base_url=base_url, registry=WindowRegistry()
        ) as client,
    ):
        live = client.board_snapshot(seeded.id)
    assert live.custom_fields == seeded.custom_fields
    assert live.cards[0].custom_field_values == seeded.cards[0].custom_field_values
    assert {a.type for a in live.actions} >= {"addLabelToCard", "removeLabelFromCard"}
    workflow = workflow_from_names(live, list(WORKFLOW), "Doing")
    options = MetricOptions(work_types=WorkTypes(field="Work type"), blocked=BlockedRule())
    result = compute_flow_metrics(live, workflow, at(10), options)
    assert result.cycle_times["type"].tolist() == ["Value demand"]
    assert result.cycle_times["blocked_days"].tolist() == [2.0]
