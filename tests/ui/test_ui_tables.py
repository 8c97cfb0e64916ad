"""The dashboard's pure tables: due buckets with a fixed "now", filters, breakdowns, CSV."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from trellolens.board import Board, Card, Label, Member, TrelloList, demo_board
from trellolens.cli.board_commands import list_summary
from trellolens.ui.views import tables
from trellolens.ui.views.tables import (
    COMPLETE,
    DUE_BUCKETS,
    DUE_SOON,
    LATER,
    NO_DUE_DATE,
    OVERDUE,
    CardFilter,
    due_bucket,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
WEEK = timedelta(days=7)


@pytest.mark.parametrize(
    ("due", "complete", "bucket"),
    [
        (None, False, NO_DUE_DATE),
        (None, True, COMPLETE),
        (NOW - WEEK, True, COMPLETE),
        (NOW + 4 * WEEK, True, COMPLETE),
        (NOW - SECOND, False, OVERDUE),
        (NOW, False, DUE_SOON),
        (NOW + WEEK, False, DUE_SOON),
        (NOW + WEEK + SECOND, False, LATER),
    ],
)
def test_due_bucket_edges(due: datetime | None, complete: bool, bucket: str) -> None:
    assert due_bucket(due, complete, NOW) == bucket


def small_board() -> Board:
    todo = TrelloList("l1", "To do", pos=2.0)
    doing = TrelloList("l0", "Doing", pos=1.0)
    old = TrelloList("l9", "Old", pos=0.5, closed=True)
    bug = Label("b", "Bug", "red")
    unnamed = Label("g", "", "green")
    ana = Member("m1", "Ana")
    return Board(
        id="board",
        name="Small board!",
        lists=(todo, doing, old),
        labels=(bug, unnamed),
        members=(ana, Member("m2", "Bo")),
        cards=(
            Card("c1", "=HYPERLINK(1)", "l1", pos=2, label_ids=("b",), member_ids=("m1", "m2")),
            Card("c2", "Write docs", "l1", pos=1, due=NOW + timedelta(days=2), label_ids=("g",)),
            Card("c3", "Ship", "l0", due=NOW - timedelta(days=1), due_complete=True),
            Card("c4", "Archived card", "l0", closed=True, label_ids=("b",)),
            Card("c5", "In archived list", "l9", short_url="https://trello.com/c/x"),
        ),
    )


def test_cards_table_orders_by_list_then_card_and_marks_archived() -> None:
    frame = tables.cards_table(small_board(), NOW)
    assert list(frame.columns) == list(tables.CARD_COLUMNS)
    assert list(frame[tables.CARD]) == [
        "Ship",
        "Archived card",
        "Write docs",
        "=HYPERLINK(1)",
        "In archived list",
    ]
    assert list(frame[tables.ARCHIVED]) == [False, True, False, False, True]
    assert list(frame[tables.DUE_BUCKET]) == [
        COMPLETE,
        NO_DUE_DATE,
        DUE_SOON,
        NO_DUE_DATE,
        NO_DUE_DATE,
    ]
    assert frame.loc[3, tables.LABELS] == ["Bug"]
    assert frame.loc[2, tables.LABELS] == ["(green)"]
    assert frame.loc[3, tables.MEMBERS] == ["Ana", "Bo"]
    assert str(frame[tables.DUE].dtype).endswith("UTC]")


def names(frame: pd.DataFrame) -> list[str]:
    return list(frame[tables.CARD])


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (CardFilter(), ["Ship", "Write docs", "=HYPERLINK(1)"]),
        (
            CardFilter(include_archived=True),
            ["Ship", "Archived card", "Write docs", "=HYPERLINK(1)", "In archived list"],
        ),
        (CardFilter(lists=("To do",)), ["Write docs", "=HYPERLINK(1)"]),
        (CardFilter(labels=("Bug",)), ["=HYPERLINK(1)"]),
        (CardFilter(labels=("Bug",), include_archived=True), ["Archived card", "=HYPERLINK(1)"]),
        (CardFilter(labels=("Bug", "(green)")), ["Write docs", "=HYPERLINK(1)"]),
        (CardFilter(members=("Bo",)), ["=HYPERLINK(1)"]),
        (CardFilter(due_buckets=(COMPLETE, DUE_SOON)), ["Ship", "Write docs"]),
        (CardFilter(lists=("Doing",), due_buckets=(DUE_SOON,)), []),
    ],
)
def test_filter_cards(chosen: CardFilter, expected: list[str]) -> None:
    assert names(tables.filter_cards(tables.cards_table(small_board(), NOW), chosen)) == expected


def test_csv_round_trips_the_rows_and_defuses_formulas() -> None:
    frame = tables.cards_table(small_board(), NOW)
    parsed = pd.read_csv(io.BytesIO(tables.cards_csv(frame)), keep_default_na=False)
    assert list(parsed.columns) == list(tables.CARD_COLUMNS)
    assert len(parsed) == len(frame)
    assert parsed.loc[3, tables.CARD] == "'=HYPERLINK(1)"
    assert parsed.loc[3, tables.MEMBERS] == "Ana; Bo"
    assert parsed.loc[2, tables.DUE] == "2024-05-03T12:00:00+00:00"
    assert parsed.loc[0, tables.DUE] != ""
    assert parsed.loc[1, tables.DUE] == ""
    assert list(parsed[tables.ARCHIVED]) == list(frame[tables.ARCHIVED])


def test_csv_of_no_rows_is_just_the_header() -> None:
    frame = tables.cards_table(small_board(), NOW).iloc[0:0]
    assert tables.cards_csv(frame).decode() == ",".join(tables.CARD_COLUMNS) + "\n"


def test_list_counts_match_the_cli_summary() -> None:
    counts = tables.list_counts(demo_board())
    summary = list_summary(demo_board())
    assert list(counts[tables.LIST]) == [item["name"] for item in summary]
    assert list(counts["Cards"]) == [item["open_cards"] for item in summary]


def test_breakdown_counts_each_label_and_unlabelled_cards() -> None:
    frame = tables.open_cards(tables.cards_table(small_board(), NOW))
    labels = tables.breakdown(frame, tables.LABELS, empty="(no label)")
    assert dict(zip(labels[tables.LABELS], labels["Cards"], strict=True)) == {
        "(green)": 1,
        "(no label)": 1,
        "Bug": 1,
    }
    members = tables.breakdown(frame, tables.MEMBERS, empty="(nobody)")
    assert list(members[tables.MEMBERS]) == ["(nobody)", "Ana", "Bo"]
    assert list(members["Cards"]) == [2, 1, 1]


def test_due_bucket_counts_list_every_bucket_in_order() -> None:
    frame = tables.open_cards(tables.cards_table(small_board(), NOW))
    counts = tables.due_bucket_counts(frame)
    assert list(counts[tables.DUE_BUCKET]) == list(DUE_BUCKETS)
    assert list(counts["Cards"]) == [0, 1, 0, 1, 1]


def test_demo_board_due_dates_are_all_past_so_buckets_do_not_depend_on_today() -> None:
    later = tables.cards_table(demo_board(), NOW + 1000 * WEEK)
    today = tables.cards_table(demo_board(), datetime.now(UTC))
    assert list(later[tables.DUE_BUCKET]) == list(today[tables.DUE_BUCKET])
    assert set(today[tables.DUE_BUCKET]) == {OVERDUE, NO_DUE_DATE, COMPLETE}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("amirite", "amirite"),
        ("Small board!", "small-board"),
        ("Ärger & Co", "arger-co"),
        ("!!!", "board"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert tables.slug(name) == expected
