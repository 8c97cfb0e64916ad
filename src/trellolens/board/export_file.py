"""Read a Trello JSON export (or the same shape from ``GET /1/boards/{id}``) into a ``Board``.

Unknown keys are ignored and optional keys may be missing. Anything else is a ``BoardFormatError``
naming the source and the JSON path of the problem, in one line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from trellolens.board.model import (
    Action,
    Board,
    Card,
    CheckItem,
    Checklist,
    Label,
    Member,
    TrelloList,
)
from trellolens.errors import BoardFormatError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Uploads larger than this are refused before they are decoded."""

MAX_EXPORT_BYTES = 512 * 1024 * 1024
"""Files read from disk (CLI, demo) larger than this are refused."""

_NOT_A_BOARD_HINT = "expected a Trello board export (Board menu > Print and export > Export as JSON)"


class _Reader:
    """Type-checked access to JSON values that reports the JSON path of any problem."""

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str) -> NoReturn:
        raise BoardFormatError(self.source, path, problem)

    def obj(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_kind(value)}")
        return value

    def array(self, parent: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", f"expected an array, got {_kind(value)}")
        return value

    def text(self, parent: Mapping[str, Any], key: str, path: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str):
            what = "is missing" if value is None else f"expected a string, got {_kind(value)}"
            self.fail(f"{path}.{key}", what)
        return value

    def optional_text(self, parent: Mapping[str, Any], key: str, path: str) -> str | None:
        value = parent.get(key)
        if value is None or isinstance(value, str):
            return value
        self.fail(f"{path}.{key}", f"expected a string or null, got {_kind(value)}")

    def flag(self, parent: Mapping[str, Any], key: str, path: str) -> bool:
        value = parent.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"expected true or false, got {_kind(value)}")
        return value

    def number(self, parent: Mapping[str, Any], key: str, path: str) -> float:
        value = parent.get(key)
        if value is None:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"{path}.{key}", f"expected a number, got {_kind(value)}")
        return float(value)

    def date(self, parent: Mapping[str, Any], key: str, path: str) -> datetime | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if parsed.tzinfo is not None:
                    return parsed
        self.fail(f"{path}.{key}", "expected an ISO 8601 date with a time zone, like 2018-03-31T12:38:14.542Z")

    def ids(self, parent: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        items = self.array(parent, key, path)
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.fail(f"{path}.{key}[{index}]", f"expected an id string, got {_kind(item)}")
        return tuple(items)

    def nested_id(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        """``data[key].id`` when present, for action payloads such as ``data.listAfter.id``."""
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(f"{path}.{key}", f"expected an object, got {_kind(value)}")
        found = value.get("id")
        if found is None or isinstance(found, str):
            return found
        self.fail(f"{path}.{key}.id", f"expected an id string, got {_kind(found)}")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def parse_board_bytes(raw: bytes, source: str = "upload", max_bytes: int = MAX_UPLOAD_BYTES) -> Board:
    """Decode and parse a board export held in memory (an upload, an HTTP body)."""
    if len(raw) > max_bytes:
        raise BoardFormatError(
            source,
            "$",
            f"the file is {_megabytes(len(raw))}, over the {_megabytes(max_bytes)} limit; "
            "export a smaller board or use `trellolens board` on the command line",
        )
    return parse_board(_decode(raw, source), source)


def load_board(path: str | Path, max_bytes: int = MAX_EXPORT_BYTES) -> Board:
    """Read a board export from disk."""
    file = Path(path)
    name = file.name or str(file)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            _too_big(name, size, max_bytes)
        raw = file.read_bytes()
    except IsADirectoryError:
        raise BoardFormatError(name, "$", "is a directory; give the path of a .json export") from None
    except FileNotFoundError:
        raise BoardFormatError(name, "$", "no such file; check the path") from None
    except OSError as exc:
        raise BoardFormatError(name, "$", f"cannot be read ({exc.strerror or 'I/O error'})") from None
    return parse_board_bytes(raw, name, max_bytes)


def _too_big(name: str, size: int, limit: int) -> NoReturn:
    raise BoardFormatError(name, "$", f"the file is {_megabytes(size)}, over the {_megabytes(limit)} limit")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _decode(raw: bytes, source: str) -> object:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoardFormatError(
            source, "$", f"not UTF-8 text (bad byte at offset {exc.start}); {_NOT_A_BOARD_HINT}"
        ) from None
    if not text.strip():
        raise BoardFormatError(source, "$", f"the file is empty; {_NOT_A_BOARD_HINT}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        what = "truncated JSON" if exc.pos >= len(text.rstrip()) else "not valid JSON"
        raise BoardFormatError(
            source,
            "$",
            f"{what} ({exc.msg} at line {exc.lineno}, column {exc.colno}); {_NOT_A_BOARD_HINT}",
        ) from None
    except RecursionError:
        raise BoardFormatError(source, "$", "JSON nested too deeply to be a Trello board") from None


def parse_board(payload: object, source: str = "board") -> Board:
    """Build a ``Board`` from decoded JSON: an export or a ``GET /1/boards/{id}`` response."""
    read = _Reader(source)
    if not isinstance(payload, dict):
        read.fail("$", f"expected a board object, got {_kind(payload)}; {_NOT_A_BOARD_HINT}")
    if "idList" in payload or "idBoard" in payload:
        read.fail("$", f"this is a card or list, not a board; {_NOT_A_BOARD_HINT}")
    if not isinstance(payload.get("id"), str) or not isinstance(payload.get("name"), str):
        missing = "id" if not isinstance(payload.get("id"), str) else "name"
        read.fail(f"$.{missing}", f"missing or not a string; {_NOT_A_BOARD_HINT}")
    cards = tuple(_card(read, item, f"$.cards[{i}]") for i, item in enumerate(read.array(payload, "cards", "$")))
    return Board(
        id=payload["id"],
        name=payload["name"],
        url=read.optional_text(payload, "url", "$") or read.optional_text(payload, "shortUrl", "$") or "",
        closed=read.flag(payload, "closed", "$"),
        date_last_activity=read.date(payload, "dateLastActivity", "$"),
        lists=tuple(_list(read, item, f"$.lists[{i}]") for i, item in enumerate(read.array(payload, "lists", "$"))),
        cards=cards,
        labels=_labels(read, payload),
        members=tuple(
            _member(read, item, f"$.members[{i}]") for i, item in enumerate(read.array(payload, "members", "$"))
        ),
        checklists=tuple(
            _checklist(read, item, f"$.checklists[{i}]")
            for i, item in enumerate(read.array(payload, "checklists", "$"))
        ),
        actions=tuple(
            _action(read, item, f"$.actions[{i}]") for i, item in enumerate(read.array(payload, "actions", "$"))
        ),
    )


def _list(read: _Reader, value: object, path: str) -> TrelloList:
    item = read.obj(value, path)
    return TrelloList(
        id=read.text(item, "id", path),
        name=read.text(item, "name", path),
        pos=read.number(item, "pos", path),
        closed=read.flag(item, "closed", path),
    )


def _card(read: _Reader, value: object, path: str) -> Card:
    item = read.obj(value, path)
    label_ids = read.ids(item, "idLabels", path) if "idLabels" in item else ()
    if not label_ids:
        label_ids = tuple(_legacy_label(read, lbl, f"{path}.labels[{i}]").id for i, lbl in enumerate(read.array(item, "labels", path)))
    return Card(
        id=read.text(item, "id", path),
        name=read.text(item, "name", path),
        list_id=read.text(item, "idList", path),
        closed=read.flag(item, "closed", path),
        pos=read.number(item, "pos", path),
        due=read.date(item, "due", path),
        due_complete=read.flag(item, "dueComplete", path),
        start=read.date(item, "start", path),
        date_last_activity=read.date(item, "dateLastActivity", path),
        short_url=read.optional_text(item, "shortUrl", path) or read.optional_text(item, "url", path) or "",
        label_ids=label_ids,
        member_ids=read.ids(item, "idMembers", path),
        checklist_ids=read.ids(item, "idChecklists", path),
    )


def _legacy_label(read: _Reader, value: object, path: str) -> Label:
    """A label object on a card; 2014-era exports have no label ids, only colours and names."""
    item = read.obj(value, path)
    color = read.optional_text(item, "color", path)
    label_id = read.optional_text(item, "id", path) or f"color:{color or 'none'}"
    return Label(id=label_id, name=read.optional_text(item, "name", path) or "", color=color)


def _labels(read: _Reader, payload: Mapping[str, Any]) -> tuple[Label, ...]:
    if "labels" in payload:
        return tuple(_legacy_label(read, item, f"$.labels[{i}]") for i, item in enumerate(read.array(payload, "labels", "$")))
    # No board-level labels (2014 era): collect them from the cards, named by the board's labelNames.
    names = payload.get("labelNames")
    found: dict[str, Label] = {}
    for i, card in enumerate(read.array(payload, "cards", "$")):
        for j, raw in enumerate(read.array(read.obj(card, f"$.cards[{i}]"), "labels", f"$.cards[{i}]")):
            label = _legacy_label(read, raw, f"$.cards[{i}].labels[{j}]")
            if label.id not in found:
                found[label.id] = label
    if isinstance(names, dict):
        for color, name in names.items():
            label_id = f"color:{color}"
            if isinstance(name, str) and name and label_id not in found:
                found[label_id] = Label(id=label_id, name=name, color=color)
    return tuple(found.values())


def _member(read: _Reader, value: object, path: str) -> Member:
    item = read.obj(value, path)
    username = read.optional_text(item, "username", path) or ""
    return Member(
        id=read.text(item, "id", path),
        full_name=read.optional_text(item, "fullName", path) or username,
        username=username,
    )


def _checklist(read: _Reader, value: object, path: str) -> Checklist:
    item = read.obj(value, path)
    items: list[CheckItem] = []
    for i, raw in enumerate(read.array(item, "checkItems", path)):
        sub_path = f"{path}.checkItems[{i}]"
        check = read.obj(raw, sub_path)
        items.append(
            CheckItem(
                id=read.text(check, "id", sub_path),
                name=read.optional_text(check, "name", sub_path) or "",
                complete=read.optional_text(check, "state", sub_path) == "complete",
                pos=read.number(check, "pos", sub_path),
            )
        )
    return Checklist(
        id=read.text(item, "id", path),
        name=read.optional_text(item, "name", path) or "",
        card_id=read.text(item, "idCard", path),
        items=tuple(items),
        pos=read.number(item, "pos", path),
    )


def _action(read: _Reader, value: object, path: str) -> Action:
    item = read.obj(value, path)
    date = read.date(item, "date", path)
    if date is None:
        read.fail(f"{path}.date", "is missing")
    data_value = item.get("data")
    data = {} if data_value is None else read.obj(data_value, f"{path}.data")
    data_path = f"{path}.data"
    old = data.get("old")
    old_closed = old.get("closed") if isinstance(old, dict) else None
    return Action(
        id=read.text(item, "id", path),
        type=read.text(item, "type", path),
        date=date,
        member_id=read.optional_text(item, "idMemberCreator", path),
        data=data,
        card_id=read.nested_id(data, "card", data_path),
        list_id=read.nested_id(data, "list", data_path),
        list_before_id=read.nested_id(data, "listBefore", data_path),
        list_after_id=read.nested_id(data, "listAfter", data_path),
        old_closed=old_closed if isinstance(old_closed, bool) else None,
    )
