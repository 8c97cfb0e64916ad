"""`trellolens board summary`: lists with open-card counts; bad files give one line and status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from trellolens.cli.main import cli

SCRUM_OPEN_CARDS = {
    "Meetingroom": 2,
    "Parents": 3,
    "Product Backlog": 6,
    "Sprint Backlog": 7,
    "Doing": 2,
    "Review": 10,
    "Done": 28,
}


def _expected_counts(path: Path) -> list[tuple[str, int]]:
    """Open lists by pos with their open cards, straight from the JSON."""
    raw = json.loads(path.read_bytes())
    lists = sorted((lst for lst in raw["lists"] if not lst["closed"]), key=lambda lst: lst["pos"])
    return [
        (lst["name"], sum(1 for c in raw["cards"] if c["idList"] == lst["id"] and not c["closed"]))
        for lst in lists
    ]


def test_summary_json_on_scrum(scrum_export: Path) -> None:
    result = CliRunner().invoke(cli, ["board", "summary", str(scrum_export), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    payload = json.loads(result.stdout)
    assert payload["board"] == {"id": "5a1532fe1a583c9b3bb5bc8b", "name": "amirite"}
    counts = [(item["name"], item["open_cards"]) for item in payload["lists"]]
    assert counts == list(SCRUM_OPEN_CARDS.items())
    assert counts == _expected_counts(scrum_export)
    assert all(isinstance(item["id"], str) for item in payload["lists"])


def test_summary_json_on_hermes_skips_archived_lists(hermes_export: Path) -> None:
    result = CliRunner().invoke(cli, ["board", "summary", str(hermes_export), "--json"])
    assert result.exit_code == 0, result.output
    counts = [(item["name"], item["open_cards"]) for item in json.loads(result.stdout)["lists"]]
    assert counts == _expected_counts(hermes_export)
    assert len(counts) == 8
    assert "Squashed" not in dict(counts)


def test_summary_text_is_a_table(scrum_export: Path) -> None:
    result = CliRunner().invoke(cli, ["board", "summary", str(scrum_export)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "amirite (5a1532fe1a583c9b3bb5bc8b)"
    assert lines[1].split() == ["List", "Open", "cards"]
    rows = [line.rsplit(maxsplit=1) for line in lines[2:]]
    assert [(name.strip(), int(count)) for name, count in rows] == list(SCRUM_OPEN_CARDS.items())
    # Counts are right-aligned in one column.
    assert len({len(line) for line in lines[1:]}) == 1


def _bad_file(tmp_path: Path, name: str, content: bytes) -> Path:
    file = tmp_path / name
    file.write_bytes(content)
    return file


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("not-json.json", b"hello", "not-json.json: $: not valid JSON"),
        ("empty.json", b"", "empty.json: $: the file is empty"),
        ("array.json", b"[1, 2]", "array.json: $: expected a board object"),
        (
            "wrong.json",
            b'{"id": "b", "name": "B", "cards": [{"id": "c", "name": "C", "idList": 1}]}',
            "wrong.json: $.cards[0].idList: expected a string",
        ),
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00", "binary.json: $: not UTF-8"),
    ],
)
@pytest.mark.parametrize("as_json", [False, True])
def test_bad_file_gives_one_line_and_status_2(
    tmp_path: Path, name: str, content: bytes, expected: str, as_json: bool
) -> None:
    file = _bad_file(tmp_path, name, content)
    args = ["board", "summary", str(file), *(["--json"] if as_json else [])]
    result = CliRunner().invoke(cli, args)
    _assert_one_line_error(result.exit_code, result.stderr, expected)
    assert result.stdout == ""


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["board", "summary", str(tmp_path / "nope.json")])
    _assert_one_line_error(missing.exit_code, missing.stderr, "nope.json: $: no such file")
    directory = CliRunner().invoke(cli, ["board", "summary", str(tmp_path)])
    _assert_one_line_error(directory.exit_code, directory.stderr, f"{tmp_path.name}: $: is a")


def test_truncated_export(tmp_path: Path, scrum_export: Path) -> None:
    raw = scrum_export.read_bytes()
    file = _bad_file(tmp_path, "cut.json", raw[: len(raw) // 3])
    result = CliRunner().invoke(cli, ["board", "summary", str(file), "--json"])
    _assert_one_line_error(result.exit_code, result.stderr, "cut.json: $: truncated JSON")


def _assert_one_line_error(exit_code: int, stderr: str, expected: str) -> None:
    assert exit_code == 2
    assert stderr.endswith("\n")
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith(f"trellolens: error: {expected}"), stderr
    assert "Traceback" not in stderr
