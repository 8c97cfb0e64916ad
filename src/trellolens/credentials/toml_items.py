"""Editing a secrets file in place: a new value keeps the old one's look (``tomlkit``).

``trellolens rotate`` (``rotation/store.py``) and the OAuth 2.0 refresh-token store
(``trello/oauth2_store.py``) both replace one string of a secrets file and nothing else.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.items import Item


def string_like(old: Any, value: str) -> Item:
    """A TOML string holding ``value`` with the old item's indent and trailing comment."""
    item = tomlkit.string(value)
    if isinstance(old, Item):
        item.trivia.indent = old.trivia.indent
        item.trivia.comment_ws = old.trivia.comment_ws
        item.trivia.comment = old.trivia.comment
        item.trivia.trail = old.trivia.trail
    return item
