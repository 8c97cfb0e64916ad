"""`trellolens metrics` with the options flags, on a hand-made board written to a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.metrics.option_boards import KIND, POINTS, BoardPlan, kind, points
from trellolens.cli.main import cli

FLOW = "To Do,Doing,Review,Done"


@pytest.fixture
def board_file(tmp_path: Path) -> Path:
    plan = BoardPlan(custom_fields=[POINTS, KIND])
    # Friday 5 January 10:00 -> Monday 8 January 10:00: 3 days, 1 working day; blocked 1 day.
    plan.card("A", 0, (4 + 10 / 24, "Doing"), (7 + 10 / 24, "Done"), labels=("Bug",),
              label_events=[(5, "add", "Blocked"), (6, "remove", "Blocked")],
              fields=[points(3), kind("o-failure")])  # fmt: skip
    plan.card("B", 0, (1, "Doing"), (3, "Done"), labels=("Feature",), fields=[points(5)])
    plan.card("C", 0, (2, "Doing"), (9, "Review"), labels=("Blocked",),
              label_events=[(8, "add", "Blocked")])  # fmt: skip
    path = tmp_path / "hand-made.json"
    path.write_text(json.dumps(plan.export()), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["metrics", *args])
    return result.exit_code, result.stdout, result.stderr


def test_every_option_in_the_json(board_file: Path, tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("# office closed\n2024-01-03\n", encoding="utf-8")
    code, out, err = run(
        str(board_file), "--workflow", FLOW, "--json", "--by", "label:Bug,Feature",
        "--blocked-label", "--business-days", "--holidays", str(holidays),
        "--size-field", "Story points", "--sle-days", "4",
    )  # fmt: skip
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert list(payload) == [
        "schema_version", "board", "as_of", "workflow", "cycle_time", "throughput", "wip", "cfd",
        "data_quality", "day_unit", "options", "work_types", "blocked", "size", "service_level",
    ]  # fmt: skip
    assert payload["schema_version"] == 2
    assert payload["day_unit"] == "working"
    assert payload["options"] == {
        "business_days": {"weekdays_only": True, "holidays": ["2024-01-03"], "time_zone": "UTC"},
        "by": {"field": None, "labels": ["Bug", "Feature"]},
        "blocked": {"labels": ["Blocked"], "lists": []},
        "size_field": "Story points",
        "sle_days": 4.0,
        "flow_efficiency": None,
        "behaviour": None,
        "backlog_forecast": None,
        "flow_debt": None,
    }
    cards = {card["name"]: card for card in payload["cycle_time"]["cards"]}
    # A: 1 working day, blocked Saturday 0:00 -> Sunday 0:00, which is no working time.
    assert cards["A"] == cards["A"] | {"days": 1.0, "type": "Bug", "blocked_days": 0.0, "size": 3.0}
    # B: Tuesday 2 -> Thursday 4 minus the holiday on Wednesday 3: 1 working day.
    assert cards["B"] == cards["B"] | {"days": 1.0, "type": "Feature", "blocked_share": 0.0}
    (wip,) = payload["wip"]["cards"]
    # C: in progress Wednesday 3 (holiday) -> Wednesday 10 (as-of): Thu, Fri, Mon, Tue = 4 days;
    # blocked from Tuesday 9 = 1 working day.
    assert wip | {"age_days": 4.0, "blocked": True, "blocked_days": 1.0, "type": "(none)"} == wip
    types = {row["type"]: row for row in payload["work_types"]["types"]}
    assert (types["Bug"]["done"], types["Feature"]["done"], types["(none)"]["wip"]) == (1, 1, 1)
    assert types["Bug"]["forecast_wip_done"] == {"p50": "2024-01-10", "p85": "2024-01-10", "p95": "2024-01-10"}  # fmt: skip
    assert payload["blocked"]["wip_blocked_now"] == 1
    assert payload["size"]["done"] == 8.0
    assert payload["size"]["weekly"] == [
        {"week_start": "2024-01-01", "size": 5.0},
        {"week_start": "2024-01-08", "size": 3.0},
    ]
    assert payload["service_level"] == {
        "days": 4.0,
        "source": "set",
        "cards": [
            {"id": wip["id"], "name": "C", "url": "https://trello.com/c/card0003", "list": "Review",
             "age_days": 4.0, "days_left": 0.0, "status": "soon"},
        ],
    }  # fmt: skip


def test_table_shows_the_options(board_file: Path) -> None:
    code, out, _ = run(
        str(board_file), "--workflow", FLOW, "--by", "field:Work type", "--blocked-label",
        "blocked", "--size-field", "story points", "--sle-days", "p85",
    )  # fmt: skip
    assert code == 0
    assert "Failure demand" in out
    assert "Value demand" in out
    assert "Blocked     1.0 d of done cards' cycle time" in out
    assert "Size        Story points: 8 done, 0 in progress; 1 card without a value" in out
    assert "SLE         85 % within " in out
    assert "https://trello.com/c/card0003" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--by", "colour"], "--by 'colour' is not a split; use --by label"),
        (["--by", "label:Chore"], "no label 'Chore' on board 'Hand-made'"),
        (["--by", "field:Story points"], "custom field 'Story points' is a number field"),
        (["--blocked-label", "Waiting"], "no label 'Waiting' on board 'Hand-made'"),
        (["--blocked-list", "Waiting"], "no list 'Waiting' on board 'Hand-made'"),
        (["--sle-days", "0"], "--sle-days '0' is not a positive number of days"),
        (["--sle-days", "soon"], "--sle-days 'soon' is not a positive number of days"),
        (["--time-zone", "Mars/Base"], "unknown time zone 'Mars/Base'"),
        (["--holidays", "nowhere.txt"], "--holidays nowhere.txt: no such file"),
        (["--size-field", "Work type"], "custom field 'Work type' is a list field; size needs"),
    ],
)
def test_bad_option_flags_are_one_line(board_file: Path, args: list[str], expected: str) -> None:
    code, out, err = run(str(board_file), "--workflow", FLOW, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("trellolens: error: ")
    assert expected in err
    assert err.count("\n") == 1


def test_bad_holidays_file_names_the_line(board_file: Path, tmp_path: Path) -> None:
    holidays = tmp_path / "days.txt"
    holidays.write_text("2024-12-25\n2024-12-26, 31/12/2024\n", encoding="utf-8")
    code, _, err = run(str(board_file), "--holidays", str(holidays))
    assert code == 2
    assert err == (
        "trellolens: error: days.txt: line 2: '31/12/2024' is not a date; write one date per "
        "line like 2026-12-25\n"
    )
