"""Every view is a link: widget values in the URL's query string, read back on a reload.

A page lists its ``LinkParam``s (query parameter, widget key, parser, printer). ``read_links``
runs before the widgets are drawn: a new value in the URL (a copied link, a reload, the back
button) is parsed and becomes the widget's value; a bad one is dropped with one warning line,
never a traceback. ``write_links`` runs after them: each value that is not the default goes into
the URL (short and readable: names, not ids, where they are unique), the rest comes out.
Owns the session-state keys starting ``view_link.``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from trellolens.ui.markdown_text import plain

KEY_PREFIX = "view_link."
APPLIED_KEY = f"{KEY_PREFIX}applied"
"""``{parameter: values}`` last read or written, so an unchanged URL is not applied again."""
VIEW_PARAMS = (
    *("by", "type", "blocked", "bdays", "tz", "size", "sle", "wait"),  # analytics options
    *("list", "label", "member", "due", "archived"),  # the Cards filters
    *("window", "trials", "seed", "random", "cards", "until", "growth"),  # the forecast
    "zeros",  # the throughput histogram
)
"""Every parameter a page writes: they belong to the board in the link, and go with it."""
MAX_VALUE_CHARS = 200
MAX_VALUES = 50


@dataclass(frozen=True)
class LinkParam:
    """One widget in the URL: ``?name=value`` (repeated for a list)."""

    name: str
    key: str
    """The widget's session-state key."""
    parse: Callable[[list[str]], Any]
    """The URL's values -> the widget's value; ``ValueError`` when they do not fit this board."""
    show: Callable[[Any], list[str]]
    """The widget's value -> the URL's values; ``[]`` for the default (left out of the URL)."""
    what: str
    """What it is, for the one-line notice: "the sampling window"."""
    expected: str = ""
    """What a good value looks like: "a number of weeks from 1 to 104"."""
    also: Mapping[str, Any] = field(default_factory=dict)
    """Other widget values that go with an adopted value (``?sle=10``: the SLE is set by hand)."""


def _applied() -> dict[str, tuple[str, ...]]:
    applied = st.session_state.get(APPLIED_KEY)
    if not isinstance(applied, dict):
        applied = {}
        st.session_state[APPLIED_KEY] = applied
    return applied


def url_values(name: str) -> tuple[str, ...] | None:
    """The values of ``?name=`` in the URL, or None when it is absent."""
    if name not in st.query_params:
        return None
    return tuple(st.query_params.get_all(name))


def read_links(params: Sequence[LinkParam]) -> list[str]:
    """Adopt the URL's new values into the widgets' state; the parameters adopted."""
    applied = _applied()
    adopted: list[str] = []
    for param in params:
        values = url_values(param.name)
        if values is None or values == applied.get(param.name):
            continue
        applied[param.name] = values
        try:
            if len(values) > MAX_VALUES or any(len(v) > MAX_VALUE_CHARS for v in values):
                raise ValueError(param.name)
            value = param.parse(list(values))
        except ValueError:
            drop(param)
            continue
        st.session_state[param.key] = value
        st.session_state.update(param.also)
        adopted.append(param.name)
    return adopted


def drop(param: LinkParam) -> None:
    """Take a bad value out of the URL, with one line that says what was expected."""
    expected = f": expected {param.expected}" if param.expected else ""
    st.warning(plain(f"Ignored {param.what} in the link{expected}."), icon=":material/link_off:")
    if param.name in st.query_params:
        del st.query_params[param.name]
    _applied()[param.name] = ()


def write_links(params: Sequence[LinkParam]) -> None:
    """Put each widget's value that is not its default into the URL; take the others out."""
    applied = _applied()
    for param in params:
        value = st.session_state.get(param.key)
        values = tuple(param.show(value)) if value is not None else ()
        write_values(param.name, values)
        applied[param.name] = values


def write_values(name: str, values: Sequence[str]) -> None:
    """``?name=`` with exactly ``values`` (none: left out), touching the URL only on a change."""
    if url_values(name) == tuple(values) or (not values and name not in st.query_params):
        return
    if not values:
        del st.query_params[name]
    elif len(values) == 1:
        st.query_params[name] = values[0]
    else:
        st.query_params[name] = list(values)


def seed(key: str, default: Any) -> None:
    """Give a widget its default through its state (a widget whose value also came from a link
    must not get ``value=`` too)."""
    if key not in st.session_state:
        st.session_state[key] = default


# -- parsers and printers shared by the pages -----------------------------------------------


def one(values: list[str]) -> str:
    if len(values) != 1:
        raise ValueError(values)
    return values[0]


def int_between(low: int, high: int) -> Callable[[list[str]], int]:
    def parse(values: list[str]) -> int:
        text = one(values).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(text)
        return int(text)

    return parse


def flag(values: list[str]) -> bool:
    text = one(values).strip().lower()
    if text not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise ValueError(text)
    return text in ("1", "true", "yes", "on")


def names_from(choices: Sequence[str]) -> Callable[[list[str]], list[str]]:
    """Values that must each be one of ``choices`` (a multiselect's options), in link order."""

    def parse(values: list[str]) -> list[str]:
        allowed = set(choices)
        if any(value not in allowed for value in values):
            raise ValueError(values)
        return list(dict.fromkeys(values))

    return parse


def name_in(choices: Sequence[str]) -> Callable[[list[str]], str]:
    """One value that must be one of ``choices`` (a selectbox's options)."""

    def parse(values: list[str]) -> str:
        text = one(values)
        if text not in set(choices):
            raise ValueError(text)
        return text

    return parse


def listed(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list | tuple) else []
