"""The service level list of the overview: cards in progress past the SLE or close to it.

Pure pandas, no Streamlit. A card's link is kept only when it is a Trello card URL
(``https://trello.com/c/<short link>``), so a crafted export cannot make the table link elsewhere.
"""

from __future__ import annotations

import re

import pandas as pd

from trellolens.metrics import ServiceLevelResults

TRELLO_CARD_URL = re.compile(r"https://trello\.com/c/[A-Za-z0-9]{1,32}(/[A-Za-z0-9_.~-]{0,256})?")
SLE_COLUMNS = ("status", "name", "list", "type", "age_days", "days_left", "link")


def card_link(url: object) -> str | None:
    """``url`` when it is a Trello card's URL, else None."""
    return url if isinstance(url, str) and TRELLO_CARD_URL.fullmatch(url) else None


def sle_table(level: ServiceLevelResults, wip: pd.DataFrame) -> pd.DataFrame:
    """The SLE list, oldest first: status (past/soon), card, list, type, age, days left, link."""
    cards = level.cards
    types = dict(zip(wip["card_id"], wip["type"], strict=True)) if "type" in wip else None
    frame = pd.DataFrame(
        {
            "status": cards["status"].to_numpy(),
            "name": cards["name"].to_numpy(),
            "list": cards["list"].to_numpy(),
            "type": [types.get(c, "") for c in cards["card_id"]] if types is not None else "",
            "age_days": cards["age_days"].to_numpy(dtype=float),
            "days_left": cards["days_left"].to_numpy(dtype=float),
            "link": [card_link(url) for url in cards["url"]],
        },
        columns=list(SLE_COLUMNS),
    )
    if types is None:
        frame = frame.drop(columns="type")
    return frame
