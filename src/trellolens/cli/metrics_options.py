"""The metrics options of `trellolens metrics`: flags, their parsing, and their part of the table.

``with_metric_options`` adds the flags to a command and hands it one ``option_flags`` argument;
``OptionFlags.to_options()`` turns them into ``MetricOptions`` (heavy modules imported only then).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from trellolens.cli.errors import OneLineError
from trellolens.cli.wording import counted
from trellolens.files import HOLIDAYS_CAP, SmallFileError, read_small_file

if TYPE_CHECKING:
    from trellolens.metrics import FlowMetrics, MetricOptions

DEFAULT_BLOCKED_LABEL = "Blocked"


@dataclass(frozen=True)
class OptionFlags:
    by: str | None = None
    blocked_label: str | None = None
    blocked_list: tuple[str, ...] = ()
    business_days: bool = False
    holidays: str | None = None
    time_zone: str = "UTC"
    size_field: str | None = None
    sle_days: str | None = None
    wait_list: tuple[str, ...] = ()
    behaviour: bool = False
    baseline: str | None = None
    backlog_forecast: bool = False
    scope_growth: bool = False
    flow_debt: str | None = None

    def to_options(self) -> MetricOptions:
        from trellolens.metrics import (
            BlockedRule,
            MetricOptions,
            ServiceLevel,
            WorkCalendar,
        )

        calendar = None
        if self.business_days or self.holidays is not None or self.time_zone != "UTC":
            calendar = WorkCalendar(
                weekdays_only=self.business_days,
                holidays=_holidays(self.holidays),
                time_zone=self.time_zone,
            )
        blocked = None
        if self.blocked_label is not None or self.blocked_list:
            labels = () if self.blocked_label is None else (self.blocked_label,)
            blocked = BlockedRule(labels=labels, lists=self.blocked_list)
        level = None if self.sle_days is None else ServiceLevel(days=_sle_days(self.sle_days))
        return MetricOptions(
            calendar=calendar,
            work_types=_work_types(self.by),
            blocked=blocked,
            size_field=self.size_field,
            service_level=level,
            **analytics_options(self),
        )


def analytics_options(flags: OptionFlags) -> dict[str, Any]:
    """The analytics options' part of ``MetricOptions`` (flow efficiency, charts, backlog, debt)."""
    from trellolens.metrics.options import (
        BacklogForecastOptions,
        BehaviourCharts,
        FlowDebtRule,
        FlowEfficiency,
    )

    if flags.scope_growth and not flags.backlog_forecast:
        raise OneLineError("--scope-growth goes with --backlog-forecast; add it")
    behaviour = None
    if flags.behaviour or flags.baseline is not None:
        behaviour = BehaviourCharts(*_baseline(flags.baseline))
    return {
        "flow_efficiency": FlowEfficiency(wait_lists=flags.wait_list) if flags.wait_list else None,
        "behaviour": behaviour,
        "backlog": BacklogForecastOptions(scope_growth=flags.scope_growth)
        if flags.backlog_forecast
        else None,
        "flow_debt": None
        if flags.flow_debt is None
        else FlowDebtRule(ratio=_ratio(flags.flow_debt)),
    }


def _baseline(value: str | None) -> tuple[Any, Any]:
    from datetime import date

    if value is None:
        return None, None
    first, sep, last = value.partition("..")
    try:
        found = tuple(
            date.fromisoformat(part.strip()) if part.strip() else None for part in (first, last)
        )
    except ValueError:
        found = ()
    if not sep or len(found) != 2:
        raise OneLineError(
            f"--baseline {value!r} is not a range of dates; use e.g. --baseline 2024-01-01..2024-03-31 "
            "(either end may be left out)"
        )
    return found[0], found[1]


def _ratio(value: str) -> float:
    try:
        ratio = float(value)
    except ValueError:
        ratio = float("nan")
    if not ratio > 1 or ratio == float("inf"):
        raise OneLineError(
            f"--flow-debt {value!r} is not a ratio above 1; use e.g. --flow-debt 1.5"
        )
    return ratio


