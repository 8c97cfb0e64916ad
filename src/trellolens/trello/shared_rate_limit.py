"""Trello's rate-limit windows kept in Redis, so every replica of the app draws from the same ones.

Same interface and rules as ``rate_limit.RateLimiter`` (sliding logs of send times, the safety
margin, ``x-rate-limit-*`` headers, pauses after a 429), with each window a sorted set of send
times under ``trellolens:rl:<scope>:<fingerprint>`` and its size, interval and pause in a hash
next to it. A Lua script checks every window of a request and takes its place in all of them in
one step, on Redis's clock, so two replicas never both take the last place. Keys are named by
credential fingerprints, never values, and expire with their window.

When Redis does not answer, the call goes through the process's own windows (``fallback``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from trellolens.shared.connection import key, redis_client, redis_errors
from trellolens.shared.health import HEALTH
from trellolens.trello.rate_limit import (
    LIMITS,
    SAFETY_SECONDS,
    Notice,
    RateLimiter,
    Scope,
    Waiting,
    Window,
    fingerprints_by_scope,
    observed,
)

if TYPE_CHECKING:
    from redis import Redis

META_TTL_MS = 60_000
"""A window's settings outlive its last send by this long."""

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

ADMIT = (
    _NOW
    + """
local safety = tonumber(ARGV[2])
local n = #KEYS / 2
local wait, which, wmax, wint = 0, 0, 0, 0
local spans = {}
for i = 1, n do
  local z, m = KEYS[2 * i - 1], KEYS[2 * i]
  local conf = redis.call('HMGET', m, 'max', 'interval', 'paused')
  local max = tonumber(conf[1]) or tonumber(ARGV[1 + 2 * i])
  local interval = tonumber(conf[2]) or tonumber(ARGV[2 + 2 * i])
  local span = interval + safety
  spans[i] = span
  redis.call('ZREMRANGEBYSCORE', z, '-inf', now - span)
  local w = math.max(0, (tonumber(conf[3]) or 0) - now)
  local count = redis.call('ZCARD', z)
  if count >= max then
    local oldest = redis.call('ZRANGE', z, count - max, count - max, 'WITHSCORES')
    w = math.max(w, tonumber(oldest[2]) + span - now)
  end
  if w > wait then
    wait, which, wmax, wint = w, i, max, interval
  end
end
if wait > 0 then
  return {0, wait, which, wmax, wint}
end
for i = 1, n do
  redis.call('ZADD', KEYS[2 * i - 1], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[2 * i - 1], spans[i])
end
return {1, 0, 0, 0, 0}
"""
)

OBSERVE = (
    _NOW
    + """
local z, m = KEYS[1], KEYS[2]
if ARGV[1] ~= '' then redis.call('HSET', m, 'max', ARGV[1]) end
if ARGV[2] ~= '' then redis.call('HSET', m, 'interval', ARGV[2]) end
local conf = redis.call('HMGET', m, 'max', 'interval')
local max = tonumber(conf[1]) or tonumber(ARGV[6])
local span = (tonumber(conf[2]) or tonumber(ARGV[7])) + tonumber(ARGV[4])
if redis.call('PTTL', m) < span + tonumber(ARGV[8]) then
  redis.call('PEXPIRE', m, span + tonumber(ARGV[8]))
end
if ARGV[3] ~= '' then
  redis.call('ZREMRANGEBYSCORE', z, '-inf', now - span)
  local used = max - math.min(math.max(tonumber(ARGV[3]), 0), max)
  local count = redis.call('ZCARD', z)
  for i = 1, used - count do
    redis.call('ZADD', z, now, ARGV[5] .. ':' .. i)
  end
  redis.call('PEXPIRE', z, span)
end
return 1
"""
)

PAUSE = (
    _NOW
    + """
local resume = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0
if resume > paused then redis.call('HSET', KEYS[1], 'paused', resume) end
local ttl = tonumber(ARGV[1]) + tonumber(ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
"""
)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


