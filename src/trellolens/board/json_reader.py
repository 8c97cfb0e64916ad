"""Type-checked reads of decoded JSON that report the JSON path of any problem.

Every failure is a one-line ``BoardFormatError(source, path, problem)``; no value from the file is
echoed into the message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NoReturn

from trellolens.errors import BoardFormatError

POS_TOP = 0.0
"""``pos: "top"`` (accepted by Trello's API on writes, echoed by emulators) sorts first."""

POS_BOTTOM = float(2**53)
"""``pos: "bottom"`` sorts after any position Trello hands out; finite, so it round-trips as JSON."""

_DATE_EXAMPLE = "2018-03-31T12:38:14.542Z"


def kind(value: object) -> str:
    """What a JSON value is, for messages (never the value itself)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped, for error messages."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def utc_date(value: str) -> datetime | None:
    """An ISO 8601 string with a time zone as an aware UTC datetime, else ``None``."""
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            return None
        return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


class JsonReader:
    """Reads fields of JSON objects for one source; ``fail`` raises the one-line error."""

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = one_line(source)

    def fail(self, path: str, problem: str) -> NoReturn:
        raise BoardFormatError(self.source, path, problem)

    def obj(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {kind(value)}")
        return value

    def array(self, parent: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", f"expected an array, got {kind(value)}")
        return value

    def text(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str):
            what = "is missing" if value is None else f"expected a string, got {kind(value)}"
            self.fail(f"{path}.{key}", what)
        return value

    def optional_text(self, parent: Mapping[str, Any], key: str, path: str) -> str | None:
        value = parent.get(key)
        if value is not None and not isinstance(value, str):
            self.fail(f"{path}.{key}", f"expected a string or null, got {kind(value)}")
        return value

    def flag(self, parent: Mapping[str, Any], key: str, path: str) -> bool:
        value = parent.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"expected true or false, got {kind(value)}")
        return value

    def number(self, parent: Mapping[str, Any], key: str, path: str) -> float:
        """A finite number; also ``pos`` as Trello's API takes it on writes ("top", "bottom", "123")."""
        value = parent.get(key)
        if value is None:
            return 0.0
        if isinstance(value, str):
            value = _pos_string(value)
            if value is None:
                self.fail(f"{path}.{key}", 'expected a number, "top" or "bottom", got a string')
        elif isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"{path}.{key}", f"expected a number, got {kind(value)}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.fail(f"{path}.{key}", "expected a finite number, got one out of range")
        return number

    def date(self, parent: Mapping[str, Any], key: str, path: str) -> datetime | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"expected a date string, got {kind(value)}")
        parsed = utc_date(value)
        if parsed is None:
            self.fail(
                f"{path}.{key}", f"not an ISO 8601 date with a time zone, like {_DATE_EXAMPLE}"
            )
        return parsed

    def ids(self, parent: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        items = self.array(parent, key, path)
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.fail(f"{path}.{key}[{index}]", f"expected an id string, got {kind(item)}")
        return tuple(items)

    def nested_id(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        """``data[key].id`` when present, for action payloads such as ``data.listAfter.id``."""
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(f"{path}.{key}", f"expected an object, got {kind(value)}")
        found = value.get("id")
        if found is not None and not isinstance(found, str):
            self.fail(f"{path}.{key}.id", f"expected an id string, got {kind(found)}")
        return found


def _pos_string(value: str) -> float | None:
    if value == "top":
        return POS_TOP
    if value == "bottom":
        return POS_BOTTOM
    try:
        return float(value) if value.strip() and value.isascii() else None
    except ValueError:
        return None
