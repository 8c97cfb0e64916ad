"""One request to Trello, done properly: rate limits, retries with jittered backoff, a deadline.

Idempotent GETs are retried on 5xx, timeouts, dropped connections and cut-off bodies, a bounded
number of times; a 429 pauses the shared window and is retried with growing, jittered delays; any
other 4xx is a typed error at once. A non-GET 2xx whose body is not JSON counts as done (``None``).

The deadline bounds retries, rate-limit waits and each attempt's start: an attempt's timeouts are
capped by the time left, and the body is checked against the deadline between chunks. httpx's
timeouts apply per connect, write or read, so one slow chunk may still end up to a read timeout past
the deadline; the deadline is a target, not a hard limit.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from trellolens.errors import (
    RateLimitedError,
    TrelloError,
    TrelloNetworkError,
    TrelloServerError,
    TrelloTimeoutError,
    TrelloUnavailableError,
)
from trellolens.trello.rate_limit import Limiter, Notice, describe_wait
from trellolens.trello.responses import error_for, rate_limit_kind, retry_after, too_large

log = logging.getLogger(__name__)

Params = Mapping[str, str | int]
MEMBER_MAX_DELAY = 900.0


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; delays double per retry, with equal jitter."""

    attempts: int = 4
    """Attempts in all for 5xx, timeouts, dropped connections and cut-off bodies."""
    rate_limited_attempts: int = 8
    """Attempts in all while Trello answers 429."""
    base_delay: float = 0.2
    rate_limit_delay: float = 1.0
    max_delay: float = 10.0
    member_delay: float = 30.0
    """First wait after a ``/1/members`` 429 without ``retry-after`` (then doubling, to 15 min)."""

    def delay(self, retry: int, base: float, rng: random.Random, cap: float | None = None) -> float:
        ceiling = min(cap or self.max_delay, base * 2.0**retry)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


DEFAULT_RETRY = RetryPolicy()
"""The policy of a client given none; read when the client is made (tests may replace it)."""


class _OverrunError(Exception):
    """The body was still arriving at the deadline."""


@dataclass(frozen=True)
class _Problem:
    """Why an attempt failed, and the kind of ``TrelloUnavailableError`` it ends in."""

    text: str
    kind: type[TrelloUnavailableError]
    status: int | None = None


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


