"""Query parameters read the way Trello reads them, with its ``invalid value for X`` errors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from trellolens.testing.emulator.messages import ApiError

_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
_SHORT_LINK = re.compile(r"[0-9A-Za-z]{8}")


def invalid(name: str) -> ApiError:
    return ApiError(400, f"invalid value for {name}")


def check_id(value: str, short_link_ok: bool = False) -> str:
    """A 24-hex object id (or, where Trello allows it, an 8-character shortLink); else 400."""
    if _OBJECT_ID.fullmatch(value) or (short_link_ok and _SHORT_LINK.fullmatch(value)):
        return value
    raise ApiError(400, "invalid id")


def fields(
    query: Mapping[str, str], name: str, default: Iterable[str] | None = None
) -> tuple[str, ...] | None:
    """None means every field (``all`` or no parameter with no default)."""
    raw = query.get(name)
    if raw is None:
        return None if default is None else tuple(default)
    if raw == "all":
        return None
    return tuple(part for part in raw.split(",") if part)


def choice(query: Mapping[str, str], name: str, allowed: Iterable[str], default: str) -> str:
    value = query.get(name, default)
    if value not in set(allowed):
        raise invalid(name)
    return value


def integer(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name) from None
    if not low <= value <= high:
        raise invalid(name)
    return value


def flag(query: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = query.get(name)
    if raw is None:
        return default
    if raw.lower() in ("true", "1", "all"):
        return True
    if raw.lower() in ("false", "0", "none"):
        return False
    raise invalid(name)


def card_matches(card: Mapping[str, Any], list_closed: bool, card_filter: str) -> bool:
    """Trello's card filters: all, open, closed, visible (open cards in open lists)."""
    if card_filter == "all":
        return True
    if card_filter == "closed":
        return bool(card.get("closed"))
    if card_filter == "visible":
        return not card.get("closed") and not list_closed
    return not card.get("closed")  # open


def list_matches(lst: Mapping[str, Any], list_filter: str) -> bool:
    if list_filter == "all":
        return True
    return bool(lst.get("closed")) == (list_filter == "closed")
