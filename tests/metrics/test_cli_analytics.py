"""The analytics flags of `trellolens metrics`: their JSON, their table lines, their one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.ui.option_board import option_board_export
from trellolens.cli.main import cli


@pytest.fixture
def board_file(tmp_path: Path) -> Path:
    path = tmp_path / "options.json"
    path.write_text(json.dumps(option_board_export()), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["metrics", *args])
    return result.exit_code, result.stdout, result.stderr


def test_every_analytics_flag_in_the_json(board_file: Path) -> None:
    code, out, err = run(
        str(board_file), "--json", "--wait-list", "Review", "--baseline", "2024-01-01..",
        "--backlog-forecast", "--scope-growth", "--flow-debt", "2",
    )  # fmt: skip
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert list(payload)[-4:] == ["flow_efficiency", "behaviour", "backlog_forecast", "flow_debt"]
    assert payload["options"]["behaviour"] == {"baseline_from": "2024-01-01", "baseline_to": None}
    assert payload["options"]["backlog_forecast"] == {
        "scope_growth": True, "trials": 10_000, "window_days": 56, "seed": 0,
    }  # fmt: skip
    assert payload["options"]["flow_debt"] == {"ratio": 2.0, "window_days": 56}
    assert payload["flow_efficiency"]["efficiency"] == 1.0  # nothing done ever waited in Review
    assert [w["value"] for w in payload["behaviour"]["throughput"]["weeks"]] == [2.0, 2.0]
    assert [c["name"] for c in payload["backlog_forecast"]["cards"]] == ["H"]
    assert payload["backlog_forecast"]["wip"] == 3
    assert payload["flow_debt"]["state"] == "debt"  # ratio 2.5 > 2
    again = json.loads(run(str(board_file), "--json", "--backlog-forecast")[1])
    assert again["backlog_forecast"]["cards"] == payload["backlog_forecast"]["cards"]  # seed 0


def test_the_table_gains_a_line_per_analytics(board_file: Path) -> None:
    code, out, _ = run(
        str(board_file), "--wait-list", "Review", "--behaviour", "--backlog-forecast", "--flow-debt"
    )
    assert code == 0
    assert "  Efficiency  100% active over 4 cards done in the last 56 days" in out
    assert "  Backlog     1 card, after 3 in progress (p50 p85 p95)" in out
    assert "Flow debt: WIP is ageing faster than work finishes" in out


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--scope-growth"], "--scope-growth goes with --backlog-forecast; add it"),
        (["--baseline", "last spring"], "--baseline 'last spring' is not a range of dates"),
        (
            ["--baseline", "2024-03-01..2024-01-01"],
            "the baseline ends (2024-01-01) before it starts",
        ),
        (["--flow-debt", "0.5"], "--flow-debt '0.5' is not a ratio above 1"),
        (["--wait-list", "Queue"], "Queue"),
    ],
)
def test_bad_analytics_flags_are_one_line(board_file: Path, flags: list[str], message: str) -> None:
    code, out, err = run(str(board_file), *flags)
    assert code != 0
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
