"""The cards behind a point of a chart: where every card stood at one instant.

The cumulative flow counts, at the end of each day, the cards in each stage (archived cards by the
list they were archived in); ``cards_at`` lists those cards, so a band on a day opens its cards.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.history import card_history, to_us
from trellolens.metrics.workflow import Workflow


def cards_at(board: Board, workflow: Workflow, moment: datetime) -> pd.DataFrame:
    """Every card on a workflow stage at ``moment``, as the cumulative flow counts it.

    Columns: card_id, name, stage (its name), stage_index, closed; in workflow then board order.
    """
    history = card_history(board, workflow, to_us(moment.astimezone(UTC)))
    on_stage = (history.card_stage >= 0) & history.card_exists
    positions = np.flatnonzero(on_stage)
    stages = history.card_stage[positions]
    names = workflow.stage_names
    frame = pd.DataFrame(
        {
            "card_id": [board.cards[p].id for p in positions],
            "name": [board.cards[p].name for p in positions],
            "stage": [names[s] for s in stages],
            "stage_index": stages.astype(np.int64),
            "closed": history.card_closed[positions],
        }
    )
    return frame.sort_values("stage_index", kind="stable", ignore_index=True)
