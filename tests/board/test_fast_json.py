"""The fast decoder means what json.loads means: same values, same exceptions on bad input."""

from __future__ import annotations

import gc
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellolens.board import parse_board_bytes
from trellolens.board.fast_json import collector_paused, dumps, loads

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63, max_value=10**200)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_the_same_values_as_json_loads(value: object, ensure_ascii: bool) -> None:
    text = json.dumps(value, ensure_ascii=ensure_ascii)
    assert loads(text.encode()) == json.loads(text)
    assert loads(text) == json.loads(text)


finite_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63, max_value=10**200)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(finite_json_values)
def test_dumps_writes_what_json_dumps_means(value: object) -> None:
    try:
        expected = json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 file can hold it
        with pytest.raises(UnicodeEncodeError):
            dumps(value)
        return
    written = dumps(value)
    assert json.loads(written) == json.loads(expected) == value


def test_dumps_writes_an_export_that_parses_back_to_the_same_board() -> None:
    from trellolens.board import board_to_export, demo_board

    board = demo_board()
    assert parse_board_bytes(dumps(board_to_export(board)), source="x") == board


@pytest.mark.parametrize(
    "raw",
    [b"NaN", b"-Infinity", b"1e999", b'"\\ud800"', b"18446744073709551616", b"\xef\xbb\xbf[1]"],
)
def test_what_msgspec_refuses_the_standard_library_still_reads(raw: bytes) -> None:
    expected = json.loads(raw)
    got = loads(raw)
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(got, float)
        assert math.isnan(got)
    else:
        assert got == expected
        assert type(got) is type(expected)


@pytest.mark.parametrize("raw", [b"", b"[1,]", b'{"a" 1}', b'"\xff"', b"[" * 5000 + b"]" * 5000])
def test_bad_json_raises_what_json_loads_raises(raw: bytes) -> None:
    with pytest.raises((ValueError, RecursionError)) as ours:
        loads(raw)
    with pytest.raises((ValueError, RecursionError)) as theirs:
        json.loads(raw)
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_an_export_with_a_byte_order_mark_parses() -> None:
    board = parse_board_bytes(b'\xef\xbb\xbf{"id": "b1", "name": "With BOM", "lists": []}')
    assert board.name == "With BOM"


def test_the_collector_is_paused_and_resumed() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_the_fast_action_constructor_builds_what_action_builds() -> None:
    import dataclasses
    from datetime import UTC, datetime

    from trellolens.board.action import new_action, to_us
    from trellolens.board.model import Action

    when = datetime(2024, 1, 2, tzinfo=UTC)
    data = {"old": {}, "list": {"id": "l1", "name": "Doing \u00e9"}}
    slow = Action("a1", "updateCard", when, "m1", data, "c1", "l1", "l0", "l2", False)
    fast = new_action(
        "a1", "updateCard", to_us(when), "m1", dumps(data), "c1", "l1", "l0", "l2", False
    )
    assert type(fast) is Action
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert fast.date == when
    assert fast.data == data
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.id = "other"
