"""Size and service level: throughput and cumulative flow in a number field, ageing against an SLE.

Size: a card weighs the current value of a ``number`` custom field (story points, say); a card
without a value weighs 0 and is counted in ``cards_without_size``. Service level expectation
("85 % of cards finish within N days"): N is the owner's, else the cycle time's 85th percentile;
cards in progress past N, or within ``warn_days`` of it, are listed oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.options import ServiceLevel, custom_field
from trellolens.metrics.series import FloatArray


@dataclass(frozen=True)
class SizeResults:
    field: str
    #: ``week_start``, ``count`` (the sum of sizes done that week).
    weekly_throughput: pd.DataFrame
    daily_throughput: pd.Series
    #: Like ``FlowMetrics.cfd``, in sums of sizes.
    cfd: pd.DataFrame
    done_size: float
    wip_size: float
    cards_without_size: int


@dataclass(frozen=True)
class ServiceLevelResults:
    days: float
    #: "set" (the owner's) or "p85" (derived from the cycle times).
    source: str
    #: card_id, name, url, list, age_days, days_left, status ("past" or "soon"), oldest first.
    cards: pd.DataFrame


def card_sizes(board: Board, wanted: str) -> tuple[str, FloatArray, int]:
    """The field's name, each card's size (0 without a value) and the number of such cards."""
    field = custom_field(board, wanted, "number", "size")
    sizes = np.zeros(len(board.cards))
    missing = 0
    for position, card in enumerate(board.cards):
        value = next((v.number for v in card.custom_field_values if v.field_id == field.id), None)
        if value is None:
            missing += 1
        else:
            sizes[position] = value
    return field.name, sizes, missing


def service_level(
    board: Board, spec: ServiceLevel, p85: float | None, wip: pd.DataFrame
) -> ServiceLevelResults | None:
    """None when the SLE is to be derived and no card is done yet."""
    days, source = (spec.days, "set") if spec.days is not None else (p85, "p85")
    if days is None:
        return None
    ages = wip["age_days"].to_numpy(dtype=float)
    near = ages >= days - spec.warn_days
    chosen = wip[near]
    urls = {card.id: card.short_url for card in board.cards}
    frame = pd.DataFrame(
        {
            "card_id": chosen["card_id"].to_numpy(),
            "name": chosen["name"].to_numpy(),
            "url": [urls.get(card_id, "") for card_id in chosen["card_id"].tolist()],
            "list": chosen["list"].to_numpy(),
            "age_days": ages[near],
            "days_left": days - ages[near],
            "status": np.where(ages[near] > days, "past", "soon"),
        }
    )
    frame = frame.sort_values(["age_days", "card_id"], ascending=[False, True], ignore_index=True)
    return ServiceLevelResults(float(days), source, frame)
