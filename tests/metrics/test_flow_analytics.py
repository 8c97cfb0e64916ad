"""Flow efficiency, behaviour charts, the backlog forecast and flow debt, worked out by hand.

Days are days after Monday 2024-01-01 00:00 UTC (``tests.metrics.option_boards``); the workflow is
To Do, Doing, Review, Done (the Blocked list sits outside it) and work starts at Doing.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from tests.metrics.option_boards import WORKFLOW, BoardPlan, at
from trellolens.board import Board, parse_board
from trellolens.metrics import (
    BlockedRule,
    FlowMetrics,
    MetricOptions,
    WorkCalendar,
    WorkTypes,
    compute_flow_metrics,
    metrics_to_json,
    workflow_from_names,
)
from trellolens.metrics.backlog import BacklogCard, forecast_backlog
from trellolens.metrics.behaviour import throughput_histogram, xmr_chart
from trellolens.metrics.flow_debt import flow_debt
from trellolens.metrics.options import (
    BacklogForecastOptions,
    BehaviourCharts,
    FlowDebtRule,
    FlowEfficiency,
)

REVIEW_WAITS = FlowEfficiency(wait_lists=("Review",))


def efficiency_board() -> Board:
    """A: Doing 1, Review 3, Done 5 (cycle 4, waits 2 in Review).
    B: Doing 2, Blocked label 3 to 4, Done 6 (cycle 4, waits 1 blocked when the rule is on).
    C: Doing 2, Review 3, label 3.5 to 4.5 (inside the Review visit), Doing 5, Done 6 (waits 2).
    E: Doing 4 (Fri), Review 5 (Sat), Done 8 (Tue): 4 days, 3 waiting; in working days 2, 1."""
    plan = BoardPlan()
    plan.card("A", 0, (1, "Doing"), (3, "Review"), (5, "Done"))
    plan.card("B", 0, (2, "Doing"), (6, "Done"),
              label_events=[(3, "add", "Blocked"), (4, "remove", "Blocked")])  # fmt: skip
    plan.card("C", 0, (2, "Doing"), (3, "Review"), (5, "Doing"), (6, "Done"),
              label_events=[(3.5, "add", "Blocked"), (4.5, "remove", "Blocked")])  # fmt: skip
    plan.card("E", 0, (4, "Doing"), (5, "Review"), (8, "Done"))
    return plan.build()


def run(board: Board, as_of: float = 10, **options: object) -> FlowMetrics:
    workflow = workflow_from_names(board, list(WORKFLOW), "Doing")
    return compute_flow_metrics(board, workflow, at(as_of), MetricOptions(**options))  # type: ignore[arg-type]


def column(result: FlowMetrics, name: str) -> dict[str, float]:
    frame = result.cycle_times
    return dict(zip(frame["name"], frame[name], strict=True))


def test_efficiency_per_card_and_board_with_blocked_time_waiting() -> None:
    result = run(efficiency_board(), flow_efficiency=REVIEW_WAITS, blocked=BlockedRule())
    assert column(result, "active_days") == pytest.approx({"A": 2, "B": 3, "C": 2, "E": 1})
    assert column(result, "efficiency") == pytest.approx({"A": 0.5, "B": 0.75, "C": 0.5, "E": 0.25})
    found = result.flow_efficiency
    assert found is not None
    assert found.cards == 4
    assert found.active_days == pytest.approx(8)
    assert found.total_days == pytest.approx(16)
    assert found.efficiency == pytest.approx(0.5)
    # Where the time goes: Doing A 2 + B 4 + C 2 + E 1 = 9, Review A 2 + C 2 + E 3 = 7.
    shares = dict(zip(found.lists["list"], found.lists["share"], strict=True))
    assert shares == pytest.approx({"To Do": 0, "Doing": 9 / 16, "Review": 7 / 16, "Done": 0})
    assert found.lists.loc[found.lists["list"] == "Review", "waiting"].item() is True


def test_without_a_blocked_rule_blocked_time_is_active() -> None:
    result = run(efficiency_board(), flow_efficiency=REVIEW_WAITS)
    assert column(result, "efficiency")["B"] == 1.0


def test_efficiency_in_working_days() -> None:
    result = run(efficiency_board(), flow_efficiency=REVIEW_WAITS, calendar=WorkCalendar())
    assert column(result, "days")["E"] == pytest.approx(2.0)  # Friday and Monday
    assert column(result, "active_days")["E"] == pytest.approx(1.0)  # Friday
    assert column(result, "efficiency")["E"] == pytest.approx(0.5)


def test_the_efficiency_window_keeps_recent_done_cards_only() -> None:
    result = run(efficiency_board(), flow_efficiency=FlowEfficiency(("Review",), window_days=4))
    found = result.flow_efficiency
    assert found is not None
    assert found.cards == 1  # done in (10 - 4, 10]: E (day 8); B and C at day 6 exactly are out
    assert found.efficiency == pytest.approx(0.25)


def test_efficiency_in_json() -> None:
    payload = metrics_to_json(run(efficiency_board(), flow_efficiency=REVIEW_WAITS))
    cards = {card["name"]: card for card in payload["cycle_time"]["cards"]}
    assert cards["A"]["active_days"] == 2.0
    assert cards["A"]["efficiency"] == 0.5
    assert payload["flow_efficiency"]["efficiency"] == pytest.approx(
        9 / 16, abs=1e-4
    )  # B is active
    assert payload["options"]["flow_efficiency"] == {"wait_lists": ["Review"], "window_days": 56}


# --- behaviour charts -----------------------------------------------------------------------

WEEKS = [date(2024, 1, 1) + timedelta(days=7 * n) for n in range(16)]


def test_limits_from_the_baseline_and_the_three_signals() -> None:
    """Baseline weeks 1-4: 4, 6, 4, 6: average 5, moving range 2, limits 5 +- 5.32 (lower 0),
    half-way lines 7.66 and 2.34. Weeks 4-11 are above the average: 8 in a row at week 11.
    Weeks 13, 14 and 16 are above 7.66: 3 of 4 at week 16."""
    values = [4, 6, 4, 6, 6, 6, 6, 6, 6, 6, 6, 6, 8, 8, 1, 8]
    rule = BehaviourCharts(baseline_from=WEEKS[0], baseline_to=WEEKS[3])
    chart = xmr_chart("throughput", WEEKS, np.asarray(values, dtype=np.float64), rule)
    assert (chart.average, chart.average_moving_range) == (5.0, 2.0)
    assert chart.upper == pytest.approx(10.32)
    assert chart.lower == 0.0
    assert [(s.week_start, s.rule, s.side) for s in chart.signals] == [
        (WEEKS[10], "8 in a row", "high"),
        (WEEKS[15], "3 of 4", "high"),
    ]
    assert chart.signals[0].reading == (
        "throughput was above its average for 8 weeks in a row, up to week 2024-W11"
    )


def test_a_point_beyond_the_lower_limit_reads_unusually_low() -> None:
    values = [10.0, 12.0, 10.0, 12.0, 2.0]  # baseline all: average 9.2, ranges 2, 2, 2, 10
    chart = xmr_chart(
        "throughput", WEEKS[:5], np.asarray(values, dtype=np.float64), BehaviourCharts()
    )
    assert chart.average == pytest.approx(9.2)
    assert chart.lower == 0.0  # 9.2 - 2.66 x 4 is below 0
    assert [s.reading for s in chart.signals] == []  # 2 > 9.2 - 10.64: no signal
    tight = BehaviourCharts(baseline_to=WEEKS[3])  # 11 +- 5.32
    low = xmr_chart("throughput", WEEKS[:5], np.asarray(values, dtype=np.float64), tight)
    assert [s.reading for s in low.signals] == ["throughput in week 2024-W05 was unusually low"]


def test_weeks_are_complete_weeks_up_to_the_as_of_time() -> None:
    """Done A day 3 and D day 4 (week of Jan 1), C day 8 and B day 9 (week of Jan 8)."""
    from tests.ui.option_board import option_board

    board = option_board()
    whole = compute_flow_metrics(
        board, as_of=at(14), options=MetricOptions(behaviour=BehaviourCharts())
    )
    assert whole.behaviour is not None
    assert whole.behaviour.throughput.points["value"].tolist() == [2.0, 2.0]
    assert whole.behaviour.cycle_time.points["value"].tolist() == [1.5, 5.5]
    partial = compute_flow_metrics(
        board, as_of=at(13.9), options=MetricOptions(behaviour=BehaviourCharts())
    )
    assert partial.behaviour is not None
    assert partial.behaviour.throughput.points["week_start"].tolist() == [date(2024, 1, 1)]


def test_throughput_histogram_with_and_without_zero_days() -> None:
    daily = pd.Series([0, 2, 0, 1, 2], index=[date(2024, 1, n) for n in range(1, 6)])
    assert throughput_histogram(daily).to_dict("list") == {"done": [0, 1, 2], "days": [2, 1, 2]}
    assert throughput_histogram(daily, with_zero_days=False).to_dict("list") == {
        "done": [1, 2], "days": [1, 2],
    }  # fmt: skip


# --- backlog forecast -----------------------------------------------------------------------

START = date(2024, 1, 5)  # a Friday
CARDS = tuple(BacklogCard(f"c{n}", f"Card {n}", "To Do", "") for n in range(1, 4))


def steady(per_day: int, days: int = 20) -> pd.Series:
    return pd.Series(
        [per_day] * days, index=[START - timedelta(days=days - 1 - n) for n in range(days)]
    )


def test_work_in_progress_first_then_the_backlog_in_order() -> None:
    one_a_day = forecast_backlog(steady(1), CARDS, 2, start=START, trials=50, seed=1)
    assert [row[1] for row in one_a_day.dates] == [START + timedelta(days=d) for d in (3, 4, 5)]
    two_a_day = forecast_backlog(steady(2), CARDS, 2, start=START, trials=50, seed=1)
    assert [row[0] for row in two_a_day.dates] == [START + timedelta(days=d) for d in (2, 2, 3)]


def test_with_business_days_dates_are_working_days() -> None:
    found = forecast_backlog(
        steady(1), CARDS, 0, start=START, trials=20, seed=1, calendar=WorkCalendar()
    )
    assert [row[2] for row in found.dates] == [
        date(2024, 1, 8),
        date(2024, 1, 9),
        date(2024, 1, 10),
    ]


def test_scope_growth_counts_arrivals_up_to_the_last_card() -> None:
    found = forecast_backlog(
        steady(1), CARDS[:2], 0, start=START, trials=20, seed=1, arrivals=steady(1)
    )
    assert found.arrivals == (2.0, 2.0, 2.0)
    assert [row[0] for row in found.dates] == [START + timedelta(days=1), START + timedelta(days=2)]


def test_no_throughput_in_the_window_is_no_date() -> None:
    found = forecast_backlog(steady(0), CARDS, 0, start=START, trials=20, seed=1)
    assert found.dates == ((None, None, None),) * 3


def backlog_board() -> Board:
    """Backlog lists To Do then Blocked (workflow To Do, Blocked, Doing, Review, Done).
    Q and R wait in To Do with positions 1 and 2; P in Blocked; S is archived; T is in progress."""
    plan = BoardPlan()
    plan.card("P", 0, (1, "Blocked"))
    plan.card("R", 1)
    plan.card("Q", 2)
    plan.card("S", 0, closed=True)
    plan.card("T", 0, (1, "Doing"), (2, "Done"))
    plan.card("U", 0, (1, "Doing"))
    export = plan.export()
    for card in export["cards"]:
        card["pos"] = {"Q": 1, "R": 2}.get(card["name"], 0)
    return parse_board(export, "backlog.json")


def test_backlog_cards_in_board_order_in_json() -> None:
    board = backlog_board()
    workflow = workflow_from_names(board, ["To Do", "Blocked", "Doing", "Review", "Done"], "Doing")
    result = compute_flow_metrics(
        board, workflow, at(3), MetricOptions(backlog=BacklogForecastOptions())
    )
    payload = metrics_to_json(result)["backlog_forecast"]
    assert [card["name"] for card in payload["cards"]] == ["Q", "R", "P"]
    assert payload["wip"] == 1
    assert payload["cards"][0]["url"].startswith("https://trello.com/c/")
    # One card done in the window (day 2): every date is a real day, later cards never earlier.
    p85 = [card["p85"] for card in payload["cards"]]
    assert p85 == sorted(p85)


# --- flow debt and WIP by type ----------------------------------------------------------------


def test_flow_debt_by_hand_on_the_option_board() -> None:
    """As of day 14, over 15 days (days 0-14, the WIP series' days): WIP at the ends of days
    1..14 adds up to 35 (A 1-2, B 2-8, C 4-7, D 3, E 5-14, F 12-14, G 7-14), average 35 / 15;
    4 cards done, 4 / 15 a day: Little's law says 35 / 4 = 8.75 days; they took 3.5 on average."""
    from tests.ui.option_board import option_board

    result = compute_flow_metrics(option_board(), options=MetricOptions(flow_debt=FlowDebtRule()))
    debt = flow_debt(result, FlowDebtRule())
    assert debt.average_wip == pytest.approx(35 / 15)
    assert debt.throughput_per_day == pytest.approx(4 / 15)
    assert debt.implied_cycle_time == pytest.approx(8.75)
    assert debt.average_cycle_time == pytest.approx(3.5)
    assert debt.state == "debt"
    assert debt.reading.startswith("Flow debt: WIP is ageing faster than work finishes")
    assert "\n" not in debt.reading
    assert metrics_to_json(result)["flow_debt"]["ratio"] == pytest.approx(2.5)
    assert flow_debt(result, FlowDebtRule(ratio=3)).state == "balanced"


def test_wip_over_time_by_type_adds_up_to_wip_over_time() -> None:
    from tests.ui.option_board import option_board

    result = compute_flow_metrics(option_board(), options=MetricOptions(work_types=WorkTypes()))
    assert result.work_types is not None
    by_type = result.work_types.wip_over_time
    assert by_type is not None
    names = list(result.work_types.names)
    assert by_type[names].sum(axis=1).tolist() == result.wip_over_time["wip"].tolist()
    assert by_type.iloc[-1][["Bug", "Feature"]].tolist() == [1, 2]
