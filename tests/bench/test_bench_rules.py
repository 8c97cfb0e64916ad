"""The benchmarks' own rules: per-credential scoring with the finding's span, other services'
credentials counted apart, a failing command stops bench/startup.py, and a partial rerun replaces
only its own rows in bench/RESULTS.md."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import run_all  # noqa: E402
import scan_score  # noqa: E402
import startup  # noqa: E402
from results import Row  # noqa: E402
from scan_score import Credential, Finding  # noqa: E402

SPLIT = Credential("a.py", 5, 6, "token", "trello")
KEY = Credential("a.py", 9, 9, "api-key", "trello")
DATADOG = Credential("a.env", 2, 2, "other-service", "other")


def test_a_finding_on_either_line_of_a_split_credential_finds_it_once() -> None:
    findings = {Finding("a.py", 6, 6), Finding("a.py", 5, 5)}
    score = scan_score.score("tool", findings, [SPLIT, KEY])
    assert score.true_positives == 1
    assert score.false_positives == ()  # the second line of the same value is no false alarm
    assert [c.line for c in score.missed] == [9]
    assert score.found["token"] == (1, 1)
    assert score.found["api-key"] == (0, 1)


def test_a_finding_on_a_look_alike_is_a_false_alarm_and_one_on_another_service_is_neither() -> None:
    findings = {Finding("a.py", 9, 9), Finding("a.py", 12, 12), Finding("a.env", 2, 2)}
    score = scan_score.score("tool", findings, [KEY, DATADOG])
    assert score.true_positives == 1
    assert score.false_positives == (Finding("a.py", 12, 12),)
    assert score.on_other_services == 1
    assert score.precision == pytest.approx(0.5)


def test_the_held_out_labels_point_at_lines_that_hold_their_credentials() -> None:
    for credential in scan_score.read_labels(scan_score.HELD_OUT_LABELS):
        lines = (scan_score.HELD_OUT / credential.file).read_text().splitlines()
        text = "".join(lines[credential.line - 1 : credential.end_line])
        if credential.kind == "token":
            assert re.search(r"ATTA[0-9a-f]{28}", text)
            assert "CANARY" in text  # fake, and says so
        else:
            assert re.search(r"(?<![0-9a-f])[0-9a-f]{32}(?:[0-9a-f]{32})?(?![0-9a-f])", text)


def test_a_command_that_exits_with_an_unexpected_code_stops_the_startup_bench() -> None:
    failing = startup.Timings("false", ["false"])
    with pytest.raises(SystemExit, match="exited 1"):
        failing.run({"PATH": "/usr/bin:/bin"})


def test_a_traceback_fails_even_with_an_accepted_exit_code() -> None:
    crashing = startup.Timings(
        "crash",
        [sys.executable, "-c", "raise SystemExit(__import__('x_no_such_module'))"],
        ok_exits=(0, 1),
    )
    with pytest.raises(SystemExit, match=r"Traceback|ModuleNotFoundError"):
        crashing.run({"PATH": "/usr/bin:/bin"})


def test_rerunning_some_scripts_replaces_only_their_rows(tmp_path: Path) -> None:
    old = [Row("parse", "p", "1", "json", "2x"), Row("fetch", "f", "1", "py-trello", "3x")]
    fresh = [Row("fetch", "f", "9", "py-trello", "1.1x")]
    rows = run_all.merged(old, fresh, ["fetch"])
    assert [(row.bench, row.ours) for row in rows] == [("parse", "1"), ("fetch", "9")]
    stored = tmp_path / "rows.jsonl"
    stored.write_text(json.dumps(old[0].__dict__) + "\n")
    assert run_all.read_rows(stored) == [old[0]]
