"""What Trello granted, checked after the exchange: read only, for at most a day.

The approve link is in the visitor's hands, so its ``scope``, ``expiration`` and ``name`` can be
edited before approving; the app asks Trello (``GET /1/tokens/{token}``) what the token may do
and refuses, and revokes, one broader or longer-lived than it asked for.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from trellolens.trello import TokenInfo

ASKED_LIFETIME = timedelta(days=1)
CLOCK_SLACK = timedelta(minutes=10)


def grant_problem(info: TokenInfo, now: datetime) -> str | None:
    """One line naming how the token exceeds what the app asked for, or None when it does not."""
    if info.can_write:
        return "it may change boards or the account (the app asks to read only)"
    if not info.permissions or "read" not in info.scopes:
        return "it cannot read boards"
    if info.expires is None:
        return "it never expires (the app asks for one day)"
    if info.expires - now > ASKED_LIFETIME + CLOCK_SLACK:
        return "it lasts longer than one day (the app asks for one day)"
    if not info.member_id:
        return "Trello did not say whose it is"
    return None