def _work_types(value: str | None) -> Any:
    from trellolens.metrics import WorkTypes

    if value is None:
        return None
    kind, _, rest = value.partition(":")
    kind = kind.strip().casefold()
    if kind in ("label", "labels"):
        names = tuple(name.strip() for name in rest.split(",") if name.strip())
        return WorkTypes(labels=names)
    if kind == "field" and rest.strip():
        return WorkTypes(field=rest.strip())
    raise OneLineError(
        f"--by {value!r} is not a split; use --by label, --by 'label:Bug,Feature' or "
        "--by 'field:Work type' (a list custom field)"
    )


def _sle_days(value: str) -> float | None:
    if value.strip().casefold() in ("p85", "auto"):
        return None
    try:
        days = float(value)
    except ValueError:
        days = float("nan")
    if not days > 0 or days == float("inf"):
        raise OneLineError(
            f"--sle-days {value!r} is not a positive number of days; use e.g. --sle-days 10, "
            "or --sle-days p85 to take the cycle time's 85th percentile"
        )
    return days


def _holidays(value: str | None) -> frozenset[Any]:
    from trellolens.metrics import parse_holidays

    if value is None:
        return frozenset()
    path = Path(value)
    name = path.name or value
    try:
        text = read_small_file(path, HOLIDAYS_CAP, "a holidays file", f"--holidays {name}")
        return parse_holidays(text.decode("utf-8-sig").splitlines(), name)
    except SmallFileError as exc:
        raise OneLineError(str(exc)) from None
    except UnicodeDecodeError:
        raise OneLineError(
            f"--holidays {name}: cannot be read as UTF-8 text; write one date per line"
        ) from None


_FLAGS: list[Callable[[Any], Any]] = [
    click.option(
        "--by",
        metavar="SPLIT",
        help="Split by work type: 'label', 'label:Bug,Feature' (first match wins) or "
        "'field:NAME' (a list custom field).",
    ),
    click.option(
        "--blocked-label",
        metavar="[NAME]",
        is_flag=False,
        flag_value=DEFAULT_BLOCKED_LABEL,
        help="Blocked while carrying this label (any case); alone, a label named Blocked.",
    ),
    click.option(
        "--blocked-list",
        metavar="NAME",
        multiple=True,
        help="Blocked while in this list (repeatable).",
    ),
    click.option(
        "--business-days", is_flag=True, help="Count Monday to Friday only (working days)."
    ),
    click.option(
        "--holidays",
        metavar="FILE",
        help="Days not worked: a text file of ISO dates, one per line (# starts a comment).",
    ),
    click.option(
        "--time-zone",
        metavar="TZ",
        default="UTC",
        show_default=True,
        help="The time zone whose days are working days (an IANA name, e.g. Europe/Berlin).",
    ),
    click.option(
        "--size-field",
        metavar="NAME",
        help="Also give throughput and cumulative flow in the sum of this number custom field.",
    ),
    click.option(
        "--sle-days",
        metavar="N|p85",
        help="Service level expectation in days, or p85 for the cycle time's 85th percentile.",
    ),
    click.option(
        "--wait-list",
        metavar="NAME",
        multiple=True,
        help="Flow efficiency: time in this list is waiting (repeatable; blocked time waits too).",
    ),
    click.option(
        "--behaviour", is_flag=True, help="XmR charts of weekly throughput and cycle time."
    ),
    click.option(
        "--baseline",
        metavar="FROM..TO",
        help="Weeks (by their Monday) the XmR limits come from; implies --behaviour.",
    ),
    click.option(
        "--backlog-forecast",
        is_flag=True,
        help="When each backlog card will be done (50/85/95 %, 10,000 trials, seed 0).",
    ),
    click.option(
        "--scope-growth",
        is_flag=True,
        help="With --backlog-forecast: cards keep arriving at the sampled historical rate.",
    ),
    click.option(
        "--flow-debt",
        metavar="[RATIO]",
        is_flag=False,
        flag_value="1.5",
        help="Little's law against cycle time over 8 weeks; flags a gap over RATIO (default 1.5).",
    ),
]


