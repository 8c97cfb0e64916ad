"""Whether this visitor can have live boards this run, and the token's boards when they can.

Asked once per run by the sidebar (``components/board_picker.py``), after the access gate: a
visitor the gate refuses never gets as far as the credentials or Trello.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from trellolens.credentials import default_resolver
from trellolens.errors import (
    CredentialsError,
    MissingCredentialsError,
    SignInRequiredError,
    TrellolensError,
)
from trellolens.trello.rate_limit import Notice
from trellolens.ui.access import current_access
from trellolens.ui.data.board_source import one_line, short_reason
from trellolens.ui.data.cache import board_list, trello_connection

if TYPE_CHECKING:
    from trellolens.trello import BoardSummary, TrelloClient


class LiveState(StrEnum):
    UNCONFIGURED = "unconfigured"
    """No Trello credentials anywhere: the demo board, with how to connect."""
    REFUSED = "refused"
    """This visitor may not see live boards (the access gate): ``reason`` says why."""
    BROKEN = "broken"
    """Credentials are configured but do not work: ``reason`` says why, in one line."""
    READY = "ready"


@dataclass(frozen=True)
class LiveStatus:
    state: LiveState
    reason: str = ""
    """One line, short enough for the sidebar; the Connect Trello page has the whole story."""
    client: TrelloClient | None = None
    boards: tuple[BoardSummary, ...] = ()
    sign_in: str = ""
    """READY on what is held: the OAuth 2.0 sign-in ended, in one line (sign in again)."""

    @property
    def open_boards(self) -> tuple[BoardSummary, ...]:
        return tuple(board for board in self.boards if not board.closed)


def _nothing_configured() -> bool:
    try:
        resolution = default_resolver().check()
    except CredentialsError:  # the TRELLOLENS_* settings themselves are wrong
        return False
    return resolution.nothing_configured and not resolution.errors


def live_status(notice: Notice | None = None) -> LiveStatus:
    """Unconfigured, refused, broken, or ready with the token's boards (kept 5 minutes)."""
    decision = current_access()
    if not decision.allowed:
        if not decision.visitor and _nothing_configured():
            return LiveStatus(LiveState.UNCONFIGURED)
        return LiveStatus(LiveState.REFUSED, one_line(decision.reason))
    try:
        client = trello_connection().client
    except MissingCredentialsError as exc:
        if _nothing_configured():
            return LiveStatus(LiveState.UNCONFIGURED)
        return LiveStatus(LiveState.BROKEN, short_reason(exc))
    except CredentialsError as exc:
        return LiveStatus(LiveState.BROKEN, short_reason(exc))
    try:
        boards = board_list(client, notice=notice)
    except TrellolensError as exc:  # a revoked token, Trello down...
        return LiveStatus(LiveState.BROKEN, short_reason(exc), client)
    problem = client.sign_in_problem  # an OAuth 2.0 sign-in that ended: held boards served
    sign_in = "" if problem is None else short_reason(SignInRequiredError(problem, _why(problem)))
    return LiveStatus(LiveState.READY, client=client, boards=tuple(boards), sign_in=sign_in)


def _why(line: str) -> str:
    return "reused" if "presented twice" in line else "revoked"
