"""Clickable charts: the selection a chart carries, and the table of the cards behind a click.

Pure functions, no Streamlit. Each clickable chart carries one point selection (``CARD_PICK``,
``WEEK_PICK`` or ``BAND_PICK``) on plain text fields, so the page reads back exactly the card id,
the week or the (day, stage) that was clicked. Card names stay data (the table shows them as
text) and a link is kept only when it is a Trello card URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd

from trellolens.board import Board
from trellolens.ui.views.sle_table import card_link

CARD_PICK = "card_pick"
"""A dot of one card (cycle time, aging WIP): field ``card_id``."""
WEEK_PICK = "week_pick"
"""A week's bar (weekly throughput): field ``week`` (its Monday, ``YYYY-MM-DD``)."""
BAND_PICK = "band_pick"
"""A band of the cumulative flow on a day: fields ``day`` (``YYYY-MM-DD``) and ``stage``."""
DRILL_COLUMNS = ("name", "list", "days", "link")


def card_pick() -> alt.Parameter:
    return alt.selection_point(name=CARD_PICK, fields=["card_id"], on="click")


def week_pick() -> alt.Parameter:
    return alt.selection_point(name=WEEK_PICK, fields=["week"], on="click")


def band_pick() -> alt.Parameter:
    # nearest: a click anywhere on a band picks the closest day of that band.
    return alt.selection_point(name=BAND_PICK, fields=["day", "stage"], on="click", nearest=True)


def picked_opacity(pick: alt.Parameter, opacity: float = 1.0) -> Any:
    """Full ``opacity`` for the clicked marks (and for all while nothing is clicked), faint else.

    (Altair types a condition as its private ``_Conditional``; ``Any`` keeps that out of here.)"""
    return alt.condition(pick, alt.value(opacity), alt.value(0.25))


def picked(event: object, name: str) -> list[dict[str, str]]:
    """The clicked values of selection ``name`` in a chart's event (text fields only)."""
    selection = _get(event, "selection")
    points = _get(selection, name)
    if not isinstance(points, list):
        return []
    return [
        {str(k): str(v) for k, v in point.items() if isinstance(v, str | int | float)}
        for point in points
        if isinstance(point, Mapping)
    ]


def _get(container: object, key: str) -> object:
    return container.get(key) if isinstance(container, Mapping) else None


def picked_days(points: Sequence[Mapping[str, str]], field: str) -> list[date]:
    """The ISO dates in ``field`` of the points; anything else is ignored."""
    days = []
    for point in points:
        try:
            days.append(date.fromisoformat(point.get(field, "")))
        except ValueError:
            continue
    return days


def drill_table(frame: pd.DataFrame, board: Board, days: str | None = None) -> pd.DataFrame:
    """The cards of ``frame`` (a ``card_id`` column) as rows: name, list (the frame's ``list`` or
    ``stage`` at the as-of time, else the card's list now), ``days`` (the column of ``frame``
    named so, rounded to 0.1 day) and the link to the card on Trello."""
    cards = {card.id: card for card in board.cards}
    lists = {lst.id: lst.name for lst in board.lists}
    rows = frame[frame["card_id"].isin(cards)]
    found = [cards[c] for c in rows["card_id"]]
    where = next((c for c in ("list", "stage") if c in rows), None)
    table = pd.DataFrame(
        {
            "name": [card.name for card in found],
            "list": rows[where].to_numpy()
            if where is not None
            else [lists.get(card.list_id, "") for card in found],
            "days": rows[days].astype(float).round(1).to_numpy() if days is not None else 0.0,
            "link": [card_link(card.short_url) for card in found],
        },
        columns=list(DRILL_COLUMNS),
    )
    return table if days is not None else table.drop(columns="days")


def cards_picked(frame: pd.DataFrame, points: Sequence[Mapping[str, str]]) -> pd.DataFrame:
    """The rows of ``frame`` whose ``card_id`` was clicked."""
    ids = {point.get("card_id") for point in points}
    return frame[frame["card_id"].isin(ids)]


def done_in_weeks(cycle_times: pd.DataFrame, mondays: Sequence[date]) -> pd.DataFrame:
    """The done cards whose done time (UTC) falls in one of the ISO weeks starting ``mondays``."""
    done_days = pd.to_datetime(cycle_times["done"], utc=True).dt.date
    inside = pd.Series(False, index=cycle_times.index)
    for monday in mondays:
        inside |= (done_days >= monday) & (done_days < monday + timedelta(days=7))
    return cycle_times[inside]
