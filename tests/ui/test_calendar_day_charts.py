"""With business days on, a chart that still counts calendar days says so on the chart itself
(its axis titles); without business days nothing changes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.flow_pages import CYCLE_TIME_PAGE, FLOW_PAGE, charts
from tests.ui.option_board import option_board
from trellolens.ui.components import analytics_options as options
from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard


@pytest.mark.parametrize(
    ("page", "axis"),
    [
        (CYCLE_TIME_PAGE, '"title": "Median calendar days in list"'),
        (FLOW_PAGE, '"title": "Cards done in a calendar day"'),
        (FLOW_PAGE, '"title": "Calendar days"'),
    ],
)
def test_calendar_day_charts_say_so_with_business_days(app: AppTest, page: str, axis: str) -> None:
    app.session_state[UPLOADED_KEY] = UploadedBoard(option_board(), "options.json", "o")
    app.switch_page(page).run()
    assert not any(axis in spec for spec in charts(app))  # off: plain "days"
    app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    assert not app.exception
    assert any(axis in spec for spec in charts(app))