class SharedRateLimiter:
    """One client's view of the windows in Redis; see the module docstring."""

    def __init__(
        self,
        key_fingerprint: str,
        token_fingerprint: str,
        client: Redis,
        fallback: RateLimiter,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fingerprints = fingerprints_by_scope(key_fingerprint, token_fingerprint)
        self._fallback = fallback
        self._sleep = sleep
        self._clock = clock
        self._admit = client.register_script(ADMIT)
        self._observe = client.register_script(OBSERVE)
        self._pause = client.register_script(PAUSE)

    def _keys(self, scope: Scope) -> list[str]:
        window = key("rl", scope, self._fingerprints[scope])
        return [window, window + ":meta"]

    def _scopes(self, members: bool) -> list[Scope]:
        return ["key", "token", "member"] if members else ["key", "token"]

    def _run(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        """The script's answer; raises what redis-py raises (recorded in ``HEALTH``)."""
        try:
            answer = script(keys=keys, args=args)
        except redis_errors() as error:
            HEALTH.failed(error)
            raise
        HEALTH.succeeded()
        return answer

    def acquire(
        self,
        deadline: float,
        *,
        members: bool = False,
        notice: Notice | None = None,
        what: str = "this request",
    ) -> None:
        """Wait for room in the shared windows and take it (see ``RateLimiter.acquire``)."""
        scopes = self._scopes(members)
        keys = [name for scope in scopes for name in self._keys(scope)]
        args: list[Any] = [uuid.uuid4().hex, _ms(SAFETY_SECONDS)]
        for scope in scopes:
            limit, interval = LIMITS[scope]
            args += [limit, _ms(interval)]
        waiting = Waiting(deadline, notice, what, self._sleep)
        while True:
            if not HEALTH.should_try():
                return self._fallback.acquire(deadline, members=members, notice=notice, what=what)
            try:
                admitted, wait_ms, which, max_requests, interval_ms = self._run(
                    self._admit, keys, args
                )
            except redis_errors():
                return self._fallback.acquire(deadline, members=members, notice=notice, what=what)
            if admitted:
                return None
            wait = int(wait_ms) / 1000
            scope = scopes[int(which) - 1]
            window = Window(int(max_requests), int(interval_ms) / 1000)
            waiting.wait(self._clock(), wait, scope, window, self._fallback.pause_reason(scope))

    def observe(
        self, headers: Mapping[str, str], *, refused: bool = False, members: bool = False
    ) -> None:
        """Adjust the shared windows from a response's ``x-rate-limit-*`` headers."""
        self._fallback.observe(headers, refused=refused, members=members)
        for scope in self._scopes(members):
            seen = observed(scope, headers, refused)
            if seen.empty:
                continue
            max_requests, interval_ms, remaining = (
                seen.max_requests,
                seen.interval_ms,
                seen.remaining,
            )
            limit, interval = LIMITS[scope]
            args = [
                "" if max_requests is None else max(max_requests, 1),
                ""
                if interval_ms is None or interval_ms <= 0
                else min(round(interval_ms), 3_600_000),
                "" if remaining is None else remaining,
                _ms(SAFETY_SECONDS),
                uuid.uuid4().hex,
                limit,
                _ms(interval),
                META_TTL_MS,
            ]
            if not HEALTH.should_try():
                return
            try:
                self._run(self._observe, self._keys(scope), args)
            except redis_errors():
                return

    def pause(self, scope: Scope, seconds: float, reason: str = "") -> None:
        """After a 429 for ``scope`` (or a refusal for ``reason``): no replica sends in that
        window for ``seconds``; this replica announces the wait with the reason."""
        self._fallback.pause(scope, seconds, reason)
        if HEALTH.should_try():
            try:
                self._run(self._pause, self._keys(scope)[1:], [_ms(seconds), META_TTL_MS])
            except redis_errors():
                return


def shared_limiter(
    fallback: RateLimiter,
    sleep: Callable[[float], None],
    clock: Callable[[], float] = time.monotonic,
    redis_url: str | None = None,
) -> SharedRateLimiter | None:
    """The Redis limiter on ``redis_url`` (``Settings.redis_url``), else None (stay in process)."""
    client = redis_client(redis_url)
    if client is None:
        return None
    return SharedRateLimiter(
        fallback.key_fingerprint, fallback.token_fingerprint, client, fallback, sleep, clock
    )
