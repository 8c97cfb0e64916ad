"""Bad input gives BoardFormatError: one line naming the source and the JSON path of the problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.board.exports import SCRUM_2018, export_json, raw_bytes
from trellolens.board import MAX_UPLOAD_BYTES, load_board, parse_board, parse_board_bytes
from trellolens.errors import BoardFormatError, TrellolensError

CANARY = "CANARY-7f3a"  # a value that must never be echoed into a message


def _error(call: Callable[[], object], source: str, path: str) -> BoardFormatError:
    with pytest.raises(BoardFormatError) as caught:
        call()
    error = caught.value
    message = str(error)
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"{source}: {path}: "), message
    assert (error.source, error.path) == (source, path)
    assert isinstance(error, TrellolensError)
    assert isinstance(error, ValueError)
    return error


def _scrum_with(change: Callable[[dict[str, Any]], None]) -> bytes:
    payload = export_json(SCRUM_2018)
    change(payload)
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"hello, board", "not valid JSON"),
        (b'{"id": "b", "name": "B",, }', "not valid JSON"),
        (raw_bytes(SCRUM_2018)[: len(raw_bytes(SCRUM_2018)) // 2], "truncated JSON"),
        (b'{"id": "b", "name": "B", "lists": [', "truncated JSON"),
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"[]", "expected a board object, got an array"),
        (b"42", "expected a board object, got a number"),
        (b'"board"', "expected a board object, got a string"),
        (b"null", "expected a board object, got null"),
        (b"[" * 100_000, "nested too deeply"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"id": "b", "name": "caf\xe9"}', "not UTF-8"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        (b'{"id": "b", "name": "B", "pos": ' + b"9" * 5000 + b"}", "number is too long"),
    ],
    ids=[
        "text",
        "syntax",
        "truncated-export",
        "truncated-small",
        "empty",
        "blank",
        "bom-only",
        "array",
        "number",
        "string",
        "null",
        "deeply-nested-open",
        "deeply-nested-closed",
        "latin-1",
        "utf-16",
        "huge-int-literal",
    ],
)
def test_not_a_board_file(raw: bytes, words: str) -> None:
    error = _error(lambda: parse_board_bytes(raw, source="export.json"), "export.json", "$")
    assert words in error.problem


def test_a_card_is_not_a_board() -> None:
    card = export_json(SCRUM_2018)["cards"][0]
    error = _error(lambda: parse_board(card, source="card.json"), "card.json", "$")
    assert "card or list" in error.problem
    assert "Export as JSON" in error.problem


def test_an_object_without_id() -> None:
    _error(lambda: parse_board({"name": "B", "lists": []}, source="x.json"), "x.json", "$.id")
    _error(lambda: parse_board({"id": 7, "name": "B"}, source="x.json"), "x.json", "$.id")
    _error(lambda: parse_board({"id": "b"}, source="x.json"), "x.json", "$.name")


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        node: Any = payload
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("where", "value", "json_path", "words"),
    [
        (("cards", 3, "idList"), 5, "$.cards[3].idList", "expected a string, got a number"),
        (("cards", 3, "idList"), None, "$.cards[3].idList", "is missing"),
        (("lists",), {"a": 1}, "$.lists", "expected an array, got an object"),
        (("cards", 2, "due"), CANARY, "$.cards[2].due", "ISO 8601"),
        (("cards", 2, "due"), "2018-03-31T12:00:00", "$.cards[2].due", "time zone"),
        (("cards", 2, "due"), 1522497600, "$.cards[2].due", "expected a date string"),
        (("cards", 4, "closed"), "yes", "$.cards[4].closed", "true or false"),
        (("cards", 4, "idLabels"), [1], "$.cards[4].idLabels[0]", "id string"),
        (("cards", 0), [], "$.cards[0]", "expected an object, got an array"),
        (("lists", 1, "pos"), CANARY, "$.lists[1].pos", '"top" or "bottom"'),
        (("lists", 1, "pos"), True, "$.lists[1].pos", "expected a number"),
        (("actions", 10, "date"), 12, "$.actions[10].date", "expected a date string"),
        (("actions", 10, "date"), None, "$.actions[10].date", "is missing"),
        (("actions", 10, "type"), None, "$.actions[10].type", "is missing"),
        (("actions", 5, "data"), "x", "$.actions[5].data", "expected an object"),
        (("actions", 5, "data", "listAfter"), "x", "$.actions[5].data.listAfter", "object"),
        (("actions", 5, "data", "card"), {"id": 9}, "$.actions[5].data.card.id", "id string"),
        (("actions", 6, "idMemberCreator"), 1, "$.actions[6].idMemberCreator", "string or null"),
        (("members", 0, "id"), None, "$.members[0].id", "is missing"),
        (("labels", 0), 3, "$.labels[0]", "expected an object, got a number"),
        (("checklists", 0, "checkItems", 1, "pos"), {}, "$.checklists[0].checkItems[1].pos", ""),
        (("checklists", 0, "idCard"), None, "$.checklists[0].idCard", "is missing"),
        (("dateLastActivity",), "yesterday", "$.dateLastActivity", "ISO 8601"),
    ],
)
def test_wrong_types_name_the_json_path(
    where: tuple[str | int, ...], value: object, json_path: str, words: str
) -> None:
    raw = _scrum_with(_set(where, value))
    error = _error(lambda: parse_board_bytes(raw, "scrum.json", 10**7), "scrum.json", json_path)
    assert words in error.problem
    assert CANARY not in str(error)


@pytest.mark.parametrize(
    ("raw_pos", "json_path"),
    [(b"NaN", "$.lists[0].pos"), (b"Infinity", "$.lists[0].pos"), (b"1e999", "$.lists[0].pos")],
)
def test_non_finite_positions(raw_pos: bytes, json_path: str) -> None:
    raw = b'{"id": "b", "name": "B", "lists": [{"id": "l", "name": "L", "pos": ' + raw_pos + b"}]}"
    error = _error(lambda: parse_board_bytes(raw, "b.json"), "b.json", json_path)
    assert "finite" in error.problem


def test_huge_int_position_from_python() -> None:
    payload = {"id": "b", "name": "B", "cards": [{"id": "c", "name": "C", "idList": "l"}]}
    payload["cards"][0]["pos"] = 10**400  # type: ignore[index]
    _error(lambda: parse_board(payload, "api"), "api", "$.cards[0].pos")


def test_a_50_megabyte_upload_is_refused_before_decoding() -> None:
    raw = bytes(50 * 1024 * 1024)
    assert len(raw) > MAX_UPLOAD_BYTES
    error = _error(lambda: parse_board_bytes(raw, source="big.json"), "big.json", "$")
    assert "50.0 MB" in error.problem
    assert "20.0 MB limit" in error.problem


def test_load_board_refuses_a_file_over_its_limit(tmp_path: Path) -> None:
    file = tmp_path / "big.json"
    file.write_bytes(raw_bytes(SCRUM_2018))
    error = _error(lambda: load_board(file, max_bytes=1000), "big.json", "$")
    assert "limit" in error.problem


def test_load_board_on_a_directory(tmp_path: Path) -> None:
    error = _error(lambda: load_board(tmp_path), tmp_path.name, "$")
    assert "directory" in error.problem


def test_load_board_on_a_missing_file(tmp_path: Path) -> None:
    error = _error(lambda: load_board(tmp_path / "nope.json"), "nope.json", "$")
    assert "no such file" in error.problem


def test_load_board_names_the_file_on_bad_content(tmp_path: Path) -> None:
    file = tmp_path / "broken.json"
    file.write_bytes(b'{"id": "b", "name": "B", "cards": [{"id": "c", "name": "C", "idList": 3}]}')
    _error(lambda: load_board(file), "broken.json", "$.cards[0].idList")


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    file = tmp_path / "two\nlines.json"
    file.write_bytes(b"[]")
    error = _error(lambda: load_board(file), "two\\nlines.json", "$")
    assert "\n" not in str(error)
    _error(lambda: parse_board_bytes(b"", source="a\u2028b"), "a\\u2028b", "$")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"id": "b", "name": "Bo',
        b'{"id": "b", "name": "B\\u00',
        b'{"id": "b", "closed": tr',
        b'{"id": "b", "pos": -',
        b'{"id": "b", "pos": 1.',
        b'{"id": "b", "pos": 1e-',
        '{"id": "b", "name": "Allfälliges"}'.encode()[:-5],
    ],
    ids=["string", "escape", "literal", "minus", "point", "exponent", "inside-utf8"],
)
def test_truncated_anywhere_says_truncated(raw: bytes) -> None:
    error = _error(lambda: parse_board_bytes(raw, source="cut.json"), "cut.json", "$")
    assert error.problem.startswith("truncated JSON"), error.problem


@pytest.mark.parametrize(
    "raw", [b'{"id": "b", "name": "B\\uZZZZ rest"}', b'{"id": "b" "name": "B"}', b'{"a": 1 2}']
)
def test_broken_in_the_middle_is_not_called_truncated(raw: bytes) -> None:
    error = _error(lambda: parse_board_bytes(raw, source="bad.json"), "bad.json", "$")
    assert error.problem.startswith("not valid JSON"), error.problem
