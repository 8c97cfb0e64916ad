"""Weekly throughput runs to the as-of week with its zero weeks, in the metrics, the CSV and the CLI;
a date alone means one instant (the end of that day, UTC) in the CLI and in the dashboard."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from click.testing import CliRunner

from tests.helpers.paths import HERMES_2014, SCRUM_2018
from trellolens.board import load_board
from trellolens.cli.main import cli
from trellolens.metrics import (
    MetricOptions,
    WorkTypes,
    as_of_for_day,
    compute_flow_metrics,
    default_as_of,
    metrics_to_json,
)
from trellolens.metrics.series import weekly_throughput


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["metrics", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_2014_export_shows_every_week_up_to_its_as_of_week_zeros_included() -> None:
    metrics = compute_flow_metrics(load_board(HERMES_2014))
    weeks = metrics.weekly_throughput
    starts = list(weeks["week_start"])
    assert starts[-1] == monday_of(metrics.as_of.date())  # not the last week something was done
    assert starts == [starts[0] + timedelta(weeks=n) for n in range(len(starts))]
    assert (weeks["count"] == 0).sum() > len(weeks) // 2  # the quiet year is there, as zeros
    assert weeks["count"].sum() == metrics.done_count


def test_a_later_as_of_adds_the_weeks_since_as_zeros() -> None:
    board = load_board(HERMES_2014)
    now = compute_flow_metrics(board)
    later = compute_flow_metrics(board, as_of=now.as_of + timedelta(days=365))
    added = later.weekly_throughput.iloc[len(now.weekly_throughput) :]
    assert len(added) >= 52
    assert (added["count"] == 0).all()
    assert later.weekly_throughput["count"].sum() == now.weekly_throughput["count"].sum()


def test_weeks_by_type_run_to_the_as_of_week_too() -> None:
    board = load_board(HERMES_2014)
    options = MetricOptions(work_types=WorkTypes())
    metrics = compute_flow_metrics(board, options=options)
    assert metrics.work_types is not None
    by_type = metrics.work_types.weekly_throughput
    assert list(by_type["week_start"]) == list(metrics.weekly_throughput["week_start"])
    totals = by_type.drop(columns="week_start").sum(axis=1)
    assert list(totals) == list(metrics.weekly_throughput["count"])


def test_done_times_after_the_as_of_day_are_left_out() -> None:
    day = 24 * 3600 * 1_000_000
    done = np.array([0, 10 * day, 40 * day], dtype=np.int64)  # Thursday 1970-01-01 and later
    weeks = weekly_throughput(done, as_of_day=20)
    assert list(weeks["week_start"]) == [date(1969, 12, 29), date(1970, 1, 5), date(1970, 1, 12),
                                         date(1970, 1, 19)]  # fmt: skip
    assert list(weeks["count"]) == [1, 1, 0, 0]


def test_the_cli_table_ends_at_the_as_of_week() -> None:
    board = load_board(HERMES_2014)
    last_week = monday_of(default_as_of(board).date())
    out = run(str(HERMES_2014))
    week_lines = out.split("Week of       Done\n")[1].split("\n\n")[0].splitlines()
    assert len(week_lines) == 8
    assert week_lines[-1].split() == [last_week.isoformat(), "0"]


def test_a_date_alone_is_the_end_of_that_day_utc() -> None:
    default = datetime(2018, 3, 31, 9, 30, tzinfo=UTC)
    assert as_of_for_day(date(2018, 3, 1), default) == datetime.combine(
        date(2018, 3, 1), time.max, tzinfo=UTC
    )
    assert as_of_for_day(date(2018, 3, 31), default) == default  # never after the default


def test_cli_date_means_the_same_instant_as_the_dashboards_date() -> None:
    from trellolens.ui.components.as_of_picker import as_of_for_date

    board = load_board(SCRUM_2018)
    dashboard = as_of_for_date(date(2018, 3, 9), default_as_of(board))
    expected = metrics_to_json(compute_flow_metrics(board, as_of=dashboard))
    assert json.loads(run(str(SCRUM_2018), "--as-of", "2018-03-09", "--json")) == expected
    end_of_day = run(str(SCRUM_2018), "--as-of", "2018-03-09T23:59:59.999999Z", "--json")
    assert json.loads(end_of_day) == expected
    # The day's actions count: the start of the day is another board.
    start_of_day = run(str(SCRUM_2018), "--as-of", "2018-03-09T00:00:00Z", "--json")
    assert json.loads(start_of_day) != expected


def test_the_default_day_is_the_default_instant() -> None:
    board = load_board(SCRUM_2018)
    newest = default_as_of(board).date().isoformat()
    assert run(str(SCRUM_2018), "--as-of", newest, "--json") == run(str(SCRUM_2018), "--json")


def test_before_the_first_done_card_there_are_no_weeks_by_type_either() -> None:
    board = load_board(HERMES_2014)
    first_done = compute_flow_metrics(board).cycle_times["done"].min().to_pydatetime()
    metrics = compute_flow_metrics(
        board, as_of=first_done - timedelta(days=1), options=MetricOptions(work_types=WorkTypes())
    )
    assert metrics.work_types is not None
    assert metrics.weekly_throughput.empty
    by_type = metrics.work_types.weekly_throughput
    assert by_type.empty
    assert list(by_type.columns) == ["week_start", *metrics.work_types.names]
