"""Trello's rate limits, kept once per process: per API key (300/10 s), per token (100/10 s) and,
for ``/1/members`` routes, 100 per 900 s per token.

Every ``TrelloClient`` of the process (one per session, CLI call or thread) draws from the same
windows, looked up by the credential's fingerprint (never the value). A window is a sliding log of
send times, so no interval of its length ever holds more than ``max_requests`` sends, whether Trello
counts in fixed or sliding windows. Trello's ``x-rate-limit-*`` headers adjust a window's size and
account for requests made elsewhere (another process with the same token); a 429 pauses it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from trellolens.errors import RateLimitedError

Scope = Literal["key", "token", "member"]
Notice = Callable[[str], None]
"""Called with a one-line notice (for the UI) before a long wait."""

KEY_LIMIT = (300, 10.0)
"""Trello's documented limit per API key: requests per seconds."""
TOKEN_LIMIT = (100, 10.0)
"""Trello's documented limit per token: requests per seconds."""
MEMBER_LIMIT = (100, 900.0)
"""Trello's documented limit on ``/1/members`` routes: requests per seconds (kept per token)."""
NOTICE_AFTER_SECONDS = 2.0
"""A wait at least this long is announced through the call's ``notice`` hook."""
SAFETY_SECONDS = 0.25
"""Added to every window, for the time a request takes to reach Trello (which counts arrivals)."""
MAX_WINDOW_REQUESTS = 10_000
"""The largest window size taken from a header; a bigger number is taken as this."""
MAX_INTERVAL_SECONDS = 3600.0
"""The longest window interval taken from a header."""
HEADER_PREFIX = {
    "key": "x-rate-limit-api-key-",
    "token": "x-rate-limit-api-token-",
    "member": "x-rate-limit-member-",
}
LIMITS = {"key": KEY_LIMIT, "token": TOKEN_LIMIT, "member": MEMBER_LIMIT}


@dataclass
class Window:
    """At most ``max_requests`` sends in any ``interval`` seconds (plus the safety margin).

    ``sent`` holds ``[time, count]`` pairs, oldest first: requests Trello counted elsewhere are one
    pair, however many they are.
    """

    max_requests: int
    interval: float
    sent: deque[list[float]] = field(default_factory=deque)
    paused_until: float = 0.0
    count: int = 0
    """Sends in ``sent`` (the sum of its counts)."""

    def record(self, now: float, count: int = 1) -> None:
        """Count ``count`` sends at ``now``."""
        if count > 0:
            self.sent.append([now, count])
            self.count += count

    def _send_time(self, index: int) -> float:
        """When the send at ``index`` (0 is the oldest still in the window) went out."""
        for when, count in self.sent:
            if index < count:
                return when
            index -= int(count)
        return self.sent[-1][0]

    def wait(self, now: float) -> float:
        """Seconds until one more request may go out (0 if it may go now)."""
        span = self.interval + SAFETY_SECONDS
        while self.sent and self.sent[0][0] <= now - span:
            self.count -= int(self.sent.popleft()[1])
        wait = max(0.0, self.paused_until - now)
        if self.count >= self.max_requests:
            oldest_that_counts = self._send_time(self.count - self.max_requests)
            wait = max(wait, oldest_that_counts + span - now)
        return wait

    def adjust(
        self, max_requests: int | None, interval: float | None, remaining: int | None, now: float
    ) -> None:
        """Take Trello's view of this window: its size, and how much of it is used."""
        if max_requests is not None:
            self.max_requests = min(max(max_requests, 1), MAX_WINDOW_REQUESTS)
        if interval is not None and interval > 0:
            self.interval = min(interval, MAX_INTERVAL_SECONDS)
        if remaining is None:
            return
        self.wait(now)  # drop expired sends first
        used = self.max_requests - min(max(remaining, 0), self.max_requests)
        # Requests Trello counted that this process did not send: count them too, from now.
        self.record(now, used - self.count)


