"""What one doctor check found: an id, a status, one line of detail and one line of fix.

Checks hold names, places, dates and scopes, never a credential value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 -- a status, not a password
    WARN = "warn"
    FAIL = "fail"


_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


def worst(statuses: list[Status] | tuple[Status, ...]) -> Status:
    """The most serious status of ``statuses`` (``pass`` for none)."""
    return max(statuses, key=_RANK.__getitem__, default=Status.PASS)


@dataclass(frozen=True)
class Check:
    """One line of the doctor's table. ``fix`` is empty when there is nothing to do."""

    id: str
    title: str
    status: Status
    detail: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "detail": self.detail,
            "fix": self.fix,
        }


def passed(check_id: str, title: str, detail: str) -> Check:
    return Check(check_id, title, Status.PASS, detail)


def warned(check_id: str, title: str, detail: str, fix: str) -> Check:
    return Check(check_id, title, Status.WARN, detail, fix)


def failed(check_id: str, title: str, detail: str, fix: str) -> Check:
    return Check(check_id, title, Status.FAIL, detail, fix)
