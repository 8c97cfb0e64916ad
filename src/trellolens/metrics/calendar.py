"""Business days: which days count as working days, and working time between two moments.

Working time between ``a`` and ``b`` is the elapsed time minus the parts of it that fall on
non-working days (weekends when ``weekdays_only``, and ``holidays``), where a day is a local
calendar day in ``time_zone``. It is never more than the elapsed time and never negative, and a
working day counts 24 hours: Friday 10:00 to Monday 10:00 is 1.0 working day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from trellolens.errors import MetricOptionError
from trellolens.metrics.history import MISSING, US_PER_DAY, IntArray, to_us

FloatArray = npt.NDArray[np.float64]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECRET_LIKE = re.compile(r"[A-Za-z0-9_]{8,}")
"""A run this long may be part of a token pasted in the wrong file: never echoed."""


@dataclass(frozen=True)
class WorkCalendar:
    """All days, or Monday to Friday; minus ``holidays``; days are local to ``time_zone``."""

    weekdays_only: bool = True
    holidays: frozenset[date] = field(default_factory=frozenset)
    time_zone: str = "UTC"

    def __post_init__(self) -> None:
        zone(self.time_zone)

    def is_working_day(self, day: date) -> bool:
        return not (self.weekdays_only and day.weekday() >= 5) and day not in self.holidays

    def working_days_after(self, start: date, count: int) -> list[date]:
        """The first ``count`` working days after ``start`` (empty when none in 20 years)."""
        found: list[date] = []
        day = start
        limit = start + timedelta(days=365 * 20)
        while len(found) < count and day < limit:
            day += timedelta(days=1)
            if self.is_working_day(day):
                found.append(day)
        return found

    def clock(self, first_us: int, last_us: int) -> WorkClock:
        return WorkClock(self, first_us, last_us)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise MetricOptionError(
            f"unknown time zone {name!r}; use an IANA name such as UTC or Europe/Berlin"
        ) from None


class WorkClock:
    """Working time between moments from ``first_us`` to ``last_us`` (microseconds, UTC)."""

    def __init__(self, calendar: WorkCalendar, first_us: int, last_us: int) -> None:
        tz = zone(calendar.time_zone)
        first = _local_day(first_us, tz) - timedelta(days=1)
        last = _local_day(max(last_us, first_us), tz) + timedelta(days=2)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        starts = np.asarray(
            [to_us(datetime.combine(day, time(), tz).astimezone(UTC)) for day in days],
            dtype=np.int64,
        )
        idle = np.asarray([not calendar.is_working_day(day) for day in days[:-1]], dtype=bool)
        lengths = np.diff(starts)
        self._starts = starts
        self._idle = idle
        # Idle time before the start of each day (the table's first day starts at 0).
        self._idle_before = np.r_[0, np.cumsum(np.where(idle, lengths, 0))].astype(np.int64)

    def idle_before(self, moments: IntArray) -> IntArray:
        """Non-working microseconds from the table's start up to each moment."""
        clipped = np.clip(moments, self._starts[0], self._starts[-1] - 1)
        day = np.searchsorted(self._starts, clipped, side="right") - 1
        into = np.where(self._idle[day], clipped - self._starts[day], 0)
        result: IntArray = self._idle_before[day] + into
        return result

    def working_days(self, start_us: IntArray, end_us: IntArray) -> FloatArray:
        """Working time from start to end in days (24 hours); 0 when end is before start."""
        start = np.asarray(start_us, dtype=np.int64)
        end = np.maximum(np.asarray(end_us, dtype=np.int64), start)
        spent = (end - start) - (self.idle_before(end) - self.idle_before(start))
        days: FloatArray = np.clip(spent, 0, None) / US_PER_DAY
        return days


def calendar_days(start_us: IntArray, end_us: IntArray) -> FloatArray:
    """Elapsed days, the unit without a calendar (never negative)."""
    days: FloatArray = np.clip(end_us - start_us, 0, None) / US_PER_DAY
    return days


def _local_day(moment_us: int, tz: ZoneInfo) -> date:
    moment_us = min(max(moment_us, 0), MISSING // 2)
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=moment_us)
    return moment.astimezone(tz).date()


def parse_holidays(lines: Iterable[str], source: str = "holidays") -> frozenset[date]:
    """ISO dates, one per line or separated by commas; ``#`` starts a comment.

    A bad entry is a one-line ``MetricOptionError`` naming the source and line.
    """
    found: set[date] = set()
    for number, line in enumerate(lines, start=1):
        for entry in line.split("#", 1)[0].replace(",", " ").split():
            day = None
            if _ISO_DAY.fullmatch(entry):
                try:
                    day = date.fromisoformat(entry)
                except ValueError:
                    day = None
            if day is None:
                raise MetricOptionError(
                    f"{source}: line {number}: {_shown(entry)} is not a date; write one date per "
                    "line like 2026-12-25"
                )
            found.add(day)
    return frozenset(found)


def _shown(entry: str) -> str:
    """A bad entry as an error may show it: short words quoted, anything else by its length only."""
    if len(entry) <= 12 and entry.isprintable() and not _SECRET_LIKE.search(entry):
        return repr(entry)
    return f"an entry of {len(entry)} characters"