class Requester:
    """Sends requests through one pooled ``httpx.Client``; see the module docstring."""

    def __init__(
        self,
        http: httpx.Client,
        limiter: Limiter,
        policy: RetryPolicy | None,
        timeout: httpx.Timeout,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.http = http
        self.limiter = limiter
        self.policy = policy or DEFAULT_RETRY
        self.timeout = timeout
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()  # noqa: S311 -- jitter, not cryptography
        self.requests_sent = 0

    def json(
        self,
        method: str,
        path: str,
        params: Params,
        *,
        what: str,
        deadline: float,
        notice: Notice | None = None,
    ) -> Any:
        """The decoded JSON body of a 2xx answer (``None`` if empty, or unreadable after a
        non-GET), or one typed error; ``ResponseTooLargeError`` when Trello refuses the answer
        as too large or too costly (the caller splits the request).

        ``what`` names the thing asked for in messages; ``path`` never appears in one. A wait
        for a rate limit that takes long is announced to ``notice`` first.
        """
        policy = self.policy
        members = path == "members" or path.startswith("members/")
        failures = limited = 0
        context = _Context(method, self.http.base_url.path, path)
        while True:
            self.limiter.acquire(deadline, members=members, notice=notice, what=what)
            problem, answer = self._attempt(method, path, params, deadline, what, context)
            if answer is not None:
                refused = answer.status == httpx.codes.TOO_MANY_REQUESTS
                self.limiter.observe(answer.headers, refused=refused, members=members)
                wait = retry_after(answer.headers)
                if answer.status < 300:
                    # Imported at first use: `fetch` loads msgspec during its first round trip.
                    from trellolens.board.fast_json import loads

                    try:
                        return loads(answer.body) if answer.body else None
                    except ValueError:  # also UnicodeDecodeError
                        if method != "GET":
                            return None  # the change was made; its echo is not needed
                        problem = _Problem(
                            "a cut-off or garbled response", TrelloNetworkError, answer.status
                        )
                elif (refusal := too_large(answer.body, what, wait)) is not None:
                    raise context.on(refusal, answer.status)
                elif refused:
                    self._pause_after_429(answer, wait, limited, (what, context, deadline))
                    limited += 1
                    continue
                elif answer.status >= httpx.codes.INTERNAL_SERVER_ERROR:
                    text = f"HTTP {answer.status} (a Trello server error)"
                    problem = _Problem(text, TrelloServerError, answer.status)
                else:
                    raise context.on(error_for(answer.status, answer.body, what), answer.status)
            problem = problem or _Problem("an answer it could not use", TrelloNetworkError)
            failures += 1
            retryable = method == "GET" or problem.text == _NOT_CONNECTED
            delay = policy.delay(failures - 1, policy.base_delay, self.rng)
            if not retryable or failures >= policy.attempts or self.clock() + delay >= deadline:
                raise context.on(_unavailable(what, problem, failures), problem.status)
            log.debug("retrying %s after %s (attempt %d)", what, problem.text, failures)
            self.sleep(delay)

    def _pause_after_429(
        self,
        answer: _Answer,
        wait: float | None,
        limited: int,
        asked: tuple[str, _Context, float],
    ) -> None:
        """Pause the window Trello refused (for every caller) after the ``limited``-th 429 in a
        row; raise when out of tries or past the deadline. ``asked``: what, context, deadline."""
        what, context, deadline = asked
        policy = self.policy
        kind = rate_limit_kind(answer.body)
        delay = policy.delay(limited, policy.rate_limit_delay, self.rng)
        if kind == "member":  # a 15-minute window: backing off 10 s at most won't do
            delay = policy.delay(limited, policy.member_delay, self.rng, MEMBER_MAX_DELAY)
        delay = delay if wait is None else wait
        self.limiter.pause(kind, delay)
        out_of_tries = kind != "member" and limited + 1 >= policy.rate_limited_attempts
        if out_of_tries or self.clock() + delay > deadline:
            raise context.on(_rate_limited(what, kind, delay), answer.status)
        log.debug("429 (%s limit) for %s; waiting %.2f s", kind, what, delay)

    def _attempt(
        self,
        method: str,
        path: str,
        params: Params,
        deadline: float,
        what: str,
        context: _Context,
    ) -> tuple[_Problem | None, _Answer | None]:
        """One exchange: ``(None, answer)``, or the transport problem and ``None``."""
        left = deadline - self.clock()
        if left <= 0:
            passed = _Problem("the call's deadline passed", TrelloTimeoutError)
            raise context.on(_unavailable(what, passed, 0), None)
        timeout = httpx.Timeout(
            connect=_cap(self.timeout.connect, left),
            read=_cap(self.timeout.read, left),
            write=_cap(self.timeout.write, left),
            pool=_cap(self.timeout.pool, left),
        )
        request = self.http.build_request(method, path, params=params, timeout=timeout)
        self.requests_sent += 1
        try:
            response = self.http.send(request, stream=True)
            try:
                chunks = []
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    if self.clock() > deadline:
                        raise _OverrunError
            finally:
                response.close()
        except _OverrunError:
            return _Problem(
                "a response still arriving at the call's deadline", TrelloTimeoutError
            ), None
        except httpx.TimeoutException:
            return _Problem("no answer in time (timeout)", TrelloTimeoutError), None
        except httpx.ConnectError:
            return _Problem(_NOT_CONNECTED, TrelloNetworkError), None
        except httpx.TransportError:  # dropped connection, cut-off body, protocol error
            return _Problem("a dropped connection or cut-off response", TrelloNetworkError), None
        return None, _Answer(response.status_code, response.headers, b"".join(chunks))


_NOT_CONNECTED = "no connection to Trello"


def _cap(configured: float | None, left: float) -> float:
    return left if configured is None else min(configured, left)


@dataclass(frozen=True)
class _Context:
    """Which exchange an error is about, as httpx's errors say: method and path, no query."""

    method: str
    base_path: str
    path: str

    def on(self, error: E, status: int | None) -> E:
        error.method = self.method
        error.path = shown_path(self.base_path, self.path)
        error.status = status
        return error


E = TypeVar("E", bound=TrelloError)


def shown_path(base_path: str, path: str) -> str:
    """The request's URL path as it may be shown: the token of ``tokens/{token}`` masked, and
    anything else that holds a live secret redacted."""
    from trellolens.credentials.redaction import redact

    segments = path.split("/")
    if segments[0] == "tokens" and len(segments) > 1:
        segments[1] = "[REDACTED]"
    return redact(base_path.rstrip("/") + "/" + "/".join(segments))


def _unavailable(what: str, problem: _Problem, attempts: int) -> TrelloUnavailableError:
    tries = f" after {attempts} attempt{'s' if attempts != 1 else ''}" if attempts else ""
    return problem.kind(
        f"Trello is unavailable: asking for {what} ended in {problem.text}{tries}; "
        "check the network (and TRELLO_API_BASE_URL, if set) and try again in a minute"
    )


def _rate_limited(what: str, kind: str, delay: float) -> RateLimitedError:
    if kind == "member":
        return RateLimitedError(
            f"Trello allows 100 requests per 15 minutes to /1/members and refused {what} for "
            f"{describe_wait(delay)} more; try again then",
            retry_after=delay,
        )
    whose = "API key (shared by every token of the app)" if kind == "key" else "token"
    return RateLimitedError(
        f"Trello's rate limit for this {whose} was still exceeded while asking for {what}; "
        "another program may be using the same credentials: wait a minute and try again",
        retry_after=delay,
    )
