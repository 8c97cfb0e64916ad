"""The workflow editor's arrows: a stage moves one place per click, the order lands in the metrics
and the URL, the ends cannot move further, and every stage shows its whole name."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.ui.flow_pages import FLOW_PAGE
from trellolens.board import Board, TrelloList, demo_board
from trellolens.metrics import default_workflow
from trellolens.ui.components.workflow_editor import QUERY_PARAM, STAGES_KEY
from trellolens.ui.components.workflow_order import moved
from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard
from trellolens.ui.markdown_text import plain

DEMO = demo_board()
DEFAULT = [lst.name for lst in default_workflow(DEMO).stages]
IDS = {lst.name: lst.id for lst in DEMO.lists}


def summary(at: AppTest) -> str:
    return next(str(c.value) for c in at.caption if str(c.value).startswith("Workflow: "))


def test_moved_swaps_neighbours_and_stops_at_the_ends() -> None:
    assert moved(["a", "b", "c"], 1, -1) == ("b", "a", "c")
    assert moved(["a", "b", "c"], 1, 1) == ("a", "c", "b")
    assert moved(["a", "b", "c"], 0, -1) == ("a", "b", "c")
    assert moved(["a", "b", "c"], 2, 1) == ("a", "b", "c")


def test_an_up_arrow_moves_a_stage_into_the_metrics_and_the_url(app: AppTest) -> None:
    app.switch_page(FLOW_PAGE).run()
    assert app.button(key="workflow_order.up.0").disabled
    assert app.button(key=f"workflow_order.down.{len(DEFAULT) - 1}").disabled
    app.button(key="workflow_order.up.2").click().run()
    assert not app.exception
    order = [DEFAULT[0], DEFAULT[2], DEFAULT[1], *DEFAULT[3:]]
    assert app.multiselect(key=STAGES_KEY).value == [IDS[name] for name in order]
    assert summary(app).startswith("Workflow: " + " → ".join(order))
    assert json.loads(app.query_params[QUERY_PARAM])["stages"] == order
    app.button(key="workflow_order.down.1").click().run()  # and back
    assert app.multiselect(key=STAGES_KEY).value == [IDS[name] for name in DEFAULT]
    assert QUERY_PARAM not in app.query_params  # the default needs no parameter


def test_long_stage_names_are_shown_whole_and_literally(app: AppTest) -> None:
    long = "Waiting for the customer's sign-off on the **final** design review " * 2
    names = ("Doing", long.strip(), "Done")
    lists = tuple(TrelloList(f"{i:024x}", name, pos=float(i)) for i, name in enumerate(names))
    board = Board(id="b" * 24, name="Long", lists=lists)
    app.session_state[UPLOADED_KEY] = UploadedBoard(board, "long.json", "long-digest")
    app.switch_page(FLOW_PAGE).run()
    assert not app.exception
    rows = [m.value for m in app.sidebar.markdown if m.value[:6] in {"**1** ", "**2** ", "**3** "}]
    assert rows == [
        "**1** Doing",
        "**2** " + plain(long.strip()),  # whole, and as text: the ** stay literal
        "**3** Done (done)",
    ]
