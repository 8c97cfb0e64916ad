"""``cards_at`` lists exactly the cards the cumulative flow counts, stage by stage, day by day."""

from __future__ import annotations

from datetime import UTC, datetime, time

import numpy as np

from trellolens.board import demo_board
from trellolens.metrics import compute_flow_metrics
from trellolens.metrics.cards_at import cards_at


def test_every_day_of_the_demo_cfd_is_the_cards_cards_at_finds() -> None:
    board = demo_board()
    metrics = compute_flow_metrics(board)
    stages = len(metrics.workflow.stages)
    for _, row in metrics.cfd.iloc[::5].iterrows():
        moment = min(datetime.combine(row["date"], time.max, tzinfo=UTC), metrics.as_of)
        found = cards_at(board, metrics.workflow, moment)
        per_stage = np.bincount(found["stage_index"].to_numpy(), minlength=stages)
        in_stage_or_later = per_stage[::-1].cumsum()[::-1]
        assert list(in_stage_or_later) == list(row.iloc[1:]), row["date"]
        assert found["card_id"].is_unique


def test_before_the_first_event_no_card_is_on_a_stage() -> None:
    board = demo_board()
    metrics = compute_flow_metrics(board)
    first = metrics.cfd["date"].iloc[0]
    before = datetime.combine(first, time.min, tzinfo=UTC).replace(year=first.year - 1)
    assert cards_at(board, metrics.workflow, before).empty
