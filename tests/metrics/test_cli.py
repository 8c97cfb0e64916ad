"""`trellolens metrics` through click's CliRunner."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.metrics.fixture_workflows import SCRUM_FLOW as SCRUM_WORKFLOW
from trellolens.cli.main import cli
from trellolens.testing import generate_export

SCRUM_FLOW = ",".join(SCRUM_WORKFLOW)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["metrics", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_shape_is_exactly_the_documented_one(scrum_export: Path) -> None:
    code, out, _ = run(str(scrum_export), "--workflow", SCRUM_FLOW, "--json")
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == [
        "schema_version",
        "board", "as_of", "workflow", "cycle_time", "throughput", "wip", "cfd", "data_quality"
    ]  # fmt: skip
    assert payload["schema_version"] == 2
    assert set(payload["board"]) == {"id", "name"}
    assert payload["as_of"] == "2018-03-31T12:38:14.542Z"
    assert payload["workflow"] == {
        "stages": SCRUM_FLOW.split(","),
        "start_list": "Doing",
        "done_list": "Done",
    }
    cycle = payload["cycle_time"]
    assert set(cycle) == {"cards", "count", "p50", "p85", "p95"}
    assert cycle["count"] == len(cycle["cards"]) == 28
    assert set(cycle["cards"][0]) == {"id", "name", "started", "done", "days"}
    assert cycle["p50"] <= cycle["p85"] <= cycle["p95"]
    assert set(payload["throughput"]) == {"weekly"}
    assert set(payload["throughput"]["weekly"][0]) == {"week_start", "count"}
    assert payload["throughput"]["weekly"][0]["week_start"] == "2017-11-27"
    assert set(payload["wip"]) == {"count", "cards"}
    assert payload["wip"]["count"] == 12
    assert set(payload["wip"]["cards"][0]) == {"id", "name", "list", "age_days"}
    assert list(payload["cfd"][-1]) == ["date", *SCRUM_FLOW.split(",")]
    assert payload["cfd"][-1]["date"] == "2018-03-31"
    assert payload["data_quality"] == {
        "cards_without_creation_event": 0,
        "actions_may_be_truncated": False,
        "ignored_lists": ["Meetingroom", "Parents"],
    }


def test_start_list_and_as_of(scrum_export: Path) -> None:
    code, out, _ = run(
        str(scrum_export), "--workflow", SCRUM_FLOW, "--start-list", "review",
        "--as-of", "2018-04-10T00:00:00Z", "--json",
    )  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert payload["workflow"]["start_list"] == "Review"
    assert payload["as_of"] == "2018-04-10T00:00:00.000Z"
    assert payload["wip"]["count"] == 10  # Review only
    assert payload["cfd"][-1]["date"] == "2018-04-10"


def test_readable_table(hermes_export: Path) -> None:
    code, out, _ = run(str(hermes_export), "--workflow", "Future Features,To Do,Doing,Done")
    assert code == 0
    assert "Workflow   Future Features > To Do > Doing > Done" in out
    assert "Cycle time  13 done cards" in out
    assert "ignored lists: Bugs, Milestones" in out


def test_generated_export(tmp_path: Path) -> None:
    path = tmp_path / "generated.json"
    path.write_text(json.dumps(generate_export(cards=30, actions=200, seed=3)))
    code, out, _ = run(str(path), "--json")
    assert code == 0
    assert json.loads(out)["workflow"]["stages"] == ["Backlog", "To Do", "Doing", "Review", "Done"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--workflow", "Product Backlog,Nope,Done"], "no list 'Nope' on board 'amirite'"),
        (["--workflow", "Done"], "a workflow needs at least 2 lists"),
        (["--workflow", " , "], "--workflow is empty"),
        (["--workflow", SCRUM_FLOW, "--start-list", "Parents"], "start list 'Parents' is not in"),
        (["--as-of", "yesterday"], "--as-of 'yesterday' is not an ISO 8601 time"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    scrum_export: Path, args: list[str], expected: str
) -> None:
    code, out, err = run(str(scrum_export), *args)
    assert code == 2
    assert out == ""
    assert err.startswith("trellolens: error: ")
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_workflow_errors_get_the_flag_hint_from_the_cli(scrum_export: Path) -> None:
    lists = "Meetingroom,Parents,Product Backlog,Sprint Backlog,Doing,Review,Done"
    quoted = ", ".join(repr(name) for name in lists.split(","))
    _, _, err = run(str(scrum_export), "--workflow", "Done")
    assert err.rstrip("\n").endswith(f'the done list last: {quoted} (use --workflow "{lists}")')
    _, _, err = run(str(scrum_export), "--workflow", SCRUM_FLOW, "--start-list", "Parents")
    assert err.rstrip("\n").endswith(f'(use --workflow "{lists}" and --start-list NAME)')
    assert err.count("\n") == 1


def test_as_of_before_the_newest_action_rewinds_the_board(scrum_export: Path) -> None:
    code, out, _ = run(
        str(scrum_export), "--workflow", SCRUM_FLOW, "--as-of", "2018-01-31T23:59:59.999Z", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["cycle_time"]["count"] == 12  # see tests/metrics/test_as_of.py
    assert payload["wip"]["count"] == 7
    assert payload["cfd"][-1]["date"] == "2018-01-31"
    assert all(
        card["done"] <= "2018-01-31T23:59:59.999Z" for card in payload["cycle_time"]["cards"]
    )


def test_board_id_without_credentials_is_three_short_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    # A board id goes through the Trello client (tests/trello/test_cli_fetch.py has the rest).
    for name in [n for n in os.environ if n.startswith(("TRELLO", "AWS_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TRELLOLENS_SOURCES", "env")
    code, _, err = run("5a1532fe1a583c9b3bb5bc8b")
    assert code == 2
    assert err.count("\n") == 3  # nothing configured: what, then the two quickest ways
    assert "Trello credentials missing" in err


def test_broken_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x", "name": ')
    code, _, err = run(str(path))
    assert code == 2
    assert err.startswith("trellolens: error: ")
    assert err.count("\n") == 1