class WindowRegistry:
    """Every window of the process, by scope and fingerprint; one lock guards them all."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.lock = threading.Lock()
        self._windows: dict[tuple[Scope, str], Window] = {}

    def window(self, scope: Scope, fingerprint: str) -> Window:
        """The window of one key or token; call with ``lock`` held."""
        found = self._windows.get((scope, fingerprint))
        if found is None:
            limit, interval = LIMITS[scope]
            found = self._windows[(scope, fingerprint)] = Window(limit, interval)
        return found

    def clear(self) -> None:
        with self.lock:
            self._windows.clear()


PROCESS_WINDOWS = WindowRegistry()
"""The windows every client of this process shares unless given its own registry."""


def _number(headers: Mapping[str, str], name: str) -> float | None:
    """A header's finite number; None if absent or not a number (nan and inf included)."""
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _count(number: float | None) -> int | None:
    """A header's number as a request count, within 0..``MAX_WINDOW_REQUESTS``."""
    return None if number is None else int(min(max(number, 0), MAX_WINDOW_REQUESTS))


@dataclass(frozen=True)
class Observed:
    """What a response's headers say about one window (None: not said, or not believed)."""

    max_requests: int | None
    interval_ms: float | None
    remaining: int | None

    @property
    def empty(self) -> bool:
        return self.max_requests is None and self.interval_ms is None and self.remaining is None


def observed(scope: Scope, headers: Mapping[str, str], refused: bool) -> Observed:
    """The window ``headers`` describe for ``scope``. For ``/1/members`` Trello has been seen
    to advertise 200 per 10 s as well as its documented 100 per 900 s: a members window looser
    than the documented one is not believed (nor its ``remaining``, counted in another window),
    so the client holds to 100 per 900 s under either; a stricter one is taken as it comes."""
    prefix = HEADER_PREFIX[scope]
    max_requests = _count(_number(headers, prefix + "max"))
    interval_ms = _number(headers, prefix + "interval-ms")
    remaining = None if refused else _count(_number(headers, prefix + "remaining"))
    if scope == "member" and max_requests is not None and interval_ms is not None:
        limit, interval = MEMBER_LIMIT
        if interval_ms <= 0 or max_requests / (interval_ms / 1000) > limit / interval:
            return Observed(None, None, None)
    return Observed(max_requests, interval_ms, remaining)


def describe_wait(seconds: float) -> str:
    """``45 s`` or ``3 min 20 s``."""
    whole = math.ceil(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60} s"


def _per(interval: float) -> str:
    minutes = interval / 60
    return f"{minutes:g} minutes" if interval >= 60 and minutes.is_integer() else f"{interval:g} s"


def members_limit(window: Window) -> str:
    """``Trello allows 100 requests per 15 minutes to /1/members`` (the window's own numbers)."""
    return f"Trello allows {window.max_requests} requests per {_per(window.interval)} to /1/members"


DATABASE = "database"
"""A pause's reason when Trello refused for database time (``API_TOKEN_DB_LIMIT_EXCEEDED``)."""


def wait_notice(scope: Scope, window: Window, seconds: float, what: str, reason: str = "") -> str:
    """The one line shown while a call waits for Trello's rate limit (or its database time)."""
    if reason == DATABASE:
        why = "Trello asked this token to pause: its database time is used up"
    elif scope == "member":
        why = members_limit(window)
    else:
        why = f"Trello's rate limit for this {'API key' if scope == 'key' else 'token'} is used up"
    return f"{why}: waiting {describe_wait(seconds)} before asking for {what}."


def too_long(scope: Scope, window: Window, wait: float) -> RateLimitedError:
    """The error of a call whose deadline comes before the window has room."""
    if scope == "member":
        return RateLimitedError(
            f"{members_limit(window)}, and they are used up (by this app or "
            f"another using the same token) for {describe_wait(wait)} more; "
            "try again then",
            retry_after=wait,
        )
    return RateLimitedError(
        "Trello's rate limit for this token or API key is used up (by this app or "
        "another using the same credentials) for longer than this call may wait; "
        "try again in a minute",
        retry_after=wait,
    )


def fingerprints_by_scope(key_fingerprint: str, token_fingerprint: str) -> dict[Scope, str]:
    """Whose window each scope is: the key's, or the token's (``/1/members`` is per token)."""
    return {"key": key_fingerprint, "token": token_fingerprint, "member": token_fingerprint}


