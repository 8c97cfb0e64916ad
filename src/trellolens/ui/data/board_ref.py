"""A board reference from a link, the picker or a setting, validated before any request.

Accepted: a 24-hex board id, an 8-character short link, or a Trello board URL
``https://trello.com/b/<shortLink>/<name>``. Anything else is a ``BoardRefError`` with one line
that says what was expected; the text itself never reaches Trello.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

BOARD_ID = re.compile(r"[0-9a-f]{24}")
SHORT_LINK = re.compile(r"[0-9A-Za-z]{8}")
TRELLO_HOSTS = frozenset({"trello.com", "www.trello.com"})
MAX_REF_CHARS = 2000
EXPECTED = (
    "expected a board id (24 hex digits), a short link (8 letters and digits) or a board "
    "address https://trello.com/b/<short link>/<name>"
)


class BoardRefError(ValueError):
    """Not a board reference (message: one line, without the rejected text)."""


def parse_board_ref(text: str) -> str:
    """The board id (lower case) or short link that ``text`` names; ``BoardRefError`` if none."""
    value = text.strip()
    if not value or len(value) > MAX_REF_CHARS:
        raise BoardRefError(f"not a Trello board: {EXPECTED}")
    if BOARD_ID.fullmatch(value.lower()):
        return value.lower()
    if SHORT_LINK.fullmatch(value):
        return value
    if "/" in value:
        return _from_url(value)
    raise BoardRefError(f"not a Trello board: {EXPECTED}")


def _from_url(value: str) -> str:
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise BoardRefError(f"not a Trello board address: {EXPECTED}") from None
    if parts.scheme not in ("http", "https") or host not in TRELLO_HOSTS:
        raise BoardRefError(f"not a Trello board address: {EXPECTED}")
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[0] != "b":
        raise BoardRefError(
            "a Trello address, but not a board's (board addresses start with https://trello.com/b/)"
        )
    if BOARD_ID.fullmatch(segments[1].lower()):
        return segments[1].lower()
    if SHORT_LINK.fullmatch(segments[1]):
        return segments[1]
    raise BoardRefError(f"a Trello board address without a valid short link: {EXPECTED}")


def short_link_of(url: str) -> str | None:
    """The short link in a board's ``url`` (``https://trello.com/b/<shortLink>/...``), if any."""
    try:
        found = _from_url(url)
    except BoardRefError:
        return None
    return found if SHORT_LINK.fullmatch(found) else None


def matches(ref: str, board_id: str, url: str) -> bool:
    """Whether ``ref`` (from ``parse_board_ref``) names the board with this id and url."""
    return ref == board_id.lower() or ref == short_link_of(url)


def shown_ref(text: str) -> str:
    """A rejected reference fit for one line: no line breaks, at most 40 characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= 40 else flat[:37] + "..."
