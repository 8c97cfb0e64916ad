"""Frozen, typed dataclasses for a Trello board: one model shared by the client, metrics and UI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from trellolens.board.action import Action as Action
from trellolens.board.action import from_us
from trellolens.board.action_types import CARD_CREATION_TYPES as CARD_CREATION_TYPES


def id_timestamp(object_id: str) -> datetime | None:
    """The creation time Trello encodes in the first 8 hex digits of every object id."""
    try:
        return datetime.fromtimestamp(int(object_id[:8], 16), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    name: str
    color: str | None = None


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    full_name: str
    username: str = ""


@dataclass(frozen=True, slots=True)
class CheckItem:
    id: str
    name: str
    complete: bool
    pos: float = 0.0


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    name: str
    card_id: str
    items: tuple[CheckItem, ...] = ()
    pos: float = 0.0

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.complete)


@dataclass(frozen=True, slots=True)
class TrelloList:
    id: str
    name: str
    pos: float
    closed: bool = False


#: The kinds of custom field Trello has.
CUSTOM_FIELD_TYPES = frozenset({"number", "text", "date", "checkbox", "list"})


@dataclass(frozen=True, slots=True)
class CustomFieldOption:
    """One choice of a ``list`` custom field."""

    id: str
    text: str
    color: str | None = None
    pos: float = 0.0


@dataclass(frozen=True, slots=True)
class CustomField:
    """A board's custom field definition; ``type`` is one of ``CUSTOM_FIELD_TYPES``."""

    id: str
    name: str
    type: str
    pos: float = 0.0
    options: tuple[CustomFieldOption, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomFieldValue:
    """A card's value of one custom field: the attribute that matches the field's type is set."""

    field_id: str
    number: float | None = None
    text: str | None = None
    date: datetime | None = None
    checked: bool | None = None
    option_id: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    name: str
    list_id: str
    closed: bool = False
    pos: float = 0.0
    due: datetime | None = None
    due_complete: bool = False
    start: datetime | None = None
    date_last_activity: datetime | None = None
    short_url: str = ""
    label_ids: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()
    checklist_ids: tuple[str, ...] = ()
    custom_field_values: tuple[CustomFieldValue, ...] = ()

    @property
    def created(self) -> datetime | None:
        return id_timestamp(self.id)


@dataclass(frozen=True)
class Board:
    id: str
    name: str
    url: str = ""
    closed: bool = False
    date_last_activity: datetime | None = None
    lists: tuple[TrelloList, ...] = ()
    cards: tuple[Card, ...] = ()
    labels: tuple[Label, ...] = ()
    members: tuple[Member, ...] = ()
    checklists: tuple[Checklist, ...] = ()
    actions: tuple[Action, ...] = ()
    custom_fields: tuple[CustomField, ...] = ()
    #: Whether ``actions`` is the board's whole history: True or False when the Trello client
    #: paged it, None when unknown (an export file, which holds at most 1000 actions).
    history_complete: bool | None = field(default=None, compare=False)

    @cached_property
    def lists_by_id(self) -> Mapping[str, TrelloList]:
        return {lst.id: lst for lst in self.lists}

    @cached_property
    def labels_by_id(self) -> Mapping[str, Label]:
        return {label.id: label for label in self.labels}

    @cached_property
    def members_by_id(self) -> Mapping[str, Member]:
        return {member.id: member for member in self.members}

    @cached_property
    def cards_by_id(self) -> Mapping[str, Card]:
        return {card.id: card for card in self.cards}

    @cached_property
    def custom_fields_by_id(self) -> Mapping[str, CustomField]:
        return {custom.id: custom for custom in self.custom_fields}

    def custom_field_named(self, wanted: str) -> CustomField | None:
        """A custom field by id, else by name (exactly, then ignoring case and outer spaces)."""
        found = self.custom_fields_by_id.get(wanted)
        if found is not None:
            return found
        for custom in self.custom_fields:
            if custom.name == wanted:
                return custom
        folded = wanted.strip().casefold()
        return next((c for c in self.custom_fields if c.name.strip().casefold() == folded), None)

    @cached_property
    def checklists_by_card(self) -> Mapping[str, tuple[Checklist, ...]]:
        grouped: dict[str, list[Checklist]] = {}
        for checklist in self.checklists:
            grouped.setdefault(checklist.card_id, []).append(checklist)
        return {card_id: tuple(items) for card_id, items in grouped.items()}

    @property
    def open_lists(self) -> tuple[TrelloList, ...]:
        """Open lists ordered as Trello shows them (by ``pos``)."""
        return tuple(sorted((lst for lst in self.lists if not lst.closed), key=lambda x: x.pos))

    @property
    def newest_action_date(self) -> datetime | None:
        newest = max((action.date_us for action in self.actions), default=None)
        return None if newest is None else from_us(newest)