@dataclass
class Waiting:
    """One call's wait for room in a window: an error past its deadline, announced once."""

    deadline: float
    notice: Notice | None
    what: str
    sleep: Callable[[float], None]
    announced: bool = False

    def wait(self, now: float, seconds: float, scope: Scope, window: Window, reason: str) -> None:
        if now + seconds > self.deadline:
            raise too_long(scope, window, seconds)
        if self.notice is not None and not self.announced and seconds >= NOTICE_AFTER_SECONDS:
            self.notice(wait_notice(scope, window, seconds, self.what, reason))
            self.announced = True
        self.sleep(seconds)


class Limiter(Protocol):
    """What the requester needs of a rate limiter: this module's, or the Redis one."""

    def acquire(
        self,
        deadline: float,
        *,
        members: bool = False,
        notice: Notice | None = None,
        what: str = "this request",
    ) -> None: ...

    def observe(
        self, headers: Mapping[str, str], *, refused: bool = False, members: bool = False
    ) -> None: ...

    def pause(self, scope: Scope, seconds: float, reason: str = "") -> None: ...


class RateLimiter:
    """One client's view of the shared windows for its key and token."""

    def __init__(
        self,
        key_fingerprint: str,
        token_fingerprint: str,
        registry: WindowRegistry = PROCESS_WINDOWS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._fingerprints = fingerprints_by_scope(key_fingerprint, token_fingerprint)
        self._registry = registry
        self._sleep = sleep
        self._reasons: dict[Scope, tuple[float, str]] = {}

    @property
    def key_fingerprint(self) -> str:
        return self._fingerprints["key"]

    @property
    def token_fingerprint(self) -> str:
        return self._fingerprints["token"]

    def _windows(self, members: bool = True) -> Iterator[tuple[Scope, Window]]:
        for scope, fingerprint in self._fingerprints.items():
            if scope != "member" or members:
                yield scope, self._registry.window(scope, fingerprint)

    def acquire(
        self,
        deadline: float,
        *,
        members: bool = False,
        notice: Notice | None = None,
        what: str = "this request",
    ) -> None:
        """Wait for room in the windows (the ``/1/members`` one too if ``members``) and take it;
        ``RateLimitedError`` if that passes ``deadline``. Long waits are announced to ``notice``."""
        registry = self._registry
        waiting = Waiting(deadline, notice, what, self._sleep)
        while True:
            with registry.lock:
                now = registry.clock()
                windows = list(self._windows(members))
                wait, scope, longest = max(
                    ((window.wait(now), scope, window) for scope, window in windows),
                    key=lambda found: found[0],
                )
                if wait <= 0:
                    for _, window in windows:
                        window.record(now)
                    return
            waiting.wait(now, wait, scope, longest, self.pause_reason(scope))

    def pause_reason(self, scope: Scope) -> str:
        """Why ``scope`` is paused now ("" for a 429, or no pause)."""
        until, reason = self._reasons.get(scope, (0.0, ""))
        return reason if self._registry.clock() < until else ""

    def observe(
        self, headers: Mapping[str, str], *, refused: bool = False, members: bool = False
    ) -> None:
        """Adjust the windows from a response's ``x-rate-limit-*`` headers, if it has them.

        A 429 (``refused``) says nothing about when the window frees up: its ``remaining`` (0)
        is left to the caller's wait, rather than read as a full window from now on.
        """
        with self._registry.lock:
            now = self._registry.clock()
            for scope, window in self._windows(members):
                seen = observed(scope, headers, refused)
                window.adjust(
                    seen.max_requests,
                    None if seen.interval_ms is None else seen.interval_ms / 1000,
                    seen.remaining,
                    now,
                )

    def pause(self, scope: Scope, seconds: float, reason: str = "") -> None:
        """After a 429 for ``scope`` (or a refusal for ``reason``, such as ``DATABASE``): no
        request in that window for ``seconds``; a wait for it is announced with the reason."""
        with self._registry.lock:
            window = self._registry.window(scope, self._fingerprints[scope])
            until = self._registry.clock() + seconds
            window.paused_until = max(window.paused_until, until)
            self._reasons[scope] = (until, reason)
