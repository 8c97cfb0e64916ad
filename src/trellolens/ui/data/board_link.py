"""Deep links: ``?board=`` opens a board on any page, and the URL always names the board shown.

``?board=<id, short link or board address>`` opens that board, ``?board=demo`` the demo board.
The link is read once per distinct value (a rerun or a page switch does not re-apply it); after
each run the URL is rewritten to the board on screen, so copying the address bar, or reloading,
reproduces the view (``workflow`` and ``as_of`` are written by their own widgets, and kept here on
pages without them). A link that is
not a board, a board the token cannot read, or a visitor who may not see live boards gets one
line and the demo board: never another board, never a traceback.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from trellolens.metrics import WorkflowError, default_workflow, workflow_from_names
from trellolens.ui.components import as_of_picker, view_link, workflow_editor
from trellolens.ui.components.board_picker import open_reference
from trellolens.ui.data.board_ref import BoardRefError, parse_board_ref, shown_ref
from trellolens.ui.data.board_source import (
    BoardChoice,
    BoardKind,
    refuse_live_board,
    use_demo_board,
)
from trellolens.ui.data.live_status import LiveState, LiveStatus

BOARD_PARAM = "board"
DEMO_VALUE = "demo"
VIEW_PARAMS = ("workflow", "as_of", *view_link.VIEW_PARAMS)
"""Parameters that belong to the board in the link: dropped with a board that is not shown."""
APPLIED_KEY = "board_link.applied"
"""The ``?board=`` value last read or written, so an unchanged URL is not re-applied."""

NOT_SHOWN = {
    LiveState.UNCONFIGURED: "no Trello credentials are configured on this app",
}


def apply_board_link(status: LiveStatus) -> None:
    """Adopt a new ``?board=`` value (before the sidebar and the page read the board)."""
    raw = st.query_params.get(BOARD_PARAM)
    if raw is None or raw == st.session_state.get(APPLIED_KEY):
        return
    st.session_state[APPLIED_KEY] = raw
    if raw.strip().lower() == DEMO_VALUE:
        use_demo_board()
        return
    try:
        ref = parse_board_ref(raw)
    except BoardRefError as exc:
        _refused(f"Board link {shown_ref(raw)!r}: {exc}. Showing the demo board.")
        return
    if status.state is not LiveState.READY:
        why = NOT_SHOWN.get(status.state) or status.reason or "live boards are off"
        _refused(f"Board {ref} is not shown: {why.rstrip('.')}. Showing the demo board.")
        return
    open_reference(ref, status.boards)


def _refused(line: str) -> None:
    refuse_live_board(line)
    for name in VIEW_PARAMS:  # they were meant for the board that is not shown
        if name in st.query_params:
            del st.query_params[name]


def board_param(choice: BoardChoice) -> str | None:
    """What ``?board=`` says for this board: its id, ``demo``, or nothing for an upload."""
    if choice.kind is BoardKind.LIVE:
        return choice.board.id
    if choice.kind is BoardKind.DEMO:
        return DEMO_VALUE
    return None


def keep_board_in_url(choice: BoardChoice) -> None:
    """Write the board on screen into the URL (after a page switch cleared it, say)."""
    wanted = board_param(choice)
    if wanted is None:
        if BOARD_PARAM in st.query_params:
            del st.query_params[BOARD_PARAM]
    elif st.query_params.get(BOARD_PARAM) != wanted:
        st.query_params[BOARD_PARAM] = wanted
    st.session_state[APPLIED_KEY] = wanted
    _keep_view_in_url(choice)


def _keep_view_in_url(choice: BoardChoice) -> None:
    """On a page without the workflow editor or the as-of date: their kept values, in the URL."""
    kept_as_of = st.session_state.get(as_of_picker.CHOSEN_KEY)
    if (
        as_of_picker.QUERY_PARAM not in st.query_params
        and isinstance(kept_as_of, tuple)
        and kept_as_of[0] == choice.cache_key
        and isinstance(kept_as_of[1], date)
    ):
        value = kept_as_of[1].isoformat()
        st.query_params[as_of_picker.QUERY_PARAM] = value
        st.session_state[as_of_picker.APPLIED_PARAM_KEY] = value
    kept = st.session_state.get(workflow_editor.CHOICE_KEY)
    if (
        workflow_editor.QUERY_PARAM in st.query_params
        or not isinstance(kept, workflow_editor.WorkflowChoice)
        or kept.board_key != choice.cache_key
    ):
        return
    board = choice.board
    try:
        workflow = workflow_from_names(board, kept.stage_ids, kept.start_id or None)
        default = default_workflow(board)
    except WorkflowError:
        return
    if [s.id for s in workflow.stages] == [s.id for s in default.stages] and (
        workflow.start_list.id == default.start_list.id
    ):
        return  # the default workflow needs no parameter
    value = workflow_editor.workflow_param(board, workflow)
    st.query_params[workflow_editor.QUERY_PARAM] = value
    st.session_state[workflow_editor.APPLIED_PARAM_KEY] = value
