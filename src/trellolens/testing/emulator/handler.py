"""The pure request -> reply core, and its httpx face (``httpx.MockTransport(emulator.handler)``).

Order per request: latency, injected fault, authentication, rate limits, the route, the
response-size and database-time limits, then a truncation fault if one is armed. ``/_emulator/*`` is the control API and skips all of that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from trellolens.testing.emulator import (  # noqa: F401 -- registers the routes
    routes_boards,
    routes_changes,
    routes_oauth,
    routes_oauth2,
    routes_objects,
    routes_webhooks,
)
from trellolens.testing.emulator.auth import authenticate, credentials
from trellolens.testing.emulator.faults import SERVER_ERRORS, Faults
from trellolens.testing.emulator.log import RequestLog, record, redact
from trellolens.testing.emulator.messages import (
    FORBIDDEN,
    NOT_FOUND,
    ApiError,
    ApiReply,
    ApiRequest,
    Fault,
    json_reply,
    text_reply,
)
from trellolens.testing.emulator.rate_limits import (
    KEY_LIMIT_BODY,
    MEMBER_LIMIT_BODY,
    TOKEN_LIMIT_BODY,
    RateLimiter,
    is_members_route,
    retry_after,
)
from trellolens.testing.emulator.response_limits import ResponseLimiter
from trellolens.testing.emulator.router import Context, dispatch
from trellolens.testing.emulator.state import EmulatorState

logger = logging.getLogger("trellolens.testing.emulator")

Sleep = Callable[[float], object]
STORM_BODIES = {"token": TOKEN_LIMIT_BODY, "key": KEY_LIMIT_BODY, "member": MEMBER_LIMIT_BODY}


def make_request(
    method: str, raw_target: str, headers: dict[str, str], body: bytes = b""
) -> ApiRequest:
    parts = urlsplit(raw_target)
    return ApiRequest(
        method.upper(),
        unquote(parts.path) or "/",
        dict(parse_qsl(parts.query, keep_blank_values=True)),
        {name.lower(): value for name, value in headers.items()},
        raw_target,
        body,
    )


class Core:
    """State, faults, rate limiter and request log; ``respond`` answers one request."""

    def __init__(
        self,
        state: EmulatorState,
        faults: Faults,
        limiter: RateLimiter,
        on_reset: Callable[[bool], None],
        clock: Callable[[], float] = time.monotonic,
        response_limiter: ResponseLimiter | None = None,
    ) -> None:
        self.clock = clock
        self.state = state
        self.faults = faults
        self.limiter = limiter
        self.response_limiter = response_limiter or ResponseLimiter(clock=clock)
        self.log = RequestLog()
        self._on_reset = on_reset

    def secrets(self) -> list[str]:
        with self.state.lock:
            known = [self.state.key, *self.state.tokens]
        return [*known, *self.state.oauth2.secrets()]

    def respond(self, request: ApiRequest, sleep: Sleep = time.sleep) -> ApiReply:
        if request.path.startswith("/_emulator/"):
            return self._control(request)
        started = self.clock()
        if self.faults.latency_s > 0:
            sleep(self.faults.latency_s)
        reply = self._answer(request)
        fault = reply.fault.kind if reply.fault else None
        status = None if fault in ("timeout", "drop") else reply.status
        span = (started, self.clock())
        self.log.add(record(request, status, fault, self.secrets(), span))
        logger.debug("%s %s -> %s", request.method, redact(request.path, self.secrets()), status)
        return reply

    def _answer(self, request: ApiRequest) -> ApiReply:
        members = is_members_route(request.path)
        injection = self.faults.take(members)
        if injection is not None and injection.kind == "storm":
            body = STORM_BODIES[injection.storm_kind]
            reply = json_reply(body, 429)
            reply.headers = self.limiter.headers(0, 0)
            if members:
                reply.headers.update(self.limiter.member_headers(0))
            wait = injection.seconds if injection.retry_after is None else injection.retry_after
            if wait > 0:
                reply.headers["retry-after"] = retry_after(wait)
            return reply
        if injection is not None and injection.kind == "server_error":
            return text_reply(injection.status, SERVER_ERRORS[injection.status])
        if injection is not None and injection.kind in ("timeout", "drop"):
            return ApiReply(0, b"", fault=Fault(injection.kind, injection.seconds))
        reply = self._route(request)
        if injection is not None and injection.kind == "truncate":
            reply.fault = Fault("truncate", honest_length=injection.honest_length)
        return reply

    def _route(self, request: ApiRequest) -> ApiReply:
        found = credentials(request)
        headers = self.limiter.headers(self.limiter.limits.token_max, self.limiter.limits.key_max)
        try:
            if routes_oauth2.is_oauth2_path(self.state.oauth2, request.path):
                return routes_oauth2.respond(self.state, request)
            if not request.path.startswith("/1/"):
                raise ApiError(404, NOT_FOUND)
            if routes_oauth.is_oauth_path(request.path):  # signed per OAuth 1.0a, not key+token
                return routes_oauth.respond(self.state, request)
            caller = authenticate(self.state, request)
            admission = self.limiter.admit(found.key, found.token, request.path)
            headers = admission.headers
            if admission.refused is not None:
                reply = json_reply(admission.refused, 429)
            elif self.faults.refuses(request.path):
                reply = text_reply(403, FORBIDDEN)
            else:
                payload = dispatch(Context(self.state, request, caller))
                refusal = self.response_limiter.check(found.token, request.path, payload)
                if refusal is None:
                    reply = json_reply(payload)
                else:
                    status, body, extra = refusal
                    reply = json_reply(body, status)
                    headers = {**headers, **extra}
        except ApiError as error:
            reply = text_reply(error.status, error.text)
        except Exception as error:  # noqa: BLE001 (a bug in the emulator: a 500, no traceback)
            logger.error("emulator route failed: %s", type(error).__name__)
            reply = text_reply(500, "trellolens emulator: internal error")
        reply.headers.update(headers)
        return reply

    def _control(self, request: ApiRequest) -> ApiReply:
        if request.path == "/_emulator/reset" and request.method == "POST":
            self._on_reset(request.query.get("boards", "").lower() in ("1", "true"))
            return json_reply({"reset": True})
        if request.path == "/_emulator/requests" and request.method == "GET":
            items = self.log.snapshot()
            return json_reply({"count": len(items), "requests": [r.public() for r in items]})
        return text_reply(404, NOT_FOUND)


def httpx_handler(core: Core) -> Callable[[httpx.Request], httpx.Response]:
    """A function for ``httpx.MockTransport``: faults become httpx's own exceptions."""

    def handle(request: httpx.Request) -> httpx.Response:
        raw_target = request.url.raw_path.decode("ascii")
        api_request = make_request(
            request.method, raw_target, dict(request.headers), request.read()
        )
        reply = core.respond(api_request)
        if reply.fault is not None and reply.fault.kind == "timeout":
            raise httpx.ReadTimeout("trellolens emulator: injected timeout", request=request)
        if reply.fault is not None and reply.fault.kind == "drop":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        body = reply.body
        if reply.fault is not None and reply.fault.kind == "truncate":
            body = body[: len(body) // 2]
        headers = {"content-type": reply.content_type, **reply.headers}
        return httpx.Response(reply.status, headers=headers, content=body, request=request)

    return handle
