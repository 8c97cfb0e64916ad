"""Counts in words for the command line: "1 card", "2 cards" (never "1 cards").

The dashboard has its own (``trellolens.ui.wording``); the CLI does not import the ui package.
"""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is exactly one."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
