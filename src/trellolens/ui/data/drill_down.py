"""The cards behind a clicked band of the cumulative flow: computed on the click, not cached
(one rewind of one board, for the one visitor who clicked)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pandas as pd

from trellolens.metrics import FlowMetrics
from trellolens.metrics.cards_at import cards_at
from trellolens.ui.data.board_source import BoardChoice


def cards_in_band(choice: BoardChoice, metrics: FlowMetrics, day: date, stage: str) -> pd.DataFrame:
    """The cards the cumulative flow counts in ``stage`` at the end of ``day`` (never after the
    as-of time)."""
    moment = min(datetime.combine(day, time.max, tzinfo=UTC), metrics.as_of)
    cards = cards_at(choice.board, metrics.workflow, moment)
    return cards[cards["stage"] == stage]
