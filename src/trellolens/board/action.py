"""One entry of a board's history, held compactly: a board of 100,000 actions costs about its JSON.

An action keeps what the metrics and pages read as plain attributes (ids shared with the board's
cards and lists, the time as integer microseconds) and Trello's ``data`` payload as the compact
JSON bytes it came as; ``data`` decodes them on each read (label actions' payloads are the only
ones a metric reads). docs/architecture.md says why.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta
from typing import Any

from trellolens.board.fast_json import dumps, loads

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    """An aware datetime as integer microseconds since 1970-01-01 UTC."""
    return (moment - EPOCH) // ONE_US


def from_us(micros: int) -> datetime:
    """Integer microseconds since 1970-01-01 UTC as an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=micros)


def data_bytes(data: Mapping[str, Any] | None) -> bytes:
    """``data`` as compact JSON bytes that ``loads`` reads back equal; an empty payload is ``b""``.

    msgspec writes a NaN or infinity (never in Trello's JSON; ``json.loads`` reads them) as
    ``null``; such a payload is written by the standard library instead, which keeps them.
    """
    if not data:
        return b""
    encoded = dumps(data if type(data) is dict else dict(data))
    if b"null" in encoded and _has_non_finite(data):
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
        return text.encode("utf-8", "surrogatepass")
    return encoded


def _has_non_finite(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Mapping):
        return any(_has_non_finite(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_has_non_finite(item) for item in value)
    return False


_COMPARED = (
    "id",
    "type",
    "date_us",
    "member_id",
    "card_id",
    "list_id",
    "list_before_id",
    "list_after_id",
    "old_closed",
)


class Action:
    """One entry of a board's history. ``data`` is Trello's payload, kept whole (as JSON bytes).

    ``card_id``, ``list_id`` (``data.list``), ``list_before_id``/``list_after_id`` (moves) and
    ``old_closed`` are pre-extracted from it for the metrics; ``date_us`` is ``date`` as integer
    microseconds. Immutable; equal when every attribute but ``data`` is equal.
    """

    __slots__ = (*_COMPARED, "data_json")
    __match_args__ = (
        "id",
        "type",
        "date",
        "member_id",
        "data",
        "card_id",
        "list_id",
        "list_before_id",
        "list_after_id",
        "old_closed",
    )

    id: str
    type: str
    date_us: int
    member_id: str | None
    card_id: str | None
    list_id: str | None
    list_before_id: str | None
    list_after_id: str | None
    old_closed: bool | None
    #: ``data`` as compact JSON (``b""`` for an empty payload).
    data_json: bytes

    def __init__(
        self,
        id: str,
        type: str,
        date: datetime,
        member_id: str | None = None,
        data: Mapping[str, Any] | None = None,
        card_id: str | None = None,
        list_id: str | None = None,
        list_before_id: str | None = None,
        list_after_id: str | None = None,
        old_closed: bool | None = None,
    ) -> None:
        values = (
            id,
            type,
            to_us(date),
            member_id,
            card_id,
            list_id,
            list_before_id,
            list_after_id,
            old_closed,
            data_bytes(data),
        )
        for name, value in zip(Action.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    @property
    def date(self) -> datetime:
        """When it happened (aware, UTC)."""
        return from_us(self.date_us)

    @property
    def data(self) -> Mapping[str, Any]:
        """Trello's payload, decoded afresh on each read (changing it changes nothing here)."""
        raw = self.data_json
        return loads(raw) if raw else {}

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _COMPARED)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Action:
            return NotImplemented
        assert isinstance(other, Action)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"Action({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, tuple(getattr(self, name) for name in Action.__slots__))


def new_action(
    action_id: str,
    action_type: str,
    date_us: int,
    member_id: str | None,
    data_json: bytes,
    card_id: str | None,
    list_id: str | None,
    list_before_id: str | None,
    list_after_id: str | None,
    old_closed: bool | None,
) -> Action:
    """An ``Action`` from its stored form (time in microseconds, payload as JSON bytes), fast:
    the parser builds a hundred thousand of these."""
    action: Action = _blank(Action)
    _s_id(action, action_id)
    _s_type(action, action_type)
    _s_date(action, date_us)
    _s_member(action, member_id)
    _s_data(action, data_json)
    _s_card(action, card_id)
    _s_list(action, list_id)
    _s_before(action, list_before_id)
    _s_after(action, list_after_id)
    _s_closed(action, old_closed)
    return action


def _rebuilt(*values: Any) -> Action:
    action: Action = _blank(Action)
    for name, value in zip(Action.__slots__, values, strict=True):
        object.__setattr__(action, name, value)
    return action


_blank = object.__new__
_slot: dict[str, Any] = dict(vars(Action))
_s_id = _slot["id"].__set__
_s_type = _slot["type"].__set__
_s_date = _slot["date_us"].__set__
_s_member = _slot["member_id"].__set__
_s_data = _slot["data_json"].__set__
_s_card = _slot["card_id"].__set__
_s_list = _slot["list_id"].__set__
_s_before = _slot["list_before_id"].__set__
_s_after = _slot["list_after_id"].__set__
_s_closed = _slot["old_closed"].__set__