def with_metric_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the option flags; the command gets them as one ``option_flags: OptionFlags``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flags = OptionFlags(
            by=kwargs.pop("by"),
            blocked_label=kwargs.pop("blocked_label"),
            blocked_list=tuple(kwargs.pop("blocked_list")),
            business_days=kwargs.pop("business_days"),
            holidays=kwargs.pop("holidays"),
            time_zone=kwargs.pop("time_zone"),
            size_field=kwargs.pop("size_field"),
            sle_days=kwargs.pop("sle_days"),
            wait_list=tuple(kwargs.pop("wait_list")),
            behaviour=kwargs.pop("behaviour"),
            baseline=kwargs.pop("baseline"),
            backlog_forecast=kwargs.pop("backlog_forecast"),
            scope_growth=kwargs.pop("scope_growth"),
            flow_debt=kwargs.pop("flow_debt"),
        )
        return command(*args, option_flags=flags, **kwargs)

    decorated: Callable[..., Any] = wrapper
    for flag in reversed(_FLAGS):
        decorated = flag(decorated)
    return decorated


def _days(value: object) -> str:
    if not isinstance(value, int | float) or value != value:
        return "-"
    return f"{value:.1f} d"


def print_option_tables(metrics: FlowMetrics) -> None:
    """The options' part of the table: work types, blocked time, size, service level."""
    echo = click.echo
    if metrics.options.calendar is not None:
        echo("  Days are working days (see docs/metrics.md, Business days).")
    types = metrics.work_types
    if types is not None:
        width = max(4, *(len(name) for name in types.names))
        echo(f"  {'Type':<{width}}  {'Done':>5}  {'p50':>8}  {'p85':>8}  {'WIP':>4}")
        for row in types.summary.itertuples(index=False):
            echo(
                f"  {row.type!s:<{width}}  {row.done:>5}  {_days(row.p50):>8}  "
                f"{_days(row.p85):>8}  {row.wip:>4}"
            )
        echo("")
    blocked = metrics.blocked
    if blocked is not None:
        share = blocked.done_blocked_share
        shown = "-" if share is None else f"{share:.0%}"
        echo(
            f"  Blocked     {blocked.done_blocked_days:.1f} d of done cards' cycle time ({shown});"
            f" {counted(blocked.wip_blocked_now, 'card')} in progress blocked now"
        )
    size = metrics.size
    if size is not None:
        echo(
            f"  Size        {size.field}: {size.done_size:g} done, {size.wip_size:g} in progress;"
            f" {counted(size.cards_without_size, 'card')} without a value"
        )
    if metrics.options.service_level is not None:
        level = metrics.service_level
        if level is None:
            echo("  SLE         no done cards yet to derive it from; set --sle-days N")
        else:
            echo(f"  SLE         85 % within {level.days:.1f} d ({level.source})")
            for row in level.cards.itertuples(index=False):
                echo(f"    {row.status:<4}  {row.age_days:>6.1f} d  {row.name}  {row.url}")
    if blocked is not None or size is not None or metrics.options.service_level is not None:
        echo("")
    print_analytics_tables(metrics)


def print_analytics_tables(metrics: FlowMetrics) -> None:
    """Flow efficiency, behaviour signals, the backlog forecast and flow debt, when on."""
    from trellolens.metrics.flow_debt import flow_debt

    echo = click.echo
    efficiency = metrics.flow_efficiency
    if efficiency is not None:
        share = "-" if efficiency.efficiency is None else f"{efficiency.efficiency:.0%}"
        echo(f"  Efficiency  {share} active over {counted(efficiency.cards, 'card')} done in the last "
             f"{efficiency.window_days} days")  # fmt: skip
    if metrics.behaviour is not None:
        for chart in (metrics.behaviour.throughput, metrics.behaviour.cycle_time):
            for signal in chart.signals:
                echo(f"  Signal      {signal.reading}")
    backlog = metrics.backlog_forecast
    if backlog is not None:
        echo(
            f"  Backlog     {counted(len(backlog.cards), 'card')}, after {backlog.wip} in progress"
            " (p50 p85 p95)"
        )
        for card, dates in zip(backlog.cards, backlog.dates, strict=True):
            shown = "  ".join("never     " if d is None else d.isoformat() for d in dates)
            echo(f"    {shown}  {card.name}")
    if metrics.options.flow_debt is not None:
        echo(f"  {flow_debt(metrics, metrics.options.flow_debt).reading}")
