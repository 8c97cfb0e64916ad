"""The workflow editor: which lists count, in what order, and where work starts.

Owns the session-state keys starting ``workflow_editor.`` and the ``?workflow=`` query
parameter. The choice is kept in this visitor's session (so it survives reruns and page
switches) and mirrored in the URL as JSON, ``{"stages": [...], "start": "..."}``, naming lists by
name (or by id where two lists share a name). A link is read as JSON only, strictly validated; a
bad one gets a one-line warning and the default workflow, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from trellolens.board import Board, TrelloList
from trellolens.metrics import Workflow, WorkflowError, default_workflow, workflow_from_names
from trellolens.ui.components.workflow_order import moved, stage_order
from trellolens.ui.data.board_source import BoardChoice
from trellolens.ui.markdown_text import plain

KEY_PREFIX = "workflow_editor."
STAGES_KEY = f"{KEY_PREFIX}stages"
"""Multiselect widget: list ids, in workflow order."""
WHOLE_NAME_CHIPS = """<style>
.st-key-workflow_editor-stages [data-tag] { max-width: 100% !important; height: auto !important; }
.st-key-workflow_editor-stages [data-tag] > span {
  overflow: visible !important; text-overflow: clip !important; white-space: normal !important;
  overflow-wrap: anywhere; }
</style>"""
"""Streamlit cuts a chip at the box's width with an ellipsis: the stage chips wrap instead, so
every list name is read whole. A fixed string scoped to this widget's key class (nothing from
the board goes into it)."""
START_KEY = f"{KEY_PREFIX}start"
"""Selectbox widget: the start list's id."""
CHOICE_KEY = f"{KEY_PREFIX}choice"
"""The visitor's ``WorkflowChoice``; unlike widget state it survives pages without the editor."""
APPLIED_PARAM_KEY = f"{KEY_PREFIX}applied_param"
"""The ``?workflow=`` text last read or written, so an unchanged URL is not re-applied."""
RESET_KEY = f"{KEY_PREFIX}reset"

QUERY_PARAM = "workflow"
MAX_PARAM_CHARS = 4000
MAX_NAME_CHARS = 512
PARAM_KEYS = frozenset({"stages", "start"})


@dataclass(frozen=True, slots=True)
class WorkflowChoice:
    board_key: str
    stage_ids: tuple[str, ...]
    start_id: str


class WorkflowLinkError(ValueError):
    """A ``?workflow=`` value that is not a workflow of this board (message: one line)."""


def workflow_editor(choice: BoardChoice) -> Workflow:
    """Draw the editor in the sidebar and return the workflow the visitor chose."""
    board = choice.board
    default = default_workflow(board)
    _apply_link(choice, default)
    kept = _seed_widgets(choice, default)
    lists = _lists_in_board_order(board)
    names = {lst.id: _display_name(lst) for lst in lists}
    with st.sidebar.expander("Workflow", icon=":material/account_tree:"):
        st.html(WHOLE_NAME_CHIPS)
        stage_ids: list[str] = st.multiselect(
            "Stages, in order",
            [lst.id for lst in lists],
            format_func=names.__getitem__,
            key=STAGES_KEY,
            on_change=_keep_widget_values,
            help="Lists outside the workflow are ignored. The last stage is the done list. "
            "Order them with the arrows below.",
        )
        stage_order(kept.stage_ids, names, _move_stage)
        if len(kept.stage_ids) > 1:
            st.selectbox(
                "Start list (work starts here)",
                kept.stage_ids[:-1],
                format_func=names.__getitem__,
                key=START_KEY,
                on_change=_keep_widget_values,
                help="Cycle time runs from entering this list (or a later one) to the done list.",
            )
        st.button("Default workflow", key=RESET_KEY, on_click=_forget_choice)
        workflow = _workflow_or_default(board, stage_ids, kept.start_id or None, default)
        st.caption(f"Done list: **{plain(workflow.done_list.name)}**")
    _write_link(board, workflow, default)
    return workflow


