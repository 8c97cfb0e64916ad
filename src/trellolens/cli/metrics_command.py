"""`trellolens metrics FILE`: flow metrics of a board export, as a table or one JSON object."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trellolens.cli.errors import OneLineError, reports_errors
from trellolens.cli.metrics_options import OptionFlags, print_option_tables, with_metric_options
from trellolens.cli.wording import counted
from trellolens.errors import WorkflowError

if TYPE_CHECKING:  # the metrics need pandas and numpy: imported when the command runs
    from trellolens.board import Board
    from trellolens.metrics import FlowMetrics, Workflow


def _as_of(value: str | None) -> datetime | date | None:
    """An ISO time, or a date alone (resolved with the board: ``as_of_for_day``)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == len("2018-03-31"):
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise OneLineError(
            f"--as-of {value!r} is not an ISO 8601 time; use e.g. 2018-03-31 or 2018-03-31T12:00Z"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def resolve_as_of(value: datetime | date | None, board: Board, *, live: bool) -> datetime | None:
    """A date alone means what the dashboard's date means (``as_of_for_day``); a time is itself."""
    from trellolens.metrics import as_of_for_day, default_as_of

    if isinstance(value, datetime):
        return value
    default = default_as_of(board, live=live)
    if value is None:
        return default if live else None
    return as_of_for_day(value, default)


def _stages(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise OneLineError("--workflow is empty; give list names in order, e.g. 'To Do,Doing,Done'")
    return names


def _workflow(board: Board, names: list[str] | None, start_list: str | None) -> Workflow:
    """The chosen workflow; a WorkflowError gets the flags that fix it appended."""
    from trellolens.metrics import workflow_from_names

    try:
        return workflow_from_names(board, names, start_list)
    except WorkflowError as exc:
        # A name with a comma cannot go in --workflow: such a list is given by its id.
        lists = ",".join(lst.id if "," in lst.name else lst.name for lst in board.open_lists)
        hint = f'--workflow "{lists}"' + (" and --start-list NAME" if start_list else "")
        raise OneLineError(f"{exc} (use {hint})") from None


BOARD_ID = re.compile(r"[0-9a-fA-F]{24}|[A-Za-z0-9]{8}")
"""A Trello board id (24 hex digits) or short link (8 letters and digits)."""


def file_or_live_board(file_or_board_id: str) -> tuple[Board, bool]:
    """The export FILE if it exists, else the live board with that id (through the client);
    and whether the board is live."""
    from trellolens.board import load_board
    from trellolens.cli.fetch_command import fetch_live_board

    path = Path(file_or_board_id)
    if path.exists():
        return load_board(path), False
    if not BOARD_ID.fullmatch(file_or_board_id):
        raise OneLineError(
            f"{file_or_board_id}: no such file, and not a Trello board id (24 hex digits, or the "
            "8-character short link from the board's URL); check the path"
        )
    return fetch_live_board(file_or_board_id, quiet=True), True


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} d"


def _print_table(metrics: FlowMetrics) -> None:
    workflow = metrics.workflow
    percentiles = metrics.cycle_time_percentiles
    quality = metrics.data_quality
    echo = click.echo
    echo(f"{metrics.board_name} ({metrics.board_id}), as of {metrics.as_of:%Y-%m-%d %H:%M} UTC")
    echo(f"  Workflow   {' > '.join(workflow.stage_names)}")
    echo(f"  Start list {workflow.start_list.name}    Done list {workflow.done_list.name}")
    echo("")
    echo(
        f"  Cycle time  {counted(metrics.done_count, 'done card')}   p50 {_days(percentiles[50])}"
        f"   p85 {_days(percentiles[85])}   p95 {_days(percentiles[95])}"
    )
    echo(
        f"  Throughput  last 7 days {metrics.throughput_in_last(7)}"
        f"   last 30 days {metrics.throughput_in_last(30)}"
    )
    echo(f"  WIP         {counted(len(metrics.wip), 'card')}")
    echo("")
    if len(metrics.wip):
        width = max(4, *(len(str(name)) for name in metrics.wip["list"]))
        echo(f"  {'List':<{width}}  {'Age':>8}  Card")
        for row in metrics.wip.itertuples(index=False):
            echo(f"  {row.list!s:<{width}}  {row.age_days:>6.1f} d  {row.name}")
        echo("")
    if len(metrics.weekly_throughput):
        echo("  Week of       Done")
        for week in metrics.weekly_throughput.tail(8).itertuples(index=False):
            echo(f"  {week.week_start}  {week.count:>5}")
        echo("")
    echo(
        f"  Data quality: {counted(quality.cards_without_creation_event, 'card')} without a creation"
        " event;"
        f" history {'may be' if quality.actions_may_be_truncated else 'is not'} truncated;"
        f" ignored lists: {', '.join(quality.ignored_lists) or 'none'}"
    )


@click.command()
@click.argument("file_or_board_id")
@click.option(
    "--workflow",
    "workflow_names",
    metavar="'A,B,C'",
    help="Workflow lists in order, by name or id, comma-separated; the last is the done list.",
)
@click.option("--start-list", metavar="NAME", help="The list where work starts (commitment point).")
@click.option(
    "--as-of",
    "as_of_text",
    metavar="ISO",
    help="The board as it stood at this time; a date alone means the end of that day, UTC "
    "(default: now for a live board, else newest action).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@with_metric_options
@reports_errors
def metrics(
    file_or_board_id: str,
    workflow_names: str | None,
    start_list: str | None,
    as_of_text: str | None,
    as_json: bool,
    option_flags: OptionFlags,
) -> None:
    """Flow metrics (cycle time, throughput, WIP, cumulative flow) of the board export FILE,
    or of the live Trello board with that id (using your configured credentials)."""
    from trellolens.metrics import compute_flow_metrics, metrics_to_json

    as_of_given = _as_of(as_of_text)
    options = option_flags.to_options()
    board, live = file_or_live_board(file_or_board_id)
    workflow = _workflow(board, _stages(workflow_names), start_list)
    as_of = resolve_as_of(as_of_given, board, live=live)
    result = compute_flow_metrics(board, workflow, as_of, options)
    if as_json:
        click.echo(json.dumps(metrics_to_json(result), indent=2, ensure_ascii=False))
    else:
        _print_table(result)
        print_option_tables(result)
