"""A cached board brought up to date with what Trello says changed since its newest action.

Trello's answer holds the board's current state (lists, cards, labels, members, checklists,
custom fields: small) and only the history actions since a moment (``since``). The current state
replaces the cached one; the new actions go in front of the cached history, each action once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from trellolens.board.model import Board


@dataclass(frozen=True)
class BoardChanges:
    """The board now (``board``: its current state and the actions after ``since``, newest
    first), as Trello answered a request for the actions since ``since`` (an ISO date)."""

    since: str
    board: Board


def changes_since(board: Board) -> str | None:
    """The ``since`` to ask Trello for what ``board`` lacks: a millisecond before its newest
    action (``since`` is exclusive; the actions of that millisecond come again and are merged).
    None when the board has no history to continue from (then it is loaded whole)."""
    if not board.actions:
        return None
    newest = board.newest_action_date
    assert newest is not None
    moment = newest - timedelta(milliseconds=1)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def merge_changes(
    cached: Board, changes: BoardChanges, max_actions: int | None = None
) -> Board | None:
    """``cached`` with ``changes`` applied; None when they do not fit it (another board, or
    changes asked for since another moment: a gap), so the board must be loaded whole.

    At most ``max_actions`` actions are kept (the newest); dropping any makes the history
    incomplete, as a capped load is.
    """
    fresh = changes.board
    if fresh.id != cached.id or changes_since(cached) != changes.since:
        return None
    seen: set[str] = set()
    actions = []
    for action in (*fresh.actions, *cached.actions):
        if action.id not in seen:
            seen.add(action.id)
            actions.append(action)
    complete = cached.history_complete
    if max_actions is not None and len(actions) > max_actions:
        actions = actions[:max_actions]
        complete = False
    return replace(fresh, actions=tuple(actions), history_complete=complete)
