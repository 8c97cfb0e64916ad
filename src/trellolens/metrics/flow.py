"""`compute_flow_metrics`: every flow metric of a board in one pass over its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from trellolens.board import Board
from trellolens.metrics.backlog import BacklogForecast
from trellolens.metrics.behaviour import BehaviourResults
from trellolens.metrics.efficiency import FlowEfficiencyResults, wait_list_ids
from trellolens.metrics.flow_options import (
    BlockedResults,
    Measure,
    day_measure,
    flagged_lists,
    option_results,
)
from trellolens.metrics.history import (
    MISSING,
    US_PER_DAY,
    CardHistory,
    card_history,
    start_and_done,
    to_timestamps,
    to_us,
)
from trellolens.metrics.options import MetricOptions
from trellolens.metrics.series import (
    cumulative_flow,
    daily_throughput,
    time_in_list,
    weekly_throughput,
    wip_over_time,
)
from trellolens.metrics.sized import ServiceLevelResults, SizeResults
from trellolens.metrics.work_types import WorkTypeResults
from trellolens.metrics.workflow import Workflow, default_workflow

PERCENTILES = (50, 85, 95)
#: Trello's board export holds at most this many actions.
EXPORT_ACTION_LIMIT = 1000


@dataclass(frozen=True)
class DataQuality:
    """What the history could not tell, so readers know how far to trust the numbers."""

    cards_without_creation_event: int
    card_ids_without_creation_event: tuple[str, ...]
    actions_may_be_truncated: bool
    ignored_lists: tuple[str, ...]
    #: Cards whose last recorded move does not explain their current list (moved without an action).
    cards_with_unexplained_list: int = 0
    card_ids_with_unexplained_list: tuple[str, ...] = ()
    #: Open cards sitting in a list outside the workflow (neither in progress nor done).
    cards_in_ignored_lists: int = 0
    actions: int = 0
    oldest_action: datetime | None = None


@dataclass(frozen=True)
class FlowMetrics:
    board_id: str
    board_name: str
    as_of: datetime
    workflow: Workflow
    cycle_times: pd.DataFrame
    cycle_time_percentiles: dict[int, float | None]
    weekly_throughput: pd.DataFrame
    daily_throughput: pd.Series
    wip: pd.DataFrame
    wip_over_time: pd.DataFrame
    cfd: pd.DataFrame
    time_in_list: pd.DataFrame
    data_quality: DataQuality
    #: Due dates of open cards not marked complete (for ``overdue_count``).
    open_due_dates: tuple[datetime, ...] = ()
    #: The options these metrics were computed with; with a calendar every "days" is working days.
    options: MetricOptions = field(default_factory=MetricOptions)
    work_types: WorkTypeResults | None = None
    blocked: BlockedResults | None = None
    size: SizeResults | None = None
    service_level: ServiceLevelResults | None = None
    flow_efficiency: FlowEfficiencyResults | None = None
    behaviour: BehaviourResults | None = None
    backlog_forecast: BacklogForecast | None = None

    @property
    def done_count(self) -> int:
        return len(self.cycle_times)

    def throughput_in_last(self, days: int) -> int:
        """Cards done in the ``days`` days up to the as-of time (as_of - days, as_of]."""
        done = self.cycle_times["done"]
        since = pd.Timestamp(self.as_of - timedelta(days=days))
        until = pd.Timestamp(self.as_of)
        return int(((done > since) & (done <= until)).sum())

    def overdue_count(self, now: datetime) -> int:
        """Open cards whose due date is before ``now`` and that are not marked complete."""
        return sum(1 for due in self.open_due_dates if due < now)

    def wip_older_than(self, days: float) -> int:
        return int((self.wip["age_days"] > days).sum())


def default_as_of(board: Board, *, live: bool = False) -> datetime:
    """Now for a live board; for an export, its newest action (else last activity, else now)."""
    if live:
        return datetime.now(UTC)
    newest = board.newest_action_date or board.date_last_activity
    return newest.astimezone(UTC) if newest is not None else datetime.now(UTC)


def as_of_for_day(day: date, default: datetime) -> datetime:
    """The instant a date alone stands for, in the CLI (``--as-of 2018-03-01``) and the dashboard.

    The end of that day, UTC (its last microsecond, so the day's actions count); on the default's
    own day the default itself (an export's newest action, or now), never a time after it.
    """
    if day == default.astimezone(UTC).date():
        return default
    return datetime.combine(day, time.max, tzinfo=UTC)


def _open_due_dates(board: Board, history: CardHistory) -> tuple[datetime, ...]:
    open_cards = history.card_exists & ~history.card_closed
    return tuple(
        card.due
        for card, is_open in zip(board.cards, open_cards, strict=True)
        if is_open and card.due is not None and not card.due_complete
    )


def _percentiles(days: np.ndarray) -> dict[int, float | None]:
    if len(days) == 0:
        return dict.fromkeys(PERCENTILES)
    values = np.percentile(days, PERCENTILES)  # linear interpolation, numpy's default
    return {p: float(v) for p, v in zip(PERCENTILES, values, strict=True)}


def _cycle_times(
    board: Board, done_mask: np.ndarray, started: np.ndarray, done: np.ndarray, measure: Measure
) -> pd.DataFrame:
    positions = np.flatnonzero(done_mask)
    start_us, done_us = started[positions], done[positions]
    frame = pd.DataFrame(
        {
            "card_id": [board.cards[p].id for p in positions],
            "name": [board.cards[p].name for p in positions],
            "started": to_timestamps(start_us),
            "done": to_timestamps(done_us),
            "days": measure(start_us, done_us),
        }
    )
    return frame.sort_values(["done", "card_id"], ignore_index=True)


def _wip(
    board: Board,
    workflow: Workflow,
    history: CardHistory,
    started: np.ndarray,
    as_of_us: int,
    measure: Measure,
) -> pd.DataFrame:
    stage = history.card_stage
    in_progress = (
        (stage >= workflow.start_index) & (stage < workflow.done_index) & ~history.card_closed
    )
    positions = np.flatnonzero(in_progress)
    start_us = started[positions]
    names = workflow.stage_names
    frame = pd.DataFrame(
        {
            "card_id": [board.cards[p].id for p in positions],
            "name": [board.cards[p].name for p in positions],
            "list": [names[s] for s in stage[positions]],
            "stage_index": stage[positions].astype(np.int64),
            "started": to_timestamps(start_us),
            "age_days": measure(start_us, np.full(len(start_us), as_of_us, dtype=np.int64)),
        }
    )
    return frame.sort_values(["age_days", "card_id"], ascending=[False, True], ignore_index=True)


def _history_may_be_cut(board: Board) -> bool:
    """The client says whether it got the whole history; an export is cut at its action limit."""
    if board.history_complete is not None:
        return not board.history_complete
    return len(board.actions) == EXPORT_ACTION_LIMIT


def _data_quality(board: Board, workflow: Workflow, history: CardHistory) -> DataQuality:
    stage_ids = {stage.id for stage in workflow.stages}
    ignored = [*board.open_lists, *(lst for lst in board.lists if lst.closed)]
    missing = tuple(board.cards[p].id for p in np.flatnonzero(history.card_without_creation))
    unexplained = tuple(board.cards[p].id for p in np.flatnonzero(history.card_unexplained_list))
    oldest = history.oldest_action_us
    return DataQuality(
        cards_without_creation_event=len(missing),
        card_ids_without_creation_event=missing,
        actions_may_be_truncated=len(missing) > 0 or _history_may_be_cut(board),
        ignored_lists=tuple(lst.name for lst in ignored if lst.id not in stage_ids),
        cards_with_unexplained_list=len(unexplained),
        card_ids_with_unexplained_list=unexplained,
        cards_in_ignored_lists=int(
            ((history.card_stage < 0) & ~history.card_closed & history.card_exists).sum()
        ),
        actions=len(board.actions),
        oldest_action=None
        if oldest is None
        else to_timestamps(np.array([oldest]))[0].to_pydatetime(),
    )


def _rewind_to_us(board: Board, as_of: datetime | None) -> int | None:
    """``as_of`` in microseconds when it is before the default (the newest action), else None.

    At or after the newest action the board is as it is now, exactly.
    """
    if as_of is None:
        return None
    moment = to_us(as_of.astimezone(UTC))
    return moment if moment < to_us(default_as_of(board)) else None


def compute_flow_metrics(
    board: Board,
    workflow: Workflow | None = None,
    as_of: datetime | None = None,
    options: MetricOptions | None = None,
) -> FlowMetrics:
    """Cycle times, throughput, WIP, cumulative flow and time in list, by the rules in docs/metrics.md.

    The board is taken as it stood at ``as_of``: an as-of time before the newest action rewinds it
    (later actions are ignored, cards not yet on the board left out). ``options`` turn on business
    days, work types, blocked time, size and the service level expectation.
    """
    workflow = workflow or default_workflow(board)
    options = options or MetricOptions()
    rewind_to_us = _rewind_to_us(board, as_of)
    as_of = (as_of or default_as_of(board)).astimezone(UTC)
    as_of_us = to_us(as_of)
    as_of_day = as_of_us // US_PER_DAY
    history = card_history(
        board, workflow, rewind_to_us, flagged_lists(board, options), wait_list_ids(board, options)
    )
    started, done = start_and_done(history, workflow)
    is_done = (history.card_stage == workflow.done_index) & (done != MISSING)
    measure = day_measure(options, started, as_of_us)
    cycle_times = _cycle_times(board, is_done, started, done, measure)
    done_us = done[is_done]
    daily = daily_throughput(done_us, as_of_day)
    wip = _wip(board, workflow, history, started, as_of_us, measure)
    percentiles = _percentiles(cycle_times["days"].to_numpy(dtype=float))
    found = option_results(
        board, workflow, options, history, (started, done, is_done), as_of_us,
        (cycle_times, wip, daily), measure, percentiles[85],
    )  # fmt: skip
    return FlowMetrics(
        board_id=board.id,
        board_name=board.name,
        as_of=as_of,
        workflow=workflow,
        cycle_times=found.cycle_times,
        cycle_time_percentiles=percentiles,
        weekly_throughput=weekly_throughput(done_us, as_of_day),
        daily_throughput=daily,
        wip=found.wip,
        wip_over_time=wip_over_time(history, workflow, as_of_day),
        cfd=cumulative_flow(history, workflow, as_of_day),
        time_in_list=time_in_list(history, workflow, as_of_us),
        data_quality=_data_quality(board, workflow, history),
        open_due_dates=_open_due_dates(board, history),
        options=options,
        work_types=found.work_types,
        blocked=found.blocked,
        size=found.size,
        service_level=found.service_level,
        flow_efficiency=found.analytics.flow_efficiency,
        behaviour=found.analytics.behaviour,
        backlog_forecast=found.analytics.backlog_forecast,
    )
