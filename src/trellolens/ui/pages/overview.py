"""Board overview: flow tiles, open lists with their card counts, labels, members, due dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import streamlit as st

from trellolens.errors import TrellolensError
from trellolens.metrics import FlowMetrics
from trellolens.ui.components.board_banner import page_caption
from trellolens.ui.components.csv_download import chart_with_csv, csv_download
from trellolens.ui.components.flow_context import flow_metrics, workflow_summary
from trellolens.ui.components.table import show_table, titles_of
from trellolens.ui.components.tiles import Tile, metric_tiles
from trellolens.ui.data.board_source import BoardChoice, current_board
from trellolens.ui.data.cache import as_of_now, cards_table_for
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.analytics_charts import debt
from trellolens.ui.views.charts import counts_bar_chart
from trellolens.ui.views.sle_table import sle_table
from trellolens.ui.views.tables import (
    DUE_BUCKET,
    LABELS,
    LIST,
    MEMBERS,
    breakdown,
    due_bucket_counts,
    list_counts,
    open_cards,
    slug,
)
from trellolens.ui.visitor_errors import shows_errors

if TYPE_CHECKING:
    import pandas as pd

TILES_PER_ROW = 4
SLE_TABLE_KEY = "overview_page.service_level"


@shows_errors
def render() -> None:
    choice = current_board()
    board = choice.board
    st.title(plain(board.name))
    page_caption(choice)
    as_of = as_of_now()
    cards = open_cards(cards_table_for(choice, as_of))
    metrics = flow_section(choice, as_of)

    st.subheader("Open lists")
    lists = list_counts(board)
    if lists.empty:
        st.info("This board has no open lists.")
    metric_tiles(count_tiles(lists[LIST], lists["Cards"]), per_row=TILES_PER_ROW)

    labels_column, members_column = st.columns(2)
    with labels_column:
        st.subheader("Labels")
        bar_chart(breakdown(cards, LABELS, empty="(no label)"), LABELS, board.name)
    with members_column:
        st.subheader("Members")
        bar_chart(breakdown(cards, MEMBERS, empty="(nobody)"), MEMBERS, board.name)

    st.subheader("Due dates")
    st.caption(
        f"Open cards, as of {as_of:%Y-%m-%d %H:%M} UTC. Complete means marked done in Trello."
    )
    buckets = due_bucket_counts(cards)
    metric_tiles(count_tiles(buckets[DUE_BUCKET], buckets["Cards"]), per_row=TILES_PER_ROW)
    if metrics is not None:  # last on the page: the browser tests rely on the order above
        service_level_section(metrics, board.name)


def count_tiles(names: Iterable[Any], counts: Iterable[Any]) -> list[Tile]:
    """``(name, count)`` tiles; names come from Trello, so they are shown as plain text."""
    return [(plain(name), int(count)) for name, count in zip(names, counts, strict=True)]


def flow_section(choice: BoardChoice, now: datetime) -> FlowMetrics | None:
    """Flow tiles; a board the metrics cannot read gets one line, and the rest of the page."""
    st.subheader("Flow")
    try:
        metrics = flow_metrics(choice)
    except TrellolensError as exc:
        st.info(f"No flow metrics for this board: {plain(exc)}")
        return None
    st.caption(workflow_summary(metrics))
    metric_tiles(flow_tiles(metrics, now), per_row=TILES_PER_ROW)
    flow_debt_notice(metrics)
    return metrics


def flow_debt_notice(metrics: FlowMetrics) -> None:
    """One line when Little's law and the cycle times seen diverge (docs/metrics.md, Flow debt)."""
    found = debt(metrics)
    if found.state == "debt":
        st.warning(found.reading, icon=":material/trending_up:")
    elif found.state == "surplus":
        st.info(found.reading, icon=":material/trending_down:")


def service_level_section(metrics: FlowMetrics, board_name: str) -> None:
    """Cards in progress past the service level expectation or within two days of it."""
    if metrics.options.service_level is None:
        return
    st.subheader("Service level expectation")
    level = metrics.service_level
    if level is None:
        st.info(
            "No card is done yet, so there is no 85th percentile to derive the service level "
            "from: set one in the sidebar (Analytics options)."
        )
        return
    unit = "working days" if metrics.options.calendar is not None else "days"
    source = "set in the sidebar" if level.source == "set" else "the 85th percentile of cycle time"
    st.caption(
        f"85 % of cards finish within {level.days:.1f} {plain(unit)} ({plain(source)}). Cards in "
        f"progress past it, or within {metrics.options.service_level.warn_days:g} {plain(unit)} "
        "of it, oldest "
        "first."
    )
    table = sle_table(level, metrics.wip)
    if table.empty:
        st.success("No card in progress is past the service level or close to it.")
        return
    config = {
        "status": st.column_config.TextColumn("Status"),
        "name": st.column_config.TextColumn("Card"),
        "list": st.column_config.TextColumn("List"),
        "type": st.column_config.TextColumn("Type"),
        "age_days": st.column_config.NumberColumn(f"Age ({unit})", format="%.1f"),
        "days_left": st.column_config.NumberColumn(f"Left ({unit})", format="%.1f"),
        "link": st.column_config.LinkColumn("Link", display_text="Open in Trello"),
    }
    show_table(table, key=SLE_TABLE_KEY, column_config=config)
    csv_download(table, board_name=board_name, what="service-level", titles=titles_of(config))


def flow_tiles(metrics: FlowMetrics, now: datetime) -> list[tuple[str, str, str]]:
    """(label, value, help) of each flow tile."""
    percentiles = metrics.cycle_time_percentiles
    p50, p85 = percentiles.get(50), percentiles.get(85)
    return [
        ("Work in progress", str(len(metrics.wip)), "Open cards from the start list up to done."),
        ("Done, last 7 days", str(metrics.throughput_in_last(7)), "Cards that reached done."),
        ("Done, last 30 days", str(metrics.throughput_in_last(30)), "Cards that reached done."),
        ("Cycle time, 50 %", _days(p50), "Half of the done cards took at most this long."),
        ("Cycle time, 85 %", _days(p85), "85 % of the done cards took at most this long."),
        (
            "Overdue cards",
            str(metrics.overdue_count(now)),
            "Open cards due before now and not marked complete.",
        ),
        (
            "WIP older than 85 %",
            "–" if p85 is None else str(metrics.wip_older_than(p85)),
            "Cards in progress already older than the 85 % cycle time.",
        ),
    ]


def _days(days: float | None) -> str:
    return "–" if days is None else f"{days:.1f} days"


def bar_chart(counts: pd.DataFrame, category: str, board_name: str) -> None:
    """A horizontal bar per category, most cards first."""
    if counts.empty:
        st.caption("No open cards.")
        return
    chart_with_csv(
        counts_bar_chart(counts, category), counts, board_name=board_name, what=slug(category)
    )


if __name__ == "__main__":
    render()
