"""Custom fields: definitions and card values from exports, round trips and one-line errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellolens.board import (
    CustomField,
    CustomFieldOption,
    CustomFieldValue,
    board_to_export,
    parse_board,
)
from trellolens.errors import BoardFormatError

FIELDS = [
    {"id": "f-points", "name": "Story points", "type": "number", "pos": 1, "idModel": "b1"},
    {"id": "f-note", "name": "Note", "type": "text", "pos": 2},
    {"id": "f-when", "name": "Promised", "type": "date", "pos": 3},
    {"id": "f-ok", "name": "Approved", "type": "checkbox", "pos": 4},
    {
        "id": "f-kind",
        "name": "Work type",
        "type": "list",
        "pos": 5,
        "options": [
            {"id": "o-bug", "idCustomField": "f-kind", "value": {"text": "Bug"}, "color": "red",
             "pos": 1},
            {"id": "o-feat", "idCustomField": "f-kind", "value": {"text": "Feature"}, "pos": 2},
        ],
    },
]  # fmt: skip
ITEMS = [
    {"id": "i1", "idCustomField": "f-points", "value": {"number": "5"}, "idValue": None},
    {"id": "i2", "idCustomField": "f-note", "value": {"text": "see wiki"}},
    {"id": "i3", "idCustomField": "f-when", "value": {"date": "2024-03-01T12:00:00.000Z"}},
    {"id": "i4", "idCustomField": "f-ok", "value": {"checked": "true"}},
    {"id": "i5", "idCustomField": "f-kind", "idValue": "o-bug", "value": None},
    {"id": "i6", "idCustomField": "f-note", "value": {}},
]


def export(items: list[Any] | None = None, fields: Any = FIELDS) -> dict[str, Any]:
    return {
        "id": "b1",
        "name": "Board",
        "lists": [{"id": "l1", "name": "Doing", "pos": 1}],
        "cards": [
            {"id": "c1", "name": "Card", "idList": "l1", "customFieldItems": items or ITEMS},
            {"id": "c2", "name": "Plain", "idList": "l1"},
        ],
        "customFields": fields,
        "limits": {"customFields": {"perBoard": {"status": "ok"}}},
    }


def test_definitions_and_every_kind_of_value() -> None:
    board = parse_board(export(), "board.json")
    assert board.custom_fields[0] == CustomField("f-points", "Story points", "number", 1.0)
    assert board.custom_fields[4].options == (
        CustomFieldOption("o-bug", "Bug", "red", 1.0),
        CustomFieldOption("o-feat", "Feature", None, 2.0),
    )
    card, plain = board.cards
    assert card.custom_field_values == (
        CustomFieldValue("f-points", number=5.0),
        CustomFieldValue("f-note", text="see wiki"),
        CustomFieldValue("f-when", date=datetime(2024, 3, 1, 12, tzinfo=UTC)),
        CustomFieldValue("f-ok", checked=True),
        CustomFieldValue("f-kind", option_id="o-bug"),
    )  # the empty value of i6 is left out
    assert plain.custom_field_values == ()
    assert board.custom_field_named("story POINTS ") is board.custom_fields[0]
    assert board.custom_field_named("f-kind") is board.custom_fields[4]
    assert board.custom_field_named("Size") is None


def test_round_trip_keeps_custom_fields() -> None:
    board = parse_board(export(), "board.json")
    again = parse_board(json.loads(json.dumps(board_to_export(board))), "round trip")
    assert again == board
    assert again.cards[0].custom_field_values == board.cards[0].custom_field_values


def test_boards_without_custom_fields() -> None:
    board = parse_board(export(fields=None), "board.json")
    assert board.custom_fields == ()


@pytest.mark.parametrize(
    ("items", "fields", "message"),
    [
        (
            [{"idCustomField": "f-points", "value": {"number": "five"}}],
            FIELDS,
            "board.json: $.cards[0].customFieldItems[0].value.number: expected a number as a "
            'string, like "3"',
        ),
        (
            [{"idCustomField": "f-ok", "value": {"checked": 1}}],
            FIELDS,
            'board.json: $.cards[0].customFieldItems[0].value.checked: expected "true" or '
            '"false", got a number',
        ),
        (
            [{"value": {"text": "x"}}],
            FIELDS,
            "board.json: $.cards[0].customFieldItems[0].idCustomField: is missing",
        ),
        (
            [{"idCustomField": "", "value": {"text": "x"}}],
            FIELDS,
            "board.json: $.cards[0].customFieldItems[0].idCustomField: is empty",
        ),
        (ITEMS, {"a": 1}, "board.json: $.customFields: expected an array, got an object"),
        (ITEMS, [{"id": "f", "name": "x"}], "board.json: $.customFields[0].type: is missing"),
        (
            [{"idCustomField": "f-when", "value": {"date": "yesterday"}}],
            FIELDS,
            "board.json: $.cards[0].customFieldItems[0].value.date: not an ISO 8601 date",
        ),
    ],
)
def test_bad_custom_fields_are_one_line_errors(items: Any, fields: Any, message: str) -> None:
    with pytest.raises(BoardFormatError) as caught:
        parse_board(export(items, fields), "board.json")
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text
    assert "five" not in text  # no value from the file is echoed


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
item_keys = st.sampled_from(["idCustomField", "idValue", "value", "id"])
value_keys = st.sampled_from(["number", "text", "date", "checked", "other"])

items_json = st.lists(
    st.dictionaries(item_keys, json_values | st.dictionaries(value_keys, json_values)), max_size=3
)
field_keys = st.sampled_from(["id", "name", "type", "options", "pos"])
fields_json = json_values | st.lists(st.dictionaries(field_keys, json_values), max_size=2)


def outcome(items: Any, fields: Any) -> str:
    """The string "ok" when the board parses (each value names its field), else the error."""
    try:
        board = parse_board(export(items or [{}], fields), "board.json")
    except BoardFormatError as error:
        return str(error)
    assert all(value.field_id for value in board.cards[0].custom_field_values)
    return "ok"


@settings(max_examples=200, deadline=None)
@given(items_json, fields_json)
def test_any_custom_field_json_parses_or_is_one_line(items: Any, fields: Any) -> None:
    found = outcome(items, fields)
    assert found == "ok" or found.startswith("board.json: $.")
    assert "\n" not in found
