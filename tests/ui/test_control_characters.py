"""Control characters in Trello names break no page and no download.

A property test: boards whose every name (board, lists, cards, labels, members, checklists,
custom fields) is drawn from all of U+0000-U+001F, U+007F, U+2028/9 and the bidi overrides and
isolates, mixed with formula starters and separators, some 10,000 characters long, are uploaded
and every page is run under AppTest. No page fails, no rendered text holds a control character,
and every CSV the pages offer parses with csv.reader into its frame's rows and columns, with no
text field starting a formula in a comma or a semicolon locale.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pandas as pd
import streamlit
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, OPEN_EXPORT_PAGE, PAGES
from tests.ui.test_markdown_injection import PAGE_FILES, markdown_texts
from trellolens.testing import generate_export
from trellolens.ui.markdown_text import plain
from trellolens.ui.page_boundary import MESSAGE
from trellolens.ui.views import tables

CONTROLS = (
    "".join(map(chr, range(0x20)))
    + "\x7f\u2028\u2029"
    + "".join(map(chr, range(0x202A, 0x202F)))
    + "".join(map(chr, range(0x2066, 0x206A)))
)
ALPHABET = CONTROLS + "=+-@,;\"' ab"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LONG = 10_000
BOUNDARY = MESSAGE.split("(", 1)[0]
EXPORT = generate_export(lists=4, cards=10, actions=80, seed=44)
NAMED = ("lists", "cards", "labels", "checklists", "customFields")
SLOTS = 1 + sum(len(EXPORT[kind]) for kind in NAMED) + len(EXPORT["members"])

short_names = st.text(alphabet=ALPHABET, min_size=1, max_size=12)
long_names = st.builds(lambda seed: (seed * LONG)[:LONG], short_names)
names = st.lists(st.one_of(short_names, long_names), min_size=SLOTS, max_size=SLOTS)
EVERY_CONTROL = [CONTROLS, CONTROLS * (LONG // len(CONTROLS) + 1)] * SLOTS


def hostile_export(drawn: list[str]) -> dict[str, Any]:
    export: dict[str, Any] = json.loads(json.dumps(EXPORT))
    pool = iter(drawn)
    export["name"] = next(pool)
    for kind in NAMED:
        for index, item in enumerate(export[kind]):
            item["name"] = f"{next(pool)}{index}"  # unique: the workflow names lists
    for member in export["members"]:
        member["fullName"] = next(pool)
    return export


@dataclass
class Downloads:
    """Every CSV the pages built (with its frame's shape) while the patch was on."""

    made: list[tuple[int, int, bytes]]


@contextmanager
def recording_downloads() -> Iterator[Downloads]:
    downloads = Downloads([])
    make_csv = tables._csv_bytes
    download_button = streamlit.download_button

    def recorded_csv(frame: pd.DataFrame) -> bytes:
        data = make_csv(frame)
        downloads.made.append((len(frame), len(frame.columns), data))
        return data

    def button(label: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        if callable(data):
            data = data()  # a download built on click (the cards page): build it now
        return download_button(label, data, *args, **kwargs)

    with (
        mock.patch.object(tables, "_csv_bytes", recorded_csv),
        mock.patch.object(streamlit, "download_button", button),
    ):
        yield downloads


def check_csv(rows: int, columns: int, data: bytes) -> None:
    for delimiter in (",", ";"):
        parsed = list(
            csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter)
        )
        if delimiter == ",":
            assert len(parsed) == rows + 1, "a row was split or lost"
            assert {len(row) for row in parsed} == {columns}, "a field was split"
        for field in (field for row in parsed for field in row):
            assert not field.startswith(FORMULA_STARTS) or _is_number(field), field[:40]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def run_every_page(export: dict[str, Any]) -> list[str]:
    """Each page's failures (exceptions, the page boundary's message, control characters)."""
    for name in [n for n in os.environ if n.startswith("TRELLO")]:
        del os.environ[name]  # tests/conftest.py restores them
    at = AppTest.from_file(APP_SCRIPT, default_timeout=60).run()
    at = at.switch_page(OPEN_EXPORT_PAGE).run()
    at.file_uploader[0].set_value(("hostile.json", json.dumps(export).encode(), "application/json"))
    at.run()
    problems = []
    for page in PAGE_FILES:
        at.switch_page(str(PAGES / page)).run()
        problems += [f"{page}: {str(e.value)[:300]!r}" for e in at.exception]
        problems += [f"{page}: {e.value}" for e in at.error if BOUNDARY in str(e.value)]
        problems += [
            f"{page}: control character {ch!r} in {text[:60]!r}"
            for text in markdown_texts(at)
            for ch in {c for c in text if c in CONTROLS and c != "\n"}  # "\n\n": the app's own
        ]
    return problems


@settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(EVERY_CONTROL[:SLOTS])
@given(names)
def test_control_characters_break_no_page_and_no_download(drawn: list[str]) -> None:
    with recording_downloads() as downloads:
        problems = run_every_page(hostile_export(drawn))
    assert not problems, "\n".join(problems[:20])
    assert len(downloads.made) >= 5, "the pages offered fewer CSV downloads than expected"
    for rows, columns, data in downloads.made:
        check_csv(rows, columns, data)


def test_a_carriage_return_in_a_list_name_makes_a_csv_that_parses_back() -> None:
    names = ["Doing\rnow", "=1+1\n", "a\u2028b\x00c", "\r-2", "x" * LONG]
    data = tables.frame_csv(pd.DataFrame({"List": names, "Cards": [1, 2, 3, 4, 5]}))
    check_csv(len(names), 2, data)
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [row[0] for row in parsed[1:]] == [
        "Doing\rnow",
        "'=1+1\n",
        "a\u2028b\x00c",
        "'\r'-2",
        "x" * LONG,
    ]


def test_plain_drops_control_and_bidi_characters_and_keeps_the_words() -> None:
    assert plain("Doing\rnow") == "Doing now"
    assert plain("evil\u202egnp.exe\x00\x1b[31m") == "evilgnp\\.exe\\[31m"
