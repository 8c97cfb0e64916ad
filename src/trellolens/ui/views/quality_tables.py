"""The Data quality page's tables: lists outside the workflow, and cards picked by id."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trellolens.board import Board

CARD_COLUMNS = ["card_id", "name", "list", "created", "archived"]


def ignored_lists_frame(ignored_lists: Sequence[str]) -> pd.DataFrame:
    """One ``list`` column: the lists outside the workflow."""
    return pd.DataFrame({"list": ignored_lists})


def cards_frame(board: Board, card_ids: Sequence[str]) -> pd.DataFrame:
    """``card_id``, ``name``, ``list``, ``created`` (from the id) and ``archived`` per card."""
    rows = []
    for card_id in card_ids:
        card = board.cards_by_id.get(card_id)
        if card is None:
            continue
        trello_list = board.lists_by_id.get(card.list_id)
        rows.append(
            {
                "card_id": card.id,
                "name": card.name,
                "list": trello_list.name if trello_list else "(unknown list)",
                "created": card.created,
                "archived": card.closed,
            }
        )
    frame = pd.DataFrame(rows, columns=CARD_COLUMNS)
    frame["created"] = pd.to_datetime(frame["created"], utc=True)
    return frame