def _lists_in_board_order(board: Board) -> list[TrelloList]:
    return sorted(board.lists, key=lambda lst: (lst.closed, lst.pos))


def _display_name(lst: TrelloList) -> str:
    return f"{lst.name} (archived)" if lst.closed else lst.name


def _default_start(board: Board, stage_ids: Sequence[str]) -> str:
    try:
        return workflow_from_names(board, stage_ids, None).start_list.id
    except WorkflowError:
        return ""


def _workflow_or_default(
    board: Board, stage_ids: Sequence[str], start_id: str | None, default: Workflow
) -> Workflow:
    try:
        return workflow_from_names(board, stage_ids, start_id)
    except WorkflowError as exc:
        st.warning(f"Workflow: {plain(exc)}. Showing the default workflow.")
        return default


def _forget_choice() -> None:
    for key in (CHOICE_KEY, STAGES_KEY, START_KEY):
        st.session_state.pop(key, None)


def _move_stage(index: int, step: int) -> None:
    """An arrow's click (before the rerun): move that stage one place up or down."""
    kept = st.session_state.get(CHOICE_KEY)
    if isinstance(kept, WorkflowChoice):
        order = moved(kept.stage_ids, index, step)
        st.session_state[CHOICE_KEY] = WorkflowChoice(kept.board_key, order, kept.start_id)


def _keep_widget_values() -> None:
    """On a change in the editor (before the rerun): keep what the widgets now hold."""
    kept = st.session_state.get(CHOICE_KEY)
    if isinstance(kept, WorkflowChoice):
        stage_ids = tuple(st.session_state.get(STAGES_KEY) or ())
        start_id = st.session_state.get(START_KEY) or ""
        st.session_state[CHOICE_KEY] = WorkflowChoice(kept.board_key, stage_ids, start_id)


def _seed_widgets(choice: BoardChoice, default: Workflow) -> WorkflowChoice:
    """Put the kept choice (or the default) into the widgets, on every run.

    The kept choice is the truth: widget state does not survive a page without the editor.
    A start list that is no longer a stage before the done list becomes the default start.
    """
    kept = st.session_state.get(CHOICE_KEY)
    if not isinstance(kept, WorkflowChoice) or kept.board_key != choice.cache_key:
        kept = WorkflowChoice(
            choice.cache_key, tuple(lst.id for lst in default.stages), default.start_list.id
        )
    known = choice.board.lists_by_id
    stage_ids = tuple(dict.fromkeys(i for i in kept.stage_ids if i in known))
    start_id = kept.start_id
    if start_id not in stage_ids[:-1]:
        start_id = _default_start(choice.board, stage_ids)
    kept = WorkflowChoice(choice.cache_key, stage_ids, start_id)
    st.session_state[CHOICE_KEY] = kept
    st.session_state[STAGES_KEY] = list(stage_ids)
    st.session_state[START_KEY] = start_id or None
    return kept


def _apply_link(choice: BoardChoice, default: Workflow) -> None:
    """Adopt a new ``?workflow=`` value; warn and drop it when it is not valid for this board."""
    raw = st.query_params.get(QUERY_PARAM)
    if raw is None or raw == st.session_state.get(APPLIED_PARAM_KEY):
        return
    st.session_state[APPLIED_PARAM_KEY] = raw
    try:
        stage_ids, start_id = parse_workflow_param(raw, choice.board)
        workflow = workflow_from_names(choice.board, stage_ids, start_id)
    except (WorkflowLinkError, WorkflowError) as exc:
        st.warning(
            f"Ignored the workflow in the link: {plain(_sentence(exc))} Showing the default workflow."
        )
        del st.query_params[QUERY_PARAM]
        stage_ids, start_id = [lst.id for lst in default.stages], default.start_list.id
    else:
        stage_ids, start_id = [lst.id for lst in workflow.stages], workflow.start_list.id
    st.session_state[CHOICE_KEY] = WorkflowChoice(choice.cache_key, tuple(stage_ids), start_id)


