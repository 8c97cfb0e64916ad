"""The analytics options in the URL, by name where a name is unique on the board:

    ?by=label&type=Bug&type=Feature   or  ?by=field:Work type      split by work type
    ?blocked=label:Blocked  ?blocked=list:On hold  ?blocked=off    the blocked rule
    ?bdays=1&tz=Europe/Berlin                                      business days
    ?size=Story points   ?sle=10   ?wait=Ready for review&wait=QA

An option at its default stays out of the URL. Every value is checked against the board (its
labels, lists and custom fields); one that does not fit is dropped with one line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from trellolens.board import Board
from trellolens.metrics import MetricOptions
from trellolens.ui.components import analytics_options as options
from trellolens.ui.components.view_link import (
    LinkParam,
    flag,
    listed,
    name_in,
    names_from,
    one,
    read_links,
    write_links,
)
from trellolens.ui.data.board_source import BoardChoice

SLE_LIMITS = (0.5, 3650.0)


def _unique_ref(items: Sequence[tuple[str, str]], item_id: str) -> str:
    """An item's name when no other item has it (and it is not an id), else its id."""
    names = [name for found_id, name in items if found_id == item_id]
    if not names:
        return item_id
    name = names[0]
    shared = sum(1 for _, other in items if other == name) > 1
    return item_id if shared or not name.strip() else name


def _id_of(items: Sequence[tuple[str, str]], text: str) -> str:
    """The id ``text`` names: an id, or a name only one item has; ``ValueError`` otherwise."""
    if any(found_id == text for found_id, _ in items):
        return text
    matches = [found_id for found_id, name in items if name == text]
    if len(matches) != 1:
        raise ValueError(text)
    return matches[0]


def _lists(board: Board) -> list[tuple[str, str]]:
    return [(lst.id, lst.name) for lst in board.lists]


def _fields(board: Board, kind: str) -> list[tuple[str, str]]:
    return [(field.id, field.name) for field in board.custom_fields if field.type == kind]


def _by(board: Board) -> tuple[Callable[[list[str]], str], Callable[[Any], list[str]]]:
    fields = _fields(board, "list")

    def parse(values: list[str]) -> str:
        text = one(values)
        if text == "label":
            return text
        if text.startswith("field:"):
            return "field:" + _id_of(fields, text.removeprefix("field:"))
        raise ValueError(text)

    def show(value: Any) -> list[str]:
        if value == "label":
            return ["label"]
        if isinstance(value, str) and value.startswith("field:"):
            return ["field:" + _unique_ref(fields, value.removeprefix("field:"))]
        return []

    return parse, show


def _blocked(
    board: Board, default: str
) -> tuple[Callable[[list[str]], str], Callable[[Any], list[str]]]:
    lists = _lists(board)
    labels = options.blocked_choices(board)

    def parse(values: list[str]) -> str:
        text = one(values)
        if text == "off":
            return ""
        if text.startswith("list:"):
            return "list:" + _id_of(lists, text.removeprefix("list:"))
        if text.startswith("label:") and text in labels:
            return text
        raise ValueError(text)

    def show(value: Any) -> list[str]:
        if value == default or not isinstance(value, str):
            return []
        if not value:
            return ["off"]
        if value.startswith("list:"):
            return ["list:" + _unique_ref(lists, value.removeprefix("list:"))]
        return [value]

    return parse, show


def _refs(items: list[tuple[str, str]]) -> tuple[Callable[..., Any], Callable[[Any], list[str]]]:
    def parse(values: list[str]) -> list[str]:
        return list(dict.fromkeys(_id_of(items, value) for value in values))

    def show(value: Any) -> list[str]:
        return [_unique_ref(items, item_id) for item_id in listed(value)]

    return parse, show


def _sle_days(values: list[str]) -> float:
    days = float(one(values))
    if not SLE_LIMITS[0] <= days <= SLE_LIMITS[1]:
        raise ValueError(days)
    return days


def _when(key: str, wanted: object, show: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    """``show``, only while the option ``key`` stands at ``wanted`` (else the value is moot)."""
    return lambda value: show(value) if st.session_state.get(key) == wanted else []


def link_params(board: Board, default: options.AnalyticsChoice) -> list[LinkParam]:
    """The analytics options' parameters, checked against ``board``."""
    return [*_work_params(board, default), *_time_params(), *_measure_params(board)]


def _work_params(board: Board, default: options.AnalyticsChoice) -> list[LinkParam]:
    """Which work is which: the type split, its labels, the blocked rule."""
    by_parse, by_show = _by(board)
    blocked_parse, blocked_show = _blocked(board, default.blocked)
    return [
        LinkParam("by", options.BY_KEY, by_parse, by_show, "the work type split", "label"),
        LinkParam(
            "type",
            options.BY_LABELS_KEY,
            names_from(options.label_names(board)),
            _when(options.BY_KEY, "label", listed),
            "the work type labels",
            "labels of this board",
        ),
        LinkParam(
            "blocked",
            options.BLOCKED_KEY,
            blocked_parse,
            blocked_show,
            "the blocked rule",
            "label:<label>, list:<list> or off",
        ),
    ]


def _time_params() -> list[LinkParam]:
    """How time counts: business days and their time zone."""
    zones = options.time_zones()
    return [
        LinkParam(
            "bdays",
            options.BUSINESS_DAYS_KEY,
            flag,
            lambda on: ["1"] if on else [],
            "the business days switch",
            "1 or 0",
        ),
        LinkParam(
            "tz",
            options.TIME_ZONE_KEY,
            name_in(zones),
            _when(options.BUSINESS_DAYS_KEY, True, lambda z: [] if z == "UTC" else [str(z)]),
            "the time zone",
            "a time zone such as Europe/Berlin",
        ),
    ]


def _measure_params(board: Board) -> list[LinkParam]:
    """What is measured: the size field, the SLE, the wait lists."""
    size_parse, size_show = _refs(_fields(board, "number"))
    wait_parse, wait_show = _refs(_lists(board))
    return [
        LinkParam(
            "size",
            options.SIZE_KEY,
            lambda values: size_parse([one(values)])[0],
            lambda value: size_show([value]) if value else [],
            "the size field",
            "a number custom field of this board",
        ),
        LinkParam(
            "sle",
            options.SLE_DAYS_KEY,
            _sle_days,
            _when(options.SLE_KEY, "set", lambda days: [f"{float(days):g}"]),
            "the service level expectation",
            "a number of days from 0.5 to 3650",
            also={options.SLE_KEY: "set"},
        ),
        LinkParam(
            "wait",
            options.WAIT_LISTS_KEY,
            wait_parse,
            wait_show,
            "the wait lists",
            "lists of this board",
        ),
    ]


def linked_analytics_options(choice: BoardChoice) -> MetricOptions:
    """The analytics options with the URL: a new link's values become the kept choice first,
    the choice goes into the URL, then the widgets are drawn (``analytics_options``)."""
    options.seed_widgets(choice)
    params = link_params(choice.board, options.default_choice(choice))
    if read_links(params):
        options.keep_widget_values()
    write_links(params)
    return options.analytics_options(choice)
