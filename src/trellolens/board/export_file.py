"""Read a Trello JSON export (or the same shape from ``GET /1/boards/{id}``) into a ``Board``.

Unknown keys are ignored and optional keys may be missing. Anything else is a ``BoardFormatError``
naming the source and the JSON path of the problem, in one line.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from trellolens.board import export_items as items
from trellolens.board.custom_fields import custom_fields
from trellolens.board.fast_json import collector_paused, fast_loads
from trellolens.board.json_reader import JsonReader, kind, one_line
from trellolens.board.model import Action, Board, Card
from trellolens.errors import BoardFormatError
from trellolens.files import SmallFileError, read_small_file

T = TypeVar("T")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Uploads larger than this are refused before they are decoded."""

MAX_EXPORT_BYTES = 512 * 1024 * 1024
"""Files read from disk (CLI, demo) larger than this are refused."""

_NOT_A_BOARD_HINT = (
    "expected a Trello board export (Board menu > Print and export > Export as JSON)"
)


def parse_board_bytes(
    raw: bytes, source: str = "upload", max_bytes: int = MAX_UPLOAD_BYTES
) -> Board:
    """Decode and parse a board export held in memory (an upload, an HTTP body)."""
    source = one_line(source)
    if len(raw) > max_bytes:
        raise BoardFormatError(
            source,
            "$",
            f"the file is {_megabytes(len(raw))}, over the {_megabytes(max_bytes)} limit; "
            "export a smaller board or use `trellolens board` on the command line",
        )
    with collector_paused():
        shell = _shell(raw)
        if shell is not None:
            try:
                return _parse_board(shell, source)
            except _UndecodableError:
                pass  # an action msgspec refuses: the whole document goes the standard way
        return _parse_board(_decode(raw, source), source)


def load_board(path: str | Path, max_bytes: int = MAX_EXPORT_BYTES) -> Board:
    """Read a board export from disk; the error messages name the file, not its directory."""
    file = Path(path)
    name = one_line(file.name or str(file))
    try:
        raw = read_small_file(file, max_bytes, "a board export (give the path of a .json export)")
    except SmallFileError as exc:
        problem = exc.problem
        if problem.startswith("over "):
            problem = f"the file is over the {_megabytes(max_bytes)} limit"
        raise BoardFormatError(name, "$", one_line(problem)) from None
    return parse_board_bytes(raw, name, max_bytes)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class _UndecodableError(Exception):
    """An action of a shell that msgspec cannot decode (``json.loads`` may, or may explain)."""


_SHELL = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ACTIONS = msgspec.json.Decoder(list[msgspec.Raw])


