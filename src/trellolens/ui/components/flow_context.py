"""What every flow page starts with: the board, the workflow editor, the as-of date, the metrics."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from trellolens.metrics import FlowMetrics
from trellolens.ui.components.analytics_link import linked_analytics_options
from trellolens.ui.components.as_of_picker import as_of_picker
from trellolens.ui.components.board_banner import page_caption
from trellolens.ui.components.workflow_editor import workflow_editor
from trellolens.ui.data.board_source import BoardChoice, current_board
from trellolens.ui.data.cache import flow_metrics_for
from trellolens.ui.markdown_text import plain


@dataclass(frozen=True)
class FlowContext:
    choice: BoardChoice
    metrics: FlowMetrics

    @property
    def board_name(self) -> str:
        return self.choice.board.name


def flow_context(title: str) -> FlowContext:
    """Title the page, draw the sidebar controls and compute (or fetch cached) flow metrics."""
    choice = current_board()
    st.title(f"{plain(title)} · {plain(choice.board.name)}")
    page_caption(choice)
    metrics = flow_metrics(choice)
    st.caption(workflow_summary(metrics))
    return FlowContext(choice, metrics)


def flow_metrics(choice: BoardChoice) -> FlowMetrics:
    """Draw the workflow editor, as-of date and analytics options in the sidebar; the metrics
    they select."""
    workflow = workflow_editor(choice)
    as_of = as_of_picker(choice)
    options = linked_analytics_options(choice)
    return flow_metrics_for(choice, workflow, as_of, options=options)


def workflow_summary(metrics: FlowMetrics) -> str:
    """One line: the stages, where work starts, and the as-of time."""
    workflow = metrics.workflow
    stages = " → ".join(plain(name) for name in workflow.stage_names)
    unit = " · days are working days" if metrics.options.calendar is not None else ""
    return (
        f"Workflow: {stages} · work starts at **{plain(workflow.start_list.name)}** · "
        f"as of {metrics.as_of:%Y-%m-%d %H:%M} UTC{unit} (change them in the sidebar)"
    )
