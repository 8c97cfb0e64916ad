"""The workflow editor: choices survive reruns and pages, land in the URL, and bad links are refused."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import page_text, shown
from tests.ui.flow_pages import CARDS_PAGE, CYCLE_TIME_PAGE, FLOW_PAGE, warnings
from trellolens.board import demo_board
from trellolens.metrics import default_workflow
from trellolens.ui.components import workflow_editor
from trellolens.ui.components.workflow_editor import (
    QUERY_PARAM,
    STAGES_KEY,
    START_KEY,
    WorkflowLinkError,
    parse_workflow_param,
)

DEMO = demo_board()
IDS = {lst.name: lst.id for lst in DEMO.lists}
DEFAULT_IDS = [lst.id for lst in default_workflow(DEMO).stages]
SHORT = ["Sprint Backlog", "Doing", "Review", "Done"]


@pytest.fixture
def flow_page(app: AppTest) -> AppTest:
    return app.switch_page(FLOW_PAGE).run()


def summary(at: AppTest) -> str:
    return next(str(c.value) for c in at.caption if str(c.value).startswith("Workflow: "))


def test_the_default_workflow_needs_no_query_parameter(flow_page: AppTest) -> None:
    assert flow_page.multiselect(key=STAGES_KEY).value == DEFAULT_IDS
    assert flow_page.selectbox(key=START_KEY).value == IDS["Doing"]
    assert QUERY_PARAM not in flow_page.query_params


def test_a_changed_workflow_survives_reruns_pages_and_lands_in_the_url(
    flow_page: AppTest,
) -> None:
    flow_page.multiselect(key=STAGES_KEY).set_value([IDS[name] for name in SHORT]).run()
    flow_page.selectbox(key=START_KEY).set_value(IDS["Review"]).run()
    assert not flow_page.exception
    expected = "Workflow: Sprint Backlog → Doing → Review → Done · work starts at **Review**"
    assert summary(flow_page).startswith(expected)
    assert json.loads(flow_page.query_params[QUERY_PARAM]) == {"stages": SHORT, "start": "Review"}

    flow_page.run()
    assert summary(flow_page).startswith(expected)
    flow_page.switch_page(CARDS_PAGE).run()  # a page without the editor drops its widget state
    flow_page.switch_page(CYCLE_TIME_PAGE).run()
    assert not flow_page.exception
    assert summary(flow_page).startswith(expected)
    assert flow_page.multiselect(key=STAGES_KEY).value == [IDS[name] for name in SHORT]


def test_removing_the_start_list_falls_back_to_the_default_start(flow_page: AppTest) -> None:
    without_doing = [i for i in DEFAULT_IDS if i != IDS["Doing"]]
    flow_page.multiselect(key=STAGES_KEY).set_value(without_doing).run()
    assert not flow_page.exception
    assert flow_page.selectbox(key=START_KEY).value == IDS["Parents"]  # the second stage


def test_too_few_stages_warn_and_show_the_default_workflow(flow_page: AppTest) -> None:
    flow_page.multiselect(key=STAGES_KEY).set_value([IDS["Done"]]).run()
    assert not flow_page.exception
    (warning,) = warnings(flow_page)
    assert "at least 2 lists" in warning
    assert "\n" not in warning
    assert summary(flow_page).startswith("Workflow: Meetingroom → Parents")
    flow_page.run()  # the visitor's half-made choice is kept to finish editing
    assert flow_page.multiselect(key=STAGES_KEY).value == [IDS["Done"]]


def test_the_reset_button_restores_the_default(flow_page: AppTest) -> None:
    flow_page.multiselect(key=STAGES_KEY).set_value([IDS[name] for name in SHORT]).run()
    flow_page.button(key=workflow_editor.RESET_KEY).click().run()
    assert flow_page.multiselect(key=STAGES_KEY).value == DEFAULT_IDS
    assert QUERY_PARAM not in flow_page.query_params


def open_link(app: AppTest, value: str) -> AppTest:
    app.query_params[QUERY_PARAM] = value
    return app.switch_page(FLOW_PAGE).run()


def test_a_shared_link_opens_with_its_workflow(app: AppTest) -> None:
    open_link(app, json.dumps({"stages": SHORT, "start": "Doing"}))
    assert not app.exception
    assert not app.warning
    assert summary(app).startswith("Workflow: Sprint Backlog → Doing → Review → Done")
    assert app.multiselect(key=STAGES_KEY).value == [IDS[name] for name in SHORT]
    # The visitor's next edit wins over the link.
    app.selectbox(key=START_KEY).set_value(IDS["Review"]).run()
    assert "work starts at **Review**" in summary(app)
    assert json.loads(app.query_params[QUERY_PARAM])["start"] == "Review"


BAD_LINKS = {
    "not-json": ("{stages: [", "not valid JSON"),
    "pickle": ("gASVCAAAAAAAAACMBHRlc3SULg==", "not valid JSON"),
    "array": ('["Doing", "Done"]', "expected a JSON object"),
    "extra-key": ('{"stages": ["Doing", "Done"], "__reduce__": "os.system"}', "JSON object"),
    "numbers": ('{"stages": [1, 2]}', "list of list names"),
    "empty": ('{"stages": []}', "list of list names"),
    "unknown-list": ('{"stages": ["Doing", "Nowhere\\nelse"]}', 'no list named "Nowhere else"'),
    "twice": ('{"stages": ["Doing", "Doing", "Done"]}', "appears twice"),
    "start-outside": ('{"stages": ["Doing", "Done"], "start": "Review"}', "one of the stages"),
    "start-is-done": ('{"stages": ["Doing", "Done"], "start": "Done"}', "done list"),
    "one-stage": ('{"stages": ["Done"]}', "at least 2 lists"),
    "too-long": ('{"stages": ["' + "x" * 5000 + '"]}', "longer than 4000"),
    "deep": ("[" * 100_000, "longer than 4000"),
}


@pytest.mark.parametrize(("value", "problem"), BAD_LINKS.values(), ids=BAD_LINKS.keys())
def test_a_bad_link_warns_in_one_line_and_shows_the_default(
    app: AppTest, value: str, problem: str
) -> None:
    open_link(app, value)
    assert not app.exception
    assert not app.error
    (warning,) = warnings(app)
    assert warning.startswith("Ignored the workflow in the link: ")
    assert problem in shown(warning)
    assert "\n" not in warning
    assert "Traceback" not in page_text(app)
    assert app.multiselect(key=STAGES_KEY).value == DEFAULT_IDS
    assert QUERY_PARAM not in app.query_params
    app.run()  # the warning is said once
    assert not app.warning


def test_parse_accepts_ids_and_leaves_start_optional() -> None:
    stages, start = parse_workflow_param(json.dumps({"stages": [IDS["Doing"], "Done"]}), DEMO)
    assert stages == [IDS["Doing"], IDS["Done"]]
    assert start is None


def test_parse_refuses_deep_nesting_within_the_size_limit() -> None:
    with pytest.raises(WorkflowLinkError, match="JSON"):
        parse_workflow_param('{"stages": ' + "[" * 1000 + "]" * 1000 + "}", DEMO)
