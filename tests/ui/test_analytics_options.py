"""The analytics options in the sidebar, on the hand-made board of ``option_board`` (answers there)."""

from __future__ import annotations

import copy
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import OVERVIEW_PAGE, page_text, shown
from tests.ui.flow_pages import (
    AGING_WIP_PAGE,
    CARDS_PAGE,
    CYCLE_TIME_PAGE,
    FLOW_PAGE,
    FORECAST_PAGE,
    charts,
    download_url_of,
    download_urls,
)
from tests.ui.option_board import option_board, option_board_export
from trellolens.board import parse_board
from trellolens.metrics import (
    BlockedRule,
    MetricOptions,
    ServiceLevel,
    WorkCalendar,
    WorkTypes,
    compute_flow_metrics,
    forecast_by_type,
)
from trellolens.ui.components import analytics_options as options
from trellolens.ui.components.csv_download import csv_file_name
from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard
from trellolens.ui.data.cache import options_key
from trellolens.ui.pages import forecast
from trellolens.ui.views.headers import titled
from trellolens.ui.views.option_charts import BLOCKED_COLOUR
from trellolens.ui.views.tables import frame_csv

BOARD = option_board()
START = date(2024, 1, 15)


@pytest.fixture
def board_app(app: AppTest) -> AppTest:
    app.session_state[UPLOADED_KEY] = UploadedBoard(BOARD, "options.json", "options-digest")
    return app


