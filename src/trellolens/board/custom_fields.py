"""Custom fields in a Trello export or API payload: the board's definitions, each card's values.

Definitions come from the board's ``customFields``; values from each card's ``customFieldItems``
(``card_customFieldItems=true`` on the API). Trello writes numbers and checkboxes as strings
(``{"number": "3"}``, ``{"checked": "true"}``) and a list choice as ``idValue``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from trellolens.board.json_reader import JsonReader, kind
from trellolens.board.model import CustomField, CustomFieldOption, CustomFieldValue


def custom_fields(read: JsonReader, payload: Mapping[str, Any]) -> tuple[CustomField, ...]:
    """The board's ``customFields`` (none when missing or null)."""
    value = payload.get("customFields")
    if value is None:
        return ()
    if not isinstance(value, list):
        # The board's "limits" object also has a customFields key; only the top level is read here.
        read.fail("$.customFields", f"expected an array, got {kind(value)}")
    return tuple(_definition(read, raw, f"$.customFields[{i}]") for i, raw in enumerate(value))


def _definition(read: JsonReader, value: object, path: str) -> CustomField:
    item = read.obj(value, path)
    options = []
    for i, raw in enumerate(read.array(item, "options", path)):
        option_path = f"{path}.options[{i}]"
        option = read.obj(raw, option_path)
        shown = option.get("value")
        text = (
            read.optional_text(
                read.obj(shown, f"{option_path}.value"), "text", f"{option_path}.value"
            )
            if shown is not None
            else None
        )
        options.append(
            CustomFieldOption(
                id=read.text(option, "id", option_path),
                text=text or "",
                color=read.optional_text(option, "color", option_path),
                pos=read.number(option, "pos", option_path),
            )
        )
    return CustomField(
        id=read.text(item, "id", path),
        name=read.optional_text(item, "name", path) or "",
        type=read.text(item, "type", path),
        pos=read.number(item, "pos", path),
        options=tuple(options),
    )


def card_values(
    read: JsonReader, card: Mapping[str, Any], path: str
) -> tuple[CustomFieldValue, ...]:
    """A card's ``customFieldItems``; an item with an empty value (a cleared field) is left out."""
    found = []
    for i, raw in enumerate(read.array(card, "customFieldItems", path)):
        value = _value(read, raw, f"{path}.customFieldItems[{i}]")
        if value is not None:
            found.append(value)
    return tuple(found)


def _value(read: JsonReader, raw: object, path: str) -> CustomFieldValue | None:
    item = read.obj(raw, path)
    field_id = read.text(item, "idCustomField", path)
    if not field_id:
        read.fail(f"{path}.idCustomField", "is empty; a value must name its custom field")
    option_id = read.optional_text(item, "idValue", path)
    if option_id is not None:
        return CustomFieldValue(field_id, option_id=option_id)
    shown = item.get("value")
    if shown is None:
        return None
    value_path = f"{path}.value"
    value = read.obj(shown, value_path)
    found = CustomFieldValue(field_id)
    if value.get("number") is not None:
        found = CustomFieldValue(field_id, number=_number(read, value, value_path))
    elif value.get("date") is not None:
        found = CustomFieldValue(field_id, date=read.date(value, "date", value_path))
    elif value.get("checked") is not None:
        found = CustomFieldValue(field_id, checked=_checked(read, value, value_path))
    elif value.get("text") is not None:
        found = CustomFieldValue(field_id, text=read.text(value, "text", value_path))
    # An empty value, or a kind of value this version does not know, is left out.
    return None if found == CustomFieldValue(field_id) else found


def _number(read: JsonReader, value: Mapping[str, Any], path: str) -> float:
    raw = value.get("number")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        read.fail(f"{path}.number", f'expected a number as a string, like "3", got {kind(raw)}')
    try:
        number = float(raw)
    except (ValueError, OverflowError):
        read.fail(f"{path}.number", 'expected a number as a string, like "3"')
    if not math.isfinite(number):
        read.fail(f"{path}.number", "expected a finite number, got one out of range")
    return number


def _checked(read: JsonReader, value: Mapping[str, Any], path: str) -> bool:
    raw = value.get("checked")
    if isinstance(raw, bool):
        return raw
    if raw not in ("true", "false"):
        read.fail(f"{path}.checked", f'expected "true" or "false", got {kind(raw)}')
    return bool(raw == "true")


def custom_fields_to_export(fields: tuple[CustomField, ...]) -> list[dict[str, Any]]:
    """Definitions in Trello's shape (for ``board_to_export``)."""
    return [
        {
            "id": custom.id,
            "name": custom.name,
            "type": custom.type,
            "pos": custom.pos,
            "options": [
                {
                    "id": option.id,
                    "idCustomField": custom.id,
                    "value": {"text": option.text},
                    "color": option.color,
                    "pos": option.pos,
                }
                for option in custom.options
            ],
        }
        for custom in fields
    ]


def values_to_export(values: tuple[CustomFieldValue, ...]) -> list[dict[str, Any]]:
    """A card's values in Trello's ``customFieldItems`` shape."""
    items: list[dict[str, Any]] = []
    for value in values:
        item: dict[str, Any] = {"idCustomField": value.field_id, "idValue": value.option_id}
        if value.number is not None:
            item["value"] = {"number": repr(value.number)}
        elif value.date is not None:
            iso = value.date.isoformat(timespec="microseconds").replace("+00:00", "Z")
            item["value"] = {"date": iso}
        elif value.checked is not None:
            item["value"] = {"checked": "true" if value.checked else "false"}
        elif value.text is not None:
            item["value"] = {"text": value.text}
        items.append(item)
    return items
