"""One header style for every table and CSV the dashboard offers.

The rule (docs/metrics.md, "Tables and CSV downloads"): sentence case, the first word
capitalised and every other word lower case, except the abbreviations and names in
``PROPER_WORDS``; a unit goes in brackets at the end (``Cycle time (days)``); a likelihood is
written ``85 %``. Tables round fractions to 0.1 (day), CSVs to 4 places (``tables.frame_csv``).

Frames keep their short snake_case names inside the code (charts encode them); ``titled``
renames them at the edge, where a table is drawn or a CSV is offered. A column named after
something on the board (a type, a list) keeps its name: it is data, not a header we chose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

TABLE_DECIMALS = 1
"""Places kept in a table's fractions: days to 0.1."""

PROPER_WORDS = frozenset({"WIP", "SLE", "ISO", "XmR", "Trello", "CSV", "URL"})
"""Words that keep their own capitals anywhere in a header."""

TITLES: dict[str, str] = {
    "name": "Card",
    "card_id": "Card id",
    "list": "List",
    "type": "Type",
    "status": "Status",
    "link": "Link",
    "url": "Link",
    "wip": "WIP",
    "done": "Done",
    "started": "Started",
    "created": "Created",
    "archived": "Archived",
    "date": "Date",
    "day": "Day",
    "week_start": "Week start",
    "count": "Cards",
    "cards": "Cards",
    "days": "Days",
    "age_days": "Age (days)",
    "days_left": "Left (days)",
    "blocked": "Blocked now",
    "blocked_days": "Blocked (days)",
    "blocked_share": "Blocked share",
    "median_days": "Median (days)",
    "in progress": "In progress",
    "question": "Question",
    "position": "#",
    "stage": "Stage",
    "stage_index": "Stage order",
    "percentile": "Percentile",
    "from_days": "From (days)",
    "to_days": "To (days)",
    "band": "Band",
    "chart": "Chart",
    "rule": "Rule",
    "reading": "Reading",
    "value": "Value",
    "average": "Average",
    "upper": "Upper limit",
    "lower": "Lower limit",
    "moving_range": "Moving range",
    "baseline": "Baseline",
    "signal": "Signal",
    "check": "Check",
    "finding": "Finding",
    "fix": "Fix",
}
"""Short column name -> its header, where the plain conversion of ``header`` would not do."""

_PERCENTILE = re.compile(r"p(\d{1,2})")
_UNIT_SUFFIXES = {"_days": "days", "_hours": "hours", "_cards": "cards"}
_WORD = re.compile(r"[A-Za-z]+")


def header(name: str) -> str:
    """The header of a column called ``name``: ``"age_days"`` -> ``"Age (days)"``."""
    if name in TITLES:
        return TITLES[name]
    if percentile := _PERCENTILE.fullmatch(name):
        return f"{percentile.group(1)} %"
    if follows_rule(name):
        return name
    unit = next((u for suffix, u in _UNIT_SUFFIXES.items() if name.endswith(suffix)), None)
    words = name.removesuffix(f"_{unit}") if unit else name
    text = words.replace("_", " ").strip().lower()
    text = (text[:1].upper() + text[1:]) if text else name
    return f"{text} ({unit})" if unit else text


def follows_rule(title: str) -> bool:
    """Whether ``title`` is in the one header style (see the module's docstring)."""
    if not title or title != title.strip() or "_" in title or "  " in title:
        return False
    if not (title[0].isupper() or title[0].isdigit() or title[0] == "#"):
        return False
    words = _WORD.findall(title)
    first = words[0] if title[0].isalpha() and words else None
    for index, word in enumerate(words):
        if word in PROPER_WORDS:
            continue
        if index == 0 and word == first:
            if not (word[0].isupper() and word[1:] == word[1:].lower()):
                return False
        elif word != word.lower():
            return False
    return True


def titled(
    frame: pd.DataFrame, titles: Mapping[str, str] | None = None, keep: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """``frame`` with every column renamed to its header (``titles`` first, then ``header``).

    Columns in ``keep`` are names from the board (types, lists) and stay as they are.
    """
    chosen = titles or {}
    names = [
        str(c) if str(c) in keep else chosen.get(str(c)) or header(str(c)) for c in frame.columns
    ]
    return frame.set_axis(names, axis=1)


def table_frame(
    frame: pd.DataFrame, titles: Mapping[str, str] | None = None, keep: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """``frame`` as a table shows it: headers in the one style, fractions rounded to 0.1."""
    out = titled(frame, titles, keep)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(TABLE_DECIMALS)
    return out