def parse_workflow_param(raw: str, board: Board) -> tuple[list[str], str | None]:
    """Validate a ``?workflow=`` value against ``board``: stage list ids and the start list id.

    Accepts only a JSON object ``{"stages": [str, ...], "start": str}`` (``start`` optional)
    whose strings name lists of this board, by name or by id. Raises ``WorkflowLinkError``.
    """
    if len(raw) > MAX_PARAM_CHARS:
        raise WorkflowLinkError(f"it is longer than {MAX_PARAM_CHARS} characters.")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise WorkflowLinkError("it is not valid JSON.") from None
    if not isinstance(value, dict) or not set(value) <= PARAM_KEYS or "stages" not in value:
        raise WorkflowLinkError('expected a JSON object {"stages": [...], "start": "..."}.')
    stages, start = value["stages"], value.get("start")
    if not isinstance(stages, list) or not stages or not all(_is_name(s) for s in stages):
        raise WorkflowLinkError('"stages" must be a non-empty list of list names.')
    if start is not None and not _is_name(start):
        raise WorkflowLinkError('"start" must be a list name.')
    lookup = _list_lookup(board)
    unknown = [name for name in [*stages, *([start] if start else [])] if name not in lookup]
    if unknown:
        raise WorkflowLinkError(f"this board has no list named {_quoted(unknown[0])}.")
    stage_ids = [lookup[name] for name in stages]
    if len(set(stage_ids)) != len(stage_ids):
        raise WorkflowLinkError("a list appears twice in the stages.")
    start_id = lookup[start] if start else None
    if start_id is not None and start_id not in stage_ids:
        raise WorkflowLinkError('"start" must be one of the stages.')
    return stage_ids, start_id


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text if text.endswith(".") else f"{text}."


def _is_name(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME_CHARS


def _quoted(name: str) -> str:
    """A list name fit for a one-line message: no line breaks, at most 60 characters."""
    flat = " ".join(name.split())
    return json.dumps(flat if len(flat) <= 60 else flat[:57] + "...")


def _list_lookup(board: Board) -> Mapping[str, str]:
    """List name or id -> list id; a shared name means the first such list in board order."""
    lookup: dict[str, str] = {}
    for lst in _lists_in_board_order(board):
        lookup.setdefault(lst.name, lst.id)
    lookup.update({lst.id: lst.id for lst in board.lists})
    return lookup


def workflow_param(board: Board, workflow: Workflow) -> str:
    """The ``?workflow=`` value of a workflow: list names, or ids where a name is shared."""
    name_counts: dict[str, int] = {}
    for lst in board.lists:
        name_counts[lst.name] = name_counts.get(lst.name, 0) + 1

    def reference(lst: TrelloList) -> str:
        return lst.name if name_counts.get(lst.name) == 1 and lst.name != lst.id else lst.id

    return json.dumps(
        {
            "stages": [reference(lst) for lst in workflow.stages],
            "start": reference(workflow.start_list),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _write_link(board: Board, workflow: Workflow, default: Workflow) -> None:
    """Mirror the choice in the URL; the default workflow needs no parameter."""
    if _same(workflow, default):
        if QUERY_PARAM in st.query_params:
            del st.query_params[QUERY_PARAM]
        st.session_state.pop(APPLIED_PARAM_KEY, None)
        return
    param = workflow_param(board, workflow)
    if st.query_params.get(QUERY_PARAM) != param:
        st.query_params[QUERY_PARAM] = param
    st.session_state[APPLIED_PARAM_KEY] = param


def _same(one: Workflow, other: Workflow) -> bool:
    return [lst.id for lst in one.stages] == [lst.id for lst in other.stages] and (
        one.start_list.id == other.start_list.id
    )
