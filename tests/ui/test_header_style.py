"""One header style in every table and CSV the pages offer, rounded as docs/metrics.md says.

The walk runs every page of the real app on a board with a split by type (so the by-type
tables appear), reads every table a visitor sees and every CSV a download button holds, and
checks each header against ``views.headers.follows_rule``: a new table in another style fails.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import CARDS_PAGE, OVERVIEW_PAGE
from tests.ui.flow_pages import (
    AGING_WIP_PAGE,
    CYCLE_TIME_PAGE,
    DATA_QUALITY_PAGE,
    FLOW_PAGE,
    FORECAST_PAGE,
    PAGES,
)
from tests.ui.option_board import option_board
from trellolens.doctor import DoctorReport, Status
from trellolens.doctor.check import Check
from trellolens.ui.components import analytics_options as options
from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard
from trellolens.ui.views.boards_tables import COLUMNS, rows_table
from trellolens.ui.views.drill_down import drill_table
from trellolens.ui.views.headers import follows_rule, header, table_frame, titled
from trellolens.ui.views.quality_tables import cards_frame, ignored_lists_frame
from trellolens.ui.views.security_tables import checks_table
from trellolens.ui.views.tables import frame_csv

BOARD = option_board()
SECURITY_PAGE = str(PAGES / "security.py")
WALKED_PAGES = [
    OVERVIEW_PAGE,
    CARDS_PAGE,
    FLOW_PAGE,
    CYCLE_TIME_PAGE,
    AGING_WIP_PAGE,
    FORECAST_PAGE,
    DATA_QUALITY_PAGE,
    SECURITY_PAGE,
]
BOARD_NAMES = frozenset({"Bug", "Feature", "Blocked", "(none)", *(lst.name for lst in BOARD.lists)})
"""Types of the split by label and the board's lists: a column named after one is board data
(the cumulative flow's CSV has a column per list), not a header we chose."""
CSV_FRACTION = re.compile(r"^-?\d+\.(\d+)$")


@pytest.fixture
def csv_files(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every CSV a download button of the walk holds (deferred ones are generated too)."""
    files: list[bytes] = []
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def recording_add(
        self: MediaFileManager, data: bytes | str, mimetype: str, *a: object, **k: object
    ) -> str:
        if mimetype == "text/csv" and isinstance(data, bytes):
            files.append(data)
        return add(self, data, mimetype, *a, **k)  # type: ignore[arg-type]

    def recording_deferred(
        self: MediaFileManager,
        make: Callable[[], object],
        mimetype: str | None,
        *a: object,
        **k: object,
    ) -> str:
        made = make()
        if mimetype == "text/csv" and isinstance(made, bytes):
            files.append(made)
        return add_deferred(self, make, mimetype, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(MediaFileManager, "add", recording_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_deferred)
    return files


def walk(app: AppTest) -> Iterator[tuple[str, pd.DataFrame]]:
    """Each page with the split by label on: the tables a visitor reads there."""
    app.session_state[UPLOADED_KEY] = UploadedBoard(BOARD, "options.json", "options-digest")
    app.switch_page(CYCLE_TIME_PAGE).run()
    app.selectbox(key=options.BY_KEY).set_value("label").run()
    for page in WALKED_PAGES:
        app.switch_page(page).run()
        assert not app.exception, page
        for table in app.dataframe:
            yield page, table.value


def bad_headers(headers: list[str]) -> list[str]:
    return [name for name in headers if name not in BOARD_NAMES and not follows_rule(name)]


def test_every_table_and_csv_of_every_page_has_one_header_style(
    app: AppTest, csv_files: list[bytes]
) -> None:
    tables = list(walk(app))
    assert len(tables) >= 6  # the walk reached the tables it is meant to check
    assert len(csv_files) >= 25
    for page, frame in tables:
        assert not bad_headers([str(c) for c in frame.columns]), page
        for column in frame.columns:
            if pd.api.types.is_float_dtype(frame[column]):
                values = frame[column].dropna()
                assert (values == values.round(1)).all(), (page, column)
    for data in csv_files:
        rows = list(csv.reader(io.StringIO(data.decode())))
        assert not bad_headers(rows[0]), rows[0]
        for row in rows[1:]:
            for field in row:
                if fraction := CSV_FRACTION.match(field):
                    assert len(fraction.group(1)) <= 4, (rows[0], field)


def test_the_tables_the_walk_does_not_reach_follow_the_rule_too() -> None:
    """Drill-down (after a click), data quality, Security and Boards builders, headers as shown."""
    board = option_board()
    card_ids = [card.id for card in board.cards]
    frames = [
        drill_table(pd.DataFrame({"card_id": card_ids, "age_days": 1.25}), board, "age_days"),
        cards_frame(board, card_ids),
        ignored_lists_frame(["Ideas"]),
        checks_table(DoctorReport("default", (Check("x", "X", Status.PASS, "fine"),))),
        rows_table([]),
        pd.DataFrame(columns=["week_start", "chart", "rule", "reading"]),  # signals_table's columns
    ]
    for frame in frames:
        assert not bad_headers([str(c) for c in table_frame(frame).columns])
    assert not bad_headers(list(COLUMNS.values()))


@pytest.mark.parametrize(
    "title",
    [
        "Cycle time (days)",
        "Card",
        "50 % by",
        "WIP",
        "Done, last 7 days",
        "#",
        "Left (working days)",
    ],
)
def test_the_rule_takes_sentence_case_with_units(title: str) -> None:
    assert follows_rule(title)


@pytest.mark.parametrize(
    "title",
    [
        "age_days",
        "in progress",
        "Due Bucket",
        "Work In Progress",
        "",
        " Card",
        "Cycle  time",
        "cards",
    ],
)
def test_the_rule_refuses_snake_case_lower_case_and_title_case(title: str) -> None:
    assert not follows_rule(title)


@pytest.mark.parametrize(
    ("name", "title"),
    [("age_days", "Age (days)"), ("p85", "85 %"), ("week_start", "Week start"), ("wip", "WIP"),
     ("lead_time_hours", "Lead time (hours)"), ("Due bucket", "Due bucket"), ("name", "Card")],
)  # fmt: skip
def test_a_short_name_becomes_its_header(name: str, title: str) -> None:
    assert header(name) == title


def test_tables_round_to_a_tenth_and_csvs_to_four_places() -> None:
    frame = pd.DataFrame({"age_days": [1.23456789], "name": ["=SUM(1)"], "Bug": [2.0]})
    shown = table_frame(frame, keep=frozenset({"Bug"}))
    assert list(shown.columns) == ["Age (days)", "Card", "Bug"]
    assert shown["Age (days)"].tolist() == [1.2]
    data = frame_csv(titled(frame, keep=frozenset({"Bug"}))).decode()
    assert data.splitlines() == ["Age (days),Card,Bug", "1.2346,'=SUM(1),2.0"]