def on(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, page
    assert not at.error, page
    return at


def tiles(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def offers_csv(at: AppTest, frame: pd.DataFrame, what: str) -> bool:
    lists = frozenset(lst.name for lst in BOARD.lists)  # the cumulative flow's columns
    url = download_url_of(frame_csv(titled(frame, keep=lists)), csv_file_name(BOARD.name, what))
    return url in download_urls(at)


def metrics(**chosen: object) -> object:
    return compute_flow_metrics(BOARD, options=MetricOptions(**chosen))  # type: ignore[arg-type]


def test_the_defaults_are_the_blocked_label_and_the_p85_service_level(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    assert board_app.selectbox(key=options.BLOCKED_KEY).value == "label:Blocked"
    assert board_app.selectbox(key=options.BY_KEY).value == ""
    assert board_app.selectbox(key=options.SLE_KEY).value == "p85"
    assert tiles(board_app)["50 % within"] == "3.0 d"
    assert tiles(board_app)["Blocked"] == "0%"  # no done card was blocked


def test_a_split_by_label_reaches_every_page(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.selectbox(key=options.BY_KEY).set_value("label").run()
    assert not board_app.exception
    summary = table_with(board_app, "Done")
    assert summary["Type"].tolist() == ["Bug", "Feature", "Blocked", "(none)"]
    assert summary["Done"].tolist() == [1, 2, 0, 1]
    assert summary["In progress"].tolist() == [1, 2, 0, 0]
    expected = compute_flow_metrics(
        BOARD, options=MetricOptions(work_types=WorkTypes(), blocked=BlockedRule(), service_level=ServiceLevel())
    )  # fmt: skip
    assert dict(zip(expected.cycle_times["name"], expected.cycle_times["type"], strict=True)) == {
        "A": "Bug", "B": "Feature", "C": "Feature", "D": "(none)"
    }  # fmt: skip
    assert offers_csv(board_app, expected.cycle_times, "cycle-times")  # with type, blocked_days
    assert {"type", "blocked_days", "blocked_share"} <= set(expected.cycle_times.columns)
    assert any('"(none)"' in spec and "#9e9e9e" in spec for spec in charts(board_app))

    on(board_app, FLOW_PAGE)
    weekly = pd.DataFrame(
        {
            # up to the as-of week (Monday 2024-01-15), where nothing was done yet
            "week_start": [date(2024, 1, 1)] * 4 + [date(2024, 1, 8)] * 4 + [date(2024, 1, 15)] * 4,
            "type": ["Bug", "Feature", "Blocked", "(none)"] * 3,
            "count": [1, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0],
        }
    )
    assert offers_csv(board_app, weekly, "weekly-throughput-by-type")

    on(board_app, AGING_WIP_PAGE)
    wip = table_with(board_app, "Age (days)")
    assert dict(zip(wip["Card"], wip["Type"], strict=True)) == {"E": "Bug", "G": "Feature", "F": "Feature"}  # fmt: skip
    assert offers_csv(board_app, expected.wip, "aging-wip")

    on(board_app, FORECAST_PAGE)
    by_type = table_with(board_app, "In progress")
    assert by_type["Type"].tolist() == ["Bug", "Feature", "Blocked", "(none)"]
    assert by_type["In progress"].tolist() == [1, 2, 0, 0]
    assert "Download CSV" in [button.label for button in board_app.download_button]


def test_a_split_by_a_list_custom_field(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.selectbox(key=options.BY_KEY).set_value("field:f-kind").run()
    summary = table_with(board_app, "Done")
    assert summary["Type"].tolist() == ["Failure demand", "Value demand", "(none)"]
    assert summary["Done"].tolist() == [1, 2, 1]
    assert summary["In progress"].tolist() == [1, 2, 0]


def test_blocked_cards_are_marked_on_the_aging_chart(board_app: AppTest) -> None:
    on(board_app, AGING_WIP_PAGE)
    wip = table_with(board_app, "Blocked now")
    assert dict(zip(wip["Card"], wip["Blocked now"], strict=True)) == {"E": True, "G": False, "F": False}  # fmt: skip
    assert dict(zip(wip["Card"], wip["Blocked (days)"], strict=True)) == {"E": 4.0, "G": 0.0, "F": 0.0}  # fmt: skip
    assert any(BLOCKED_COLOUR in spec for spec in charts(board_app))
    assert "Blocked now: 1 of the 3 cards in progress." in page_text(board_app)

    blocked_list = next(lst.id for lst in BOARD.lists if lst.name == "Blocked")
    board_app.selectbox(key=options.BLOCKED_KEY).set_value(f"list:{blocked_list}").run()
    wip = table_with(board_app, "Blocked now")
    assert dict(zip(wip["Card"], wip["Blocked now"], strict=True)) == {"E": False, "G": True, "F": False}  # fmt: skip
    assert dict(zip(wip["Card"], wip["Blocked (days)"], strict=True))["G"] == 3.0

    board_app.selectbox(key=options.BLOCKED_KEY).set_value("").run()
    assert "Blocked now" not in table_with(board_app, "Age (days)").columns
    assert not any(BLOCKED_COLOUR in spec for spec in charts(board_app))


def test_business_days_change_cycle_time(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    assert not board_app.exception
    assert tiles(board_app)["50 % within"] == "2.0 d"  # 1, 2, 2, 5 working days
    assert "in working days" in page_text(board_app)
    on(board_app, AGING_WIP_PAGE)  # the choice is kept across pages
    ages = table_with(board_app, "Age (days)")
    assert dict(zip(ages["Card"], ages["Age (days)"], strict=True)) == {"E": 5.0, "G": 5.0, "F": 0.0}  # fmt: skip


def test_a_holidays_file_with_a_bad_line_gets_one_error_line(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    (uploader,) = board_app.file_uploader
    uploader.set_value(("days.txt", b"2024-01-03\nsoon\n", "text/plain")).run()
    assert not board_app.exception
    (error,) = board_app.error
    assert shown(str(error.value)) == (
        "days.txt: line 2: 'soon' is not a date; write one date per line like 2026-12-25"
    )
    assert tiles(board_app)["50 % within"] == "2.0 d"  # the bad file changed nothing

    uploader = board_app.file_uploader[0]
    uploader.set_value(("days.txt", b"2024-01-03  # Wednesday\n", "text/plain")).run()
    assert not board_app.error
    assert tiles(board_app)["50 % within"] == "1.5 d"  # A 1, B 4, C 2, D 1


def test_holidays_from_the_secrets(board_app: AppTest) -> None:
    board_app.secrets["trellolens"] = {"holidays": ["2024-01-03"]}
    on(board_app, CYCLE_TIME_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    assert tiles(board_app)["50 % within"] == "1.5 d"


def test_the_holidays_uploader_states_its_real_one_megabyte_limit(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    (uploader,) = board_app.file_uploader
    assert uploader.proto.max_upload_size_mb == 1  # not the app's 20 MB export limit
    assert options.MAX_HOLIDAYS_BYTES == 1024 * 1024


def test_holidays_from_the_environment(board_app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRELLOLENS_HOLIDAYS", "2024-01-03, 2030-01-01")
    on(board_app, CYCLE_TIME_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    assert tiles(board_app)["50 % within"] == "1.5 d"
    assert "2 holidays" in page_text(board_app)


def test_a_bad_holidays_variable_is_one_line_naming_it(
    board_app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRELLOLENS_HOLIDAYS", "2024-01-03 soon")
    on(board_app, CYCLE_TIME_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    assert not board_app.exception
    (error,) = board_app.error
    assert shown(str(error.value)).startswith("TRELLOLENS_HOLIDAYS: line 1: 'soon' is not a date")


def test_size_in_cumulative_flow_and_throughput(board_app: AppTest) -> None:
    on(board_app, FLOW_PAGE)
    board_app.selectbox(key=options.SIZE_KEY).set_value("f-points").run()
    assert not board_app.exception
    sized = compute_flow_metrics(
        BOARD, options=MetricOptions(blocked=BlockedRule(), size_field="f-points", service_level=ServiceLevel())
    ).size  # fmt: skip
    assert sized is not None
    assert sized.cfd["Done"].iloc[-1] == 10.0
    assert sized.weekly_throughput["count"].tolist() == [
        3.0,
        7.0,
        0.0,
    ]  # and the as-of week, nothing done yet
    assert offers_csv(board_app, sized.cfd, "cumulative-flow")
    assert offers_csv(board_app, sized.weekly_throughput, "weekly-throughput")
    assert "sum of Story points" in page_text(board_app)
    assert any('"Story points"' in spec for spec in charts(board_app))


def test_the_service_level_list_is_oldest_first_and_last_on_the_overview(
    board_app: AppTest,
) -> None:
    on(board_app, OVERVIEW_PAGE)
    sle = table_with(board_app, "Left (days)")
    assert sle["Card"].tolist() == ["E", "G"]  # F (age 2) is not within 2 days of 5.65
    assert sle["Status"].tolist() == ["past", "past"]
    assert sle["Link"][0] == "https://trello.com/c/card0005"
    assert pd.isna(sle["Link"][1])  # G's URL is not a Trello card's: no link
    assert [str(s.value) for s in board_app.subheader][-1] == "Service level expectation"
    assert "85 % of cards finish within 5.6 days" in page_text(board_app)

    board_app.selectbox(key=options.SLE_KEY).set_value("set").run()
    board_app.number_input(key=options.SLE_DAYS_KEY).set_value(8.0).run()
    assert not board_app.exception
    sle = table_with(board_app, "Left (days)")
    assert sle["Card"].tolist() == ["E", "G"]
    assert sle["Status"].tolist() == ["past", "soon"]
    assert sle["Left (days)"].tolist() == [-1.0, 1.0]
    assert offers_csv(board_app, sle, "service-level")


def test_the_forecast_by_type_honours_the_window(board_app: AppTest) -> None:
    on(board_app, FORECAST_PAGE)
    board_app.selectbox(key=options.BY_KEY).set_value("label").run()
    board_app.number_input(key=forecast.WINDOW_KEY).set_value(1).run()
    by_type = table_with(board_app, "In progress").set_index("Type")
    # Jan 9-15 holds no Bug card done (A was done on Jan 4): nothing to draw from.
    assert by_type.loc["Bug", "85 % by"] == ""
    assert by_type.loc["Feature", "85 % by"] != ""

    board_app.number_input(key=forecast.WINDOW_KEY).set_value(2).run()
    expected = compute_flow_metrics(BOARD, options=MetricOptions(work_types=WorkTypes()))
    assert expected.work_types is not None
    answers = forecast_by_type(
        expected.work_types, expected.wip["type"], start=START, window_days=14, seed=1
    )
    assert answers["Bug"].p85 is not None
    by_type = table_with(board_app, "In progress").set_index("Type")
    assert by_type.loc["Bug", "85 % by"] == answers["Bug"].p85.isoformat()


def test_an_uploaded_holidays_file_outlives_a_page_without_the_uploader(
    board_app: AppTest,
) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    board_app.file_uploader[0].set_value(("days.txt", b"2024-01-03\n", "text/plain")).run()
    assert tiles(board_app)["50 % within"] == "1.5 d"
    on(board_app, CARDS_PAGE)
    on(board_app, CYCLE_TIME_PAGE)
    assert tiles(board_app)["50 % within"] == "1.5 d"
    assert "1 holiday from days.txt" in shown(page_text(board_app))
    board_app.button(key=options.FORGET_HOLIDAYS_KEY).click().run()
    assert tiles(board_app)["50 % within"] == "2.0 d"


def test_a_size_field_name_is_shown_literally(board_app: AppTest) -> None:
    export = copy.deepcopy(option_board_export())  # the field definitions are shared dicts
    export["customFields"][0]["name"] = "[points](https://evil.example)"
    board = parse_board(export, "evil.json")
    board_app.session_state[UPLOADED_KEY] = UploadedBoard(board, "evil.json", "evil-digest")
    on(board_app, FLOW_PAGE)
    board_app.selectbox(key=options.SIZE_KEY).set_value("f-points").run()
    text = page_text(board_app)
    assert r"\[points\]\(https\://evil\.example\)" in text
    assert "](https://evil" not in text


def test_the_cache_key_of_the_options_does_not_depend_on_holiday_order() -> None:
    days = [date(2024, 1, n) for n in range(1, 30)]
    first = MetricOptions(calendar=WorkCalendar(holidays=frozenset(days)))
    second = MetricOptions(calendar=WorkCalendar(holidays=frozenset(reversed(days))))
    assert options_key(first) == options_key(second)
    assert options_key(first) != options_key(MetricOptions(calendar=WorkCalendar()))
    assert hash(options_key(MetricOptions(work_types=WorkTypes(labels=("Bug",)))))


def test_only_the_chosen_labels_are_types_in_the_order_chosen(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.selectbox(key=options.BY_KEY).set_value("label").run()
    assert board_app.multiselect(key=options.BY_LABELS_KEY).options == [
        "Bug", "Feature", "Blocked"
    ]  # fmt: skip
    board_app.multiselect(key=options.BY_LABELS_KEY).set_value(["Feature", "Bug"]).run()
    assert not board_app.exception
    summary = table_with(board_app, "Done")
    assert summary["Type"].tolist() == ["Feature", "Bug", "(none)"]
    assert summary["Done"].tolist() == [2, 1, 1]
    assert summary["In progress"].tolist() == [2, 1, 0]  # E is a Bug; Blocked is no type now


def test_a_choice_the_reloaded_board_no_longer_offers_falls_back(board_app: AppTest) -> None:
    on(board_app, CYCLE_TIME_PAGE)
    board_app.selectbox(key=options.BY_KEY).set_value("field:f-kind").run()
    board_app.selectbox(key=options.SIZE_KEY).set_value("f-points").run()
    assert table_with(board_app, "Done")["Type"].tolist()[0] == "Failure demand"
    export = copy.deepcopy(option_board_export())
    export["customFields"] = []  # the same board (same id), its custom fields deleted
    for card in export["cards"]:
        card["customFieldItems"] = []
    board = parse_board(export, "reloaded.json")
    board_app.session_state[UPLOADED_KEY] = UploadedBoard(board, "reloaded.json", "reloaded")
    on(board_app, CYCLE_TIME_PAGE)
    assert board_app.selectbox(key=options.BY_KEY).value == ""
    assert board_app.selectbox(key=options.SIZE_KEY).value == ""
    assert board_app.selectbox(key=options.BLOCKED_KEY).value == "label:Blocked"  # kept
