"""The workflow: the ordered lists cards flow through, with its commitment point and done list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trellolens.board import Board, TrelloList
from trellolens.errors import WorkflowError

_DONE_WORDS = re.compile(r"\b(done|complete[d]?|finished|shipped|released)\b", re.IGNORECASE)
_START_WORDS = re.compile(
    r"\b(doing|in[ -]?progress|started|develop\w*|wip)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Workflow:
    """Ordered workflow stages; ``start_list`` is one of them, ``done_list`` is the last one."""

    stages: tuple[TrelloList, ...]
    start_list: TrelloList
    done_list: TrelloList

    def __post_init__(self) -> None:
        if len(self.stages) < 2:
            raise WorkflowError("a workflow needs at least 2 lists; add a start and a done list")
        if self.done_list != self.stages[-1]:
            raise WorkflowError("the done list must be the workflow's last list")
        if self.start_list not in self.stages[:-1]:
            raise WorkflowError(
                f"start list {self.start_list.name!r} is not a workflow list before the done list; "
                f"choose one of: {', '.join(self.stage_names[:-1])}"
            )
        if len({stage.id for stage in self.stages}) != len(self.stages):
            raise WorkflowError("a list appears twice in the workflow; name each list once")

    @property
    def stage_names(self) -> tuple[str, ...]:
        """Stage names, unique: a repeated list name gets " (2)", " (3)"... (used as column labels)."""
        seen: dict[str, int] = {}
        names = []
        for stage in self.stages:
            count = seen.get(stage.name, 0) + 1
            seen[stage.name] = count
            names.append(stage.name if count == 1 else f"{stage.name} ({count})")
        return tuple(names)

    @property
    def start_index(self) -> int:
        return self.stages.index(self.start_list)

    @property
    def done_index(self) -> int:
        return len(self.stages) - 1

    def index_by_list_id(self) -> dict[str, int]:
        return {stage.id: index for index, stage in enumerate(self.stages)}


def _looks_done(name: str) -> bool:
    return _DONE_WORDS.search(name) is not None


def _looks_started(name: str) -> bool:
    return _START_WORDS.search(name) is not None


def _too_few_lists(board: Board, chosen: int) -> WorkflowError:
    """Neutral wording (no command-line flags): the dashboard shows it as well as the CLI."""
    lists = board.open_lists
    names = ", ".join(repr(lst.name) for lst in lists)
    problem = f"a workflow needs at least 2 lists, got {chosen}"
    if len(lists) < 2:
        has = f"{len(lists)} open list" + (f": {names}" if names else "s")
        return WorkflowError(f"{problem}; this board has {has}, so add lists to it in Trello")
    return WorkflowError(
        f"{problem}; choose at least 2 lists of this board, in order, the done list last: {names}"
    )


def _workflow(board: Board, stages: Sequence[TrelloList], start: TrelloList | None) -> Workflow:
    if len(stages) < 2:
        raise _too_few_lists(board, len(stages))
    if start is None:
        # The second list, or the first of a two-list workflow (the start cannot be the done list).
        fallback = stages[min(1, len(stages) - 2)]
        start = next((s for s in stages[:-1] if _looks_started(s.name)), fallback)
    return Workflow(stages=tuple(stages), start_list=start, done_list=stages[-1])


def default_workflow(board: Board) -> Workflow:
    """Open lists by position, cut after the last done-looking list; start at the first doing-like.

    The done list is the last list whose name looks like done/complete/finished/shipped/released
    (else the last list); lists after it are not part of the workflow.
    """
    lists = list(board.open_lists)
    done_at = max((i for i, lst in enumerate(lists) if _looks_done(lst.name)), default=None)
    if done_at is not None and done_at >= 1:
        lists = lists[: done_at + 1]
    return _workflow(board, lists, None)


def _find_list(board: Board, wanted: str) -> TrelloList:
    """A list by id, else by name (open lists first, then by position); one-line error otherwise."""
    by_id = board.lists_by_id.get(wanted)
    if by_id is not None:
        return by_id
    ordered = [*board.open_lists, *(lst for lst in board.lists if lst.closed)]
    for lst in ordered:
        if lst.name == wanted:
            return lst
    folded = wanted.strip().casefold()
    for lst in ordered:
        if lst.name.strip().casefold() == folded:
            return lst
    names = ", ".join(repr(lst.name) for lst in board.open_lists)
    raise WorkflowError(f"no list {wanted!r} on board {board.name!r}; its lists are: {names}")


find_list = _find_list


def workflow_from_names(
    board: Board,
    stages: Sequence[str] | None = None,
    start_list: str | None = None,
) -> Workflow:
    """A workflow from list names or ids in order; ``None`` takes the defaults."""
    if stages is None:
        chosen = list(default_workflow(board).stages)
    else:
        chosen = [_find_list(board, name) for name in stages]
    if start_list is None or len(chosen) < 2:
        return _workflow(board, chosen, None)
    start = _find_list(board, start_list)
    if start not in chosen[:-1]:
        names = ", ".join(repr(s.name) for s in chosen[:-1])
        if start in chosen:
            raise WorkflowError(
                f"start list {start.name!r} is the done list; choose an earlier one: {names}"
            )
        raise WorkflowError(
            f"start list {start.name!r} is not in the workflow; choose one of: {names}"
        )
    return _workflow(board, chosen, start)
