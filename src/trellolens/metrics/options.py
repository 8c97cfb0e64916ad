"""Options of the flow metrics: work types, blocked rule, business days, size, service level.

Every option is off by default, and with all of them off the metrics are exactly as before.
Names are resolved against the board here, so a wrong name is one ``MetricOptionError`` line that
lists what the board has.
"""

from __future__ import annotations

from dataclasses import dataclass

from trellolens.board import Board, CustomField
from trellolens.errors import MetricOptionError
from trellolens.metrics.calendar import WorkCalendar

#: The type of a card that has none of the chosen labels (or no value of the chosen field).
NO_TYPE = "(none)"


@dataclass(frozen=True)
class WorkTypes:
    """Split by label, or by a ``list`` custom field (``field`` names it).

    ``labels``: only these label names count as types, in this order of precedence; empty means
    every label of the board, in the board's order.
    """

    field: str | None = None
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.field is not None and self.labels:
            raise MetricOptionError("split by labels or by a custom field, not both; choose one")


@dataclass(frozen=True)
class BlockedRule:
    """Blocked while carrying one of ``labels`` (by name, any case, or id) or sitting in ``lists``."""

    labels: tuple[str, ...] = ("Blocked",)
    lists: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.labels and not self.lists:
            raise MetricOptionError("a blocked rule needs a label or a list; name one")


@dataclass(frozen=True)
class ServiceLevel:
    """ "85 % of cards finish within ``days``": set by the owner, or (None) the cycle time p85."""

    days: float | None = None
    #: Cards in progress count as "soon" when they are this close to the limit (same unit).
    warn_days: float = 2.0

    def __post_init__(self) -> None:
        if self.days is not None and not self.days > 0:
            raise MetricOptionError(
                f"the service level must be a positive number of days, got {self.days}"
            )


@dataclass(frozen=True)
class MetricOptions:
    calendar: WorkCalendar | None = None
    work_types: WorkTypes | None = None
    blocked: BlockedRule | None = None
    #: A ``number`` custom field whose sum sizes the throughput and the cumulative flow.
    size_field: str | None = None
    service_level: ServiceLevel | None = None

    @property
    def any(self) -> bool:
        return any(
            value is not None
            for value in (
                self.calendar,
                self.work_types,
                self.blocked,
                self.size_field,
                self.service_level,
            )
        )


def custom_field(board: Board, wanted: str, kind: str, purpose: str) -> CustomField:
    """The board's custom field named ``wanted`` of type ``kind``; one-line error otherwise."""
    found = board.custom_field_named(wanted)
    fitting = [f.name for f in board.custom_fields if f.type == kind]
    choices = ", ".join(repr(name) for name in fitting) or "none"
    if found is None:
        raise MetricOptionError(
            f"no custom field {wanted!r} on board {board.name!r}; its {kind} fields are: {choices}"
        )
    if found.type != kind:
        raise MetricOptionError(
            f"custom field {found.name!r} is a {found.type} field; {purpose} needs a {kind} "
            f"field: {choices}"
        )
    return found


def label_ids_named(board: Board, wanted: str) -> frozenset[str]:
    """Ids of the board's labels named ``wanted`` (any case) or with that id."""
    folded = wanted.strip().casefold()
    return frozenset(
        label.id
        for label in board.labels
        if label.id == wanted or label.name.strip().casefold() == folded
    )


def unknown_label(board: Board, wanted: str, *, in_history: bool = False) -> MetricOptionError:
    """One line: the board has no such label (``in_history``: nor did any action carry one)."""
    names = sorted({label.name for label in board.labels if label.name})
    listed = ", ".join(repr(name) for name in names) or "none"
    history = " and no action in its history ever carried one" if in_history else ""
    return MetricOptionError(
        f"no label {wanted!r} on board {board.name!r}{history}; its labels are: {listed}"
    )