def _shell(raw: bytes) -> dict[str, Any] | None:
    """The board's top level decoded, but each action left as its span of ``raw``: it is decoded
    while it is built, so a large history never exists as a tree of dicts (peak memory).
    None when the document is not a JSON object whose ``actions`` is an array or missing."""
    body = memoryview(raw)[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        top = _SHELL.decode(body)
        payload = {key: fast_loads(value) for key, value in top.items() if key != "actions"}
        if "actions" in top:
            actions = top["actions"]
            payload["actions"] = None if actions == b"null" else _ACTIONS.decode(actions)
    except (msgspec.DecodeError, RecursionError):
        return None
    return payload


def _action_object(value: object) -> object:
    """An action as ``json.loads`` has it: decoded here when it is still a span of the JSON."""
    if type(value) is not msgspec.Raw:
        return value
    try:
        return fast_loads(value)
    except (msgspec.DecodeError, RecursionError):
        raise _UndecodableError from None


def _decode(raw: bytes, source: str) -> object:
    body = memoryview(raw)[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        return fast_loads(body)
    except (msgspec.DecodeError, RecursionError):
        pass  # the standard library decides: it accepts a few more, or says precisely what is wrong
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            problem = "truncated JSON (the file ends inside a character)"
        else:
            problem = f"not UTF-8 text (bad byte at offset {exc.start})"
        raise BoardFormatError(source, "$", f"{problem}; {_NOT_A_BOARD_HINT}") from None
    if not text.strip():
        raise BoardFormatError(source, "$", f"the file is empty; {_NOT_A_BOARD_HINT}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        what = "truncated JSON" if _cut_short(text, exc) else "not valid JSON"
        where = f"line {exc.lineno}, column {exc.colno}"
        raise BoardFormatError(
            source, "$", f"{what} ({exc.msg}, {where}); {_NOT_A_BOARD_HINT}"
        ) from None
    except RecursionError:
        raise BoardFormatError(source, "$", "JSON nested too deeply to be a Trello board") from None
    except ValueError:
        # Python refuses integers of more than 4300 digits (sys.get_int_max_str_digits).
        raise BoardFormatError(source, "$", "not valid JSON (a number is too long)") from None


_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")
_NUMBER_TAIL = re.compile(r"\.|[eE][-+]?")  # what is left of "1." or "1e-" after the scanner


def _cut_short(text: str, error: json.JSONDecodeError) -> bool:
    """Whether the JSON is fine as far as it goes: the file ends where the error is."""
    if error.msg.startswith("Unterminated string"):
        return True  # the scanner only says so when the text ends inside the string
    rest = text[error.pos :].rstrip()
    if error.msg.startswith("Invalid \\uXXXX escape"):
        return len(rest) < 6 and '"' not in rest
    if not rest or _NUMBER_TAIL.fullmatch(rest):
        return True
    return any(literal.startswith(rest) for literal in _LITERALS)


def parse_board(payload: object, source: str = "board") -> Board:
    """Build a ``Board`` from decoded JSON: an export or a ``GET /1/boards/{id}`` response."""
    with collector_paused():
        return _parse_board(payload, source)


def _parse_board(payload: object, source: str) -> Board:
    read = JsonReader(source)
    if not isinstance(payload, dict):
        read.fail("$", f"expected a board object, got {kind(payload)}; {_NOT_A_BOARD_HINT}")
    if "idList" in payload or "idBoard" in payload:
        read.fail("$", f"this is a card or list, not a board; {_NOT_A_BOARD_HINT}")
    for key in ("id", "name"):
        if not isinstance(payload.get(key), str):
            read.fail(f"$.{key}", f"missing or not a string; {_NOT_A_BOARD_HINT}")
    url = read.optional_text(payload, "url", "$") or read.optional_text(payload, "shortUrl", "$")
    lists = _each(read, payload, "lists", items.trello_list)
    cards = _each(read, payload, "cards", items.card)
    labels = items.board_labels(read, payload)
    members = _each(read, payload, "members", items.member)
    # One string per id for the whole board: actions name the cards, lists and members again.
    shared = {one.id: one.id for group in (lists, cards, members) for one in group}
    return Board(
        id=payload["id"],
        name=payload["name"],
        url=url or "",
        closed=read.flag(payload, "closed", "$"),
        date_last_activity=read.date(payload, "dateLastActivity", "$"),
        lists=lists,
        cards=cards,
        labels=labels,
        members=members,
        checklists=_each(read, payload, "checklists", items.checklist),
        actions=_actions(read, read.array(payload, "actions", "$"), shared),
        custom_fields=custom_fields(read, payload),
    )


def _actions(
    read: JsonReader, raw_actions: list[Any], shared: dict[str, str]
) -> tuple[Action, ...]:
    built = []
    for i, raw in enumerate(raw_actions):
        value = _action_object(raw)
        built.append(
            items.fast_action(value, shared) or items.action(read, value, f"$.actions[{i}]", shared)
        )
    return tuple(built)


def action_builder(source: str) -> Callable[[object, int], Action]:
    """Builds decoded actions one at a time, as history pages arrive, sharing one string per id
    among them; a malformed one is a ``BoardFormatError`` naming ``$.actions[index]``."""
    read = JsonReader(one_line(source))
    shared: dict[str, str] = {}

    def build(value: object, index: int) -> Action:
        return items.fast_action(value, shared) or items.action(
            read, value, f"$.actions[{index}]", shared
        )

    return build


def card_builder(source: str) -> Callable[[object, int], Card]:
    """Builds decoded cards one at a time, as the pages of a board loaded in parts arrive; a
    malformed one is a ``BoardFormatError`` naming ``$.cards[index]``."""
    read = JsonReader(one_line(source))

    def build(value: object, index: int) -> Card:
        return items.card(read, value, f"$.cards[{index}]")

    return build


def _each(
    read: JsonReader,
    payload: Mapping[str, Any],
    key: str,
    build: Callable[[JsonReader, object, str], T],
) -> tuple[T, ...]:
    return tuple(
        build(read, raw, f"$.{key}[{i}]") for i, raw in enumerate(read.array(payload, key, "$"))
    )
