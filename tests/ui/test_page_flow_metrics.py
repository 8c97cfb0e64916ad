"""The flow pages on the demo board: they run, draw their charts, and offer each chart's CSV."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import page_text
from tests.helpers.paths import HERMES_2014
from tests.ui.flow_pages import (
    AGING_WIP_PAGE,
    CYCLE_TIME_PAGE,
    DATA_QUALITY_PAGE,
    FLOW_PAGE,
    FORECAST_PAGE,
    charts,
    download_url_of,
    download_urls,
)
from trellolens.board import Board, TrelloList, demo_board, parse_board_bytes
from trellolens.metrics import compute_flow_metrics
from trellolens.testing.generator import generate_board
from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard
from trellolens.ui.views.headers import titled
from trellolens.ui.views.tables import frame_csv

DEMO = demo_board()
DEMO_METRICS = compute_flow_metrics(DEMO)
DEMO_LISTS = frozenset(DEMO_METRICS.workflow.stage_names)  # the cumulative flow's columns


@pytest.mark.parametrize(
    ("page", "chart_fields", "downloads"),
    [
        (
            FLOW_PAGE,
            [
                "in stage or later",
                '"field": "wip"',
                '"field": "week_start"',
                '"field": "value"',
                '"field": "value"',
                '"field": "days"',
            ],
            6,
        ),
        (CYCLE_TIME_PAGE, ['"field": "done"', '"field": "days"', '"field": "median_days"'], 3),
        (AGING_WIP_PAGE, ['"field": "age_days"'], 1),
        (FORECAST_PAGE, ['"field": "count"'], 3),
        (DATA_QUALITY_PAGE, [], 0),
    ],
    ids=["flow", "cycle-time", "aging-wip", "forecast", "data-quality"],
)
def test_each_flow_page_runs_on_the_demo_board(
    app: AppTest, page: str, chart_fields: list[str], downloads: int
) -> None:
    app.switch_page(page).run()
    assert not app.exception
    assert not app.error
    assert not app.warning
    text = page_text(app)
    assert "amirite" in text
    assert "Workflow: Meetingroom → Parents" in text
    specs = charts(app)
    assert len(specs) == len(chart_fields)
    for spec, field in zip(specs, chart_fields, strict=True):
        assert field in spec
    assert [b.label for b in app.download_button] == ["Download CSV"] * downloads


def test_flow_downloads_hold_exactly_the_charted_tables(app: AppTest) -> None:
    app.switch_page(FLOW_PAGE).run()
    expected = [
        download_url_of(
            frame_csv(titled(DEMO_METRICS.cfd, keep=DEMO_LISTS)), "amirite-cumulative-flow.csv"
        ),
        download_url_of(frame_csv(titled(DEMO_METRICS.wip_over_time)), "amirite-wip-over-time.csv"),
        download_url_of(
            frame_csv(titled(DEMO_METRICS.weekly_throughput)), "amirite-weekly-throughput.csv"
        ),
    ]
    assert download_urls(app)[:3] == expected  # then the behaviour charts and the histogram
    cfd = pd.read_csv(io.BytesIO(frame_csv(titled(DEMO_METRICS.cfd, keep=DEMO_LISTS))))
    assert list(cfd.columns) == ["Date", *DEMO_METRICS.workflow.stage_names]
    assert cfd["Date"].iloc[0] == DEMO_METRICS.cfd["date"].iloc[0].isoformat()


def test_cycle_time_page_shows_the_percentiles(app: AppTest) -> None:
    app.switch_page(CYCLE_TIME_PAGE).run()
    tiles = {metric.label: metric.value for metric in app.metric}
    assert tiles["Cards done"] == str(len(DEMO_METRICS.cycle_times))
    for p in (50, 85, 95):
        days = DEMO_METRICS.cycle_time_percentiles[p]
        assert days is not None
        assert tiles[f"{p} % within"] == f"{days:.1f} d"
    assert download_urls(app)[0] == download_url_of(
        frame_csv(titled(DEMO_METRICS.cycle_times)), "amirite-cycle-times.csv"
    )


def test_aging_wip_lists_every_card_in_progress_oldest_first(app: AppTest) -> None:
    app.switch_page(AGING_WIP_PAGE).run()
    (table,) = app.dataframe
    assert list(table.value["Card"]) == list(DEMO_METRICS.wip["name"])
    ages = list(table.value["Age (days)"])
    assert ages == sorted(ages, reverse=True)
    tiles = {metric.label: metric.value for metric in app.metric}
    assert tiles["Cards in progress"] == str(len(DEMO_METRICS.wip))


def test_overview_shows_the_flow_tiles(app: AppTest) -> None:
    assert not app.exception
    tiles = {metric.label: metric.value for metric in app.metric}
    p85 = DEMO_METRICS.cycle_time_percentiles[85]
    assert p85 is not None
    assert tiles["Work in progress"] == str(len(DEMO_METRICS.wip))
    assert tiles["Done, last 7 days"] == str(DEMO_METRICS.throughput_in_last(7))
    assert tiles["Done, last 30 days"] == str(DEMO_METRICS.throughput_in_last(30))
    assert tiles["Cycle time, 85 %"] == f"{p85:.1f} days"
    assert tiles["WIP older than 85 %"] == str(DEMO_METRICS.wip_older_than(p85))
    assert tiles["Overdue cards"] == tiles["overdue"]
    # The labels and members charts, and (last) the cards near the derived service level.
    keys = [button.key for button in app.download_button]
    assert keys == ["csv_download.labels", "csv_download.members", "csv_download.service-level"]


def test_flow_pages_work_on_an_uploaded_export(app: AppTest) -> None:
    data = HERMES_2014.read_bytes()
    board = parse_board_bytes(data, source="hermes.json")
    app.session_state[UPLOADED_KEY] = UploadedBoard(board, "hermes.json", "hermes-digest")
    for page in (FLOW_PAGE, CYCLE_TIME_PAGE, AGING_WIP_PAGE, FORECAST_PAGE, DATA_QUALITY_PAGE):
        app.switch_page(page).run()
        assert not app.exception, page
        assert not app.error, page
        assert "Project Hermes" in page_text(app)
    assert "Cards without a creation event" in page_text(app)


def test_data_quality_lists_cards_whose_history_was_cut_off(app: AppTest) -> None:
    board = generate_board(cards=60, actions=400, truncate_history_at=150, seed=3)
    quality = compute_flow_metrics(board).data_quality
    assert quality.cards_without_creation_event > 0
    app.session_state[UPLOADED_KEY] = UploadedBoard(board, "cut.json", "cut-digest")
    app.switch_page(DATA_QUALITY_PAGE).run()
    assert not app.exception
    assert any("cut off" in str(warning.value) for warning in app.warning)
    card_tables = [d.value for d in app.dataframe if "Card id" in d.value.columns]
    table = card_tables[0]  # the first card table: cards without a creation event
    assert sorted(table["Card id"]) == sorted(quality.card_ids_without_creation_event)
    assert "Download CSV" in [button.label for button in app.download_button]


def board_with_lists(*names: str) -> Board:
    lists = tuple(TrelloList(f"{i:024x}", name, pos=float(i)) for i, name in enumerate(names))
    return Board(id="b" * 24, name="Tiny", lists=lists)


def test_a_board_with_one_list_gets_one_line_and_the_rest_of_the_overview(app: AppTest) -> None:
    app.session_state[UPLOADED_KEY] = UploadedBoard(board_with_lists("Only"), "tiny.json", "t")
    app.run()
    assert not app.exception
    assert any("No flow metrics for this board" in str(info.value) for info in app.info)
    assert "Open lists" in page_text(app)
    app.switch_page(FLOW_PAGE).run()
    assert not app.exception
    (error,) = app.error
    assert "at least 2 lists" in str(error.value)
    assert "\n" not in str(error.value)


def test_list_names_are_shown_literally_not_as_markdown(app: AppTest) -> None:
    names = ("[Doing](https://evil.example)", "**Done**")
    app.session_state[UPLOADED_KEY] = UploadedBoard(board_with_lists(*names), "md.json", "m")
    app.switch_page(FLOW_PAGE).run()
    assert not app.exception
    text = page_text(app)
    assert r"\[Doing\]\(https\://evil\.example\)" in text
    assert "](https://evil" not in text
    assert r"\*\*Done\*\*" in text
