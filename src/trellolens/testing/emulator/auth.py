"""Who is asking: key and token from the Authorization header or the query, checked like Trello.

OAuth 1.0 signed headers (as py-trello sends through requests_oauthlib) are read for their
``oauth_consumer_key`` and ``oauth_token``; signatures are NOT verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote

from trellolens.testing.emulator.messages import UNAUTHORIZED, ApiError, ApiRequest
from trellolens.testing.emulator.state import EmulatorState, TokenState

_PARAM = re.compile(r'([A-Za-z_]+)\s*=\s*"([^"]*)"')
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Credentials:
    key: str
    token: str


@dataclass(frozen=True)
class Caller:
    key: str
    token: str
    member_id: str
    token_state: TokenState


def credentials(request: ApiRequest) -> Credentials:
    header = request.headers.get("authorization", "")
    if header[:6].lower() == "oauth ":
        params = {name: unquote(value) for name, value in _PARAM.findall(header[6:])}
        key = params.get("oauth_consumer_key", "")
        token = params.get("oauth_token", "")
        if key or token:
            return Credentials(key, token)
    return Credentials(request.query.get("key", ""), request.query.get("token", ""))


def redact_authorization(header: str) -> str:
    """The header with every quoted value replaced, so the log can show its shape."""
    return _PARAM.sub(lambda m: f'{m.group(1)}="<redacted>"', header)


def authenticate(state: EmulatorState, request: ApiRequest, now: datetime | None = None) -> Caller:
    """The caller, or ApiError(401) with Trello's body: invalid key/token, expired token..."""
    found = credentials(request)
    if not found.key and not found.token:
        raise ApiError(401, UNAUTHORIZED)
    if found.key != state.key:
        raise ApiError(401, "invalid key")
    if not found.token:
        raise ApiError(401, UNAUTHORIZED)
    with state.lock:
        token = state.tokens.get(found.token)
    if token is None or token.revoked:
        raise ApiError(401, "invalid token")
    if token.expired(now or datetime.now(UTC)):
        raise ApiError(401, "expired token")
    caller = Caller(found.key, found.token, token.member_id, token)
    if request.method.upper() not in READ_METHODS and not _may_write(caller, request):
        raise ApiError(401, UNAUTHORIZED)
    return caller


def _may_write(caller: Caller, request: ApiRequest) -> bool:
    if "write" in caller.token_state.spec.scopes:
        return True
    path = request.path.rstrip("/")
    if path == "/1/webhooks" or path.startswith("/1/webhooks/"):
        return True  # webhooks need read access to their model only
    # Any token may revoke itself (DELETE /1/tokens/{its own value}).
    return request.method.upper() == "DELETE" and request.path.rstrip("/") == (
        f"/1/tokens/{caller.token}"
    )
