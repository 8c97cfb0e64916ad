"""The Security page's table of every doctor check, and what the credential checks look at.

Names, places, dates and scopes from ``trellolens.doctor``'s report, never a credential value.
"""

from __future__ import annotations

import pandas as pd

from trellolens.doctor import DoctorReport, Status

ICONS = {Status.PASS: "✓ pass", Status.WARN: "! warn", Status.FAIL: "✗ fail"}
"""Marks every text font has (no emoji font needed: a server's browser may lack one)."""
NOT_YET = "- not configured yet"
CONFIGURE = (
    "Set TRELLO_API_KEY and TRELLO_OAUTH_TOKEN, or run `trellolens init` for a secrets file "
    "(the Connect Trello page shows every way)."
)
WILL_CHECK = {
    "credentials.sources": "Where each Trello credential comes from (source and place, never "
    "the value), or which one is missing.",
    "credentials.shared_token": "Whether one token serves two profiles (development and "
    "production should not share one).",
    "access.open": "Whether live boards are open to anyone who has the app's address.",
    "token.valid": "Asks Trello whether the token is valid and whose it is, then its scopes "
    "(read is all the dashboard needs), its expiry and its age.",
}
"""What each check about credentials will look at, once there are credentials."""


def checks_table(report: DoctorReport, waiting: DoctorReport | None = None) -> pd.DataFrame:
    """``status``, ``check``, ``finding``, ``fix``: the waiting checks first, then the report's."""
    rows = [
        {"status": NOT_YET, "check": check.title, "finding": WILL_CHECK[check.id], "fix": CONFIGURE}
        for check in (waiting.checks if waiting else ())
    ]
    rows += [
        {
            "status": ICONS[check.status],
            "check": check.title,
            "finding": check.detail,
            "fix": check.fix,
        }
        for check in report.checks
    ]
    return pd.DataFrame(rows)
