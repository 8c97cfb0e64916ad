"""Random and mutated JSON thrown at the parser: a Board or a one-line BoardFormatError, nothing else."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.board.exports import SCRUM_2018, export_json, raw_bytes
from trellolens.board import Board, board_to_export, parse_board, parse_board_bytes
from trellolens.board.export_items import action, fast_action
from trellolens.board.json_reader import JsonReader
from trellolens.errors import BoardFormatError

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCRUM = export_json(SCRUM_2018)  # never mutated: mutations copy along their path
SCRUM_RAW = raw_bytes(SCRUM_2018)

TRELLO_KEYS = [
    "id", "name", "idList", "idBoard", "pos", "closed", "due", "dueComplete", "start",
    "dateLastActivity", "shortUrl", "url", "labels", "idLabels", "idMembers", "idChecklists",
    "labelNames", "color", "fullName", "username", "checkItems", "state", "idCard", "type",
    "date", "idMemberCreator", "data", "card", "list", "listBefore", "listAfter", "old",
    "lists", "cards", "members", "checklists", "actions",
]  # fmt: skip

keys = st.sampled_from(TRELLO_KEYS) | st.text(max_size=8)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["top", "bottom", "2018-03-31T12:38:14.542Z", "0001-01-01T00:00:00+01:00"])
)
nasty: st.SearchStrategy[object] = st.sampled_from(
    [math.nan, math.inf, -math.inf, 10**400, -(10**400), 2**64, -0.0, 1e308, "", "top", "bottom",
     "NaN", "1e999", "2018-02-30T00:00:00Z", "9999-12-31T23:59:59-05:00", True, None, [], {}, [None]]
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=25,
)
board_shaped = st.fixed_dictionaries(
    {"id": st.text(max_size=5), "name": st.text(max_size=5)},
    optional={
        key: st.lists(st.dictionaries(keys, json_values, max_size=8), max_size=3) | json_values
        for key in ["lists", "cards", "labels", "members", "checklists", "actions", "labelNames"]
    },
)


def _board_or_format_error(call: Callable[[], Board]) -> Board | None:
    """Anything but a Board or a one-line BoardFormatError fails the test."""
    failure: BoardFormatError | None = None
    try:
        board = call()
    except BoardFormatError as error:
        failure = error
    if failure is not None:
        assert len(str(failure).splitlines()) == 1
        assert failure.path.startswith("$")
        return None
    assert isinstance(board, Board)
    _assert_sane(board)
    return board


def _assert_sane(board: Board) -> None:
    dates = [board.date_last_activity, *(a.date for a in board.actions)]
    for card in board.cards:
        dates += [card.due, card.start, card.date_last_activity]
    assert all(d is None or d.tzinfo is UTC for d in dates)
    positions = [lst.pos for lst in board.lists] + [card.pos for card in board.cards]
    assert all(math.isfinite(pos) for pos in positions)
    # Whatever parsed also survives the trip through the export shape and JSON text.
    text = json.dumps(board_to_export(board))
    assert parse_board(json.loads(text), "round trip") == board


@FAST
@given(json_values)
def test_random_json(value: object) -> None:
    _board_or_format_error(lambda: parse_board(value, "random"))


@FAST
@given(board_shaped)
def test_random_board_shaped_json(value: dict[str, Any]) -> None:
    _board_or_format_error(lambda: parse_board(value, "random"))
    raw = json.dumps(value).encode("utf-8", "surrogatepass")
    _board_or_format_error(lambda: parse_board_bytes(raw, "random.json"))


@FAST
@given(st.binary(max_size=200))
def test_random_bytes(raw: bytes) -> None:
    _board_or_format_error(lambda: parse_board_bytes(raw, "random.json"))


_DELETE = object()


def _mutate(node: Any, draw: st.DataObject, depth: int = 0) -> Any:
    """A copy of ``node`` with one value replaced or deleted, copying only along the path."""
    descend = depth < 2 or draw.draw(st.integers(0, 3), label="descend") > 0
    if isinstance(node, dict | list) and node and descend:
        key: Any = (
            draw.draw(_key_in(node), label="key")
            if isinstance(node, dict)
            else draw.draw(st.integers(0, len(node) - 1), label="index")
        )
        changed = _mutate(node[key], draw, depth + 1)
        copy = node.copy()
        if changed is _DELETE:
            del copy[key]
        else:
            copy[key] = changed
        return copy
    if depth > 0 and draw.draw(st.booleans(), label="delete"):
        return _DELETE
    return draw.draw(nasty | json_values, label="new value")


def _key_in(node: dict[str, Any]) -> st.SearchStrategy[str]:
    """Mostly the keys the parser reads, so mutations land where they matter."""
    modelled = sorted(set(node) & set(TRELLO_KEYS))
    every = st.sampled_from(sorted(node))
    return st.sampled_from(modelled) | st.sampled_from(modelled) | every if modelled else every


@FAST
@given(st.data())
def test_mutated_scrum_export(draw: st.DataObject) -> None:
    payload = SCRUM
    for _ in range(draw.draw(st.integers(1, 3), label="mutations")):
        payload = _mutate(payload, draw)
    _board_or_format_error(lambda: parse_board(payload, "scrum.json"))


COLLECTIONS = ["lists", "cards", "labels", "members", "checklists", "actions"]
SCRUM_TOP = {key: value for key, value in SCRUM.items() if key not in COLLECTIONS}


@settings(FAST, max_examples=600)
@given(st.sampled_from(COLLECTIONS), st.data())
def test_fields_of_one_item_changed(collection: str, draw: st.DataObject) -> None:
    """One real item with some of the fields the parser reads replaced, in a small board."""
    item = dict(draw.draw(st.sampled_from(SCRUM[collection]), label="item"))
    modelled = [*sorted(set(item) & set(TRELLO_KEYS)), "pos", "due", "start", "date"]
    for key in draw.draw(st.lists(st.sampled_from(modelled), min_size=1, max_size=3), label="keys"):
        item[key] = draw.draw(nasty | nasty | json_values, label=key)
    if draw.draw(st.booleans(), label="nested"):
        item = _mutate(item, draw, depth=1)
    board = {**SCRUM_TOP, collection: [item]}
    _board_or_format_error(lambda: parse_board(board, "scrum.json"))


@FAST
@given(st.integers(0, len(SCRUM_RAW)))
def test_truncated_scrum_export(offset: int) -> None:
    raw = SCRUM_RAW[:offset]
    if not SCRUM_RAW[offset:].strip():
        assert _board_or_format_error(lambda: parse_board_bytes(raw, "s.json", 10**7)) is not None
        return
    with pytest.raises(BoardFormatError) as caught:
        parse_board_bytes(raw, "scrum.json", 10**7)
    expected = "the file is empty" if not raw.strip() else "truncated JSON"
    assert caught.value.problem.startswith(expected), caught.value.problem


@FAST
@given(st.integers(0, len(SCRUM_RAW) - 1), st.integers(0, 255))
def test_one_byte_changed_in_scrum_export(offset: int, byte: int) -> None:
    raw = SCRUM_RAW[:offset] + bytes([byte]) + SCRUM_RAW[offset + 1 :]
    _board_or_format_error(lambda: parse_board_bytes(raw, "scrum.json", 10**7))


action_shaped = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=3) | json_values,
        "type": st.text(max_size=3) | json_values,
        "date": st.sampled_from(
            ["2018-03-31T12:38:14.542Z", "2018-03-31T14:38:14+02:00", "2018-03-31", "x"]
        )
        | json_values,
        "idMemberCreator": st.none() | st.text(max_size=3) | json_values,
        "data": st.dictionaries(
            st.sampled_from(["card", "list", "listBefore", "listAfter", "old"]),
            st.none() | st.fixed_dictionaries({}, optional={"id": json_values}) | json_values,
        )
        | json_values,
    },
)


@FAST
@given(action_shaped)
def test_fast_and_checked_action_paths_agree(value: dict[str, Any]) -> None:
    fast = fast_action(value)
    try:
        checked = action(JsonReader("t"), value, "$.actions[0]")
    except BoardFormatError:
        assert fast is None
        return
    if fast is not None:
        assert fast == checked
        assert fast.data == checked.data


def test_the_shared_fixture_was_not_mutated() -> None:
    assert export_json(SCRUM_2018) == SCRUM
