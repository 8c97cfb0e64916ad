"""Options of the flow metrics: work types, blocked rule, business days, size, service level.

Every option is off by default, and with all of them off the metrics are exactly as before.
Names are resolved against the board here, so a wrong name is one ``MetricOptionError`` line that
lists what the board has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
class FlowEfficiency:
    """Time in ``wait_lists`` (and blocked time, with a blocked rule) is waiting; the rest active.

    The board's efficiency covers the cards done in the last ``window_days`` up to the as-of time.
    """

    wait_lists: tuple[str, ...] = ()
    window_days: int = 56

    def __post_init__(self) -> None:
        _positive_days(self.window_days, "the flow efficiency window")


@dataclass(frozen=True)
class BehaviourCharts:
    """XmR charts of weekly throughput and cycle time; limits from the weeks whose Monday is in
    ``[baseline_from, baseline_to]`` (None: open-ended)."""

    baseline_from: date | None = None
    baseline_to: date | None = None

    def __post_init__(self) -> None:
        first, last = self.baseline_from, self.baseline_to
        if first is not None and last is not None and last < first:
            raise MetricOptionError(
                f"the baseline ends ({last}) before it starts ({first}); swap the dates"
            )


@dataclass(frozen=True)
class BacklogForecastOptions:
    """A forecast for every backlog card: trials, sampling window, seed, scope growth."""

    scope_growth: bool = False
    trials: int = 10_000
    window_days: int = 56
    seed: int | None = 0

    def __post_init__(self) -> None:
        _positive_days(self.window_days, "the sampling window")
        if self.trials < 1:
            raise MetricOptionError(f"trials must be at least 1, got {self.trials}")


@dataclass(frozen=True)
class FlowDebtRule:
    """Little's law over the last ``window_days``: debt when WIP / throughput exceeds the
    average cycle time by more than ``ratio`` (surplus when it falls short by as much)."""

    ratio: float = 1.5
    window_days: int = 56

    def __post_init__(self) -> None:
        _positive_days(self.window_days, "the flow debt window")
        if not self.ratio > 1 or self.ratio == float("inf"):
            raise MetricOptionError(f"the flow debt ratio must be above 1, got {self.ratio}")


def _positive_days(days: int, what: str) -> None:
    if days < 1:
        raise MetricOptionError(f"{what} must be at least 1 day, got {days}")


@dataclass(frozen=True)
class MetricOptions:
    calendar: WorkCalendar | None = None
    work_types: WorkTypes | None = None
    blocked: BlockedRule | None = None
    #: A ``number`` custom field whose sum sizes the throughput and the cumulative flow.
    size_field: str | None = None
    service_level: ServiceLevel | None = None
    flow_efficiency: FlowEfficiency | None = None
    behaviour: BehaviourCharts | None = None
    backlog: BacklogForecastOptions | None = None
    flow_debt: FlowDebtRule | None = None

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
                self.flow_efficiency,
                self.behaviour,
                self.backlog,
                self.flow_debt,
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
