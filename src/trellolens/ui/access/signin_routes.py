"""The HTTP side of Sign in with Trello, mounted by the ``st.App`` entry points.

``BrowserCookieMiddleware`` gives each browser a random id in an HttpOnly, SameSite=Lax cookie on
the first page it loads; a sign-in started in that browser's session is bound to it, and the
websocket of every later tab of the same browser carries it too. Scripts cannot read it.

``callback`` is where Trello sends the approving browser (the callback URL comes from
configuration: ``public_url``). It records the verifier only when the browser cookie matches the
one the sign-in was started with, then redirects (303) to the Connect page with one word saying
what happened, so ``oauth_verifier`` is never kept in the tab's history.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trellolens.ui.access.public_url import CALLBACK_PATH
from trellolens.ui.access.signin_callbacks import CALLBACKS

BROWSER_COOKIE = "trellolens_browser"
BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{32,64}")
BROWSER_COOKIE_MAX_AGE = 30 * 86400
CONNECT_PATH = "/connect"
OUTCOME_PARAM = "signin"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def browser_cookie_header(value: str, *, secure: bool) -> bytes:
    attributes = f"; Max-Age={BROWSER_COOKIE_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax"
    return f"{BROWSER_COOKIE}={value}{attributes}{'; Secure' if secure else ''}".encode()


def cookie_from_header(header: str | None) -> str | None:
    """The browser id in a ``Cookie`` header (the first one when sent twice), else None."""
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == BROWSER_COOKIE and BROWSER_ID.fullmatch(value):
            return value
    return None


class BrowserCookieMiddleware:
    """Sets the browser cookie on an HTML page's response when the request did not bring one.

    A page the browser revalidates (``304 Not Modified``, no content type) gets it too, so a
    browser whose cookie was cleared while the page stayed cached is not stuck without one.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        cookie = headers.get(b"cookie", b"").decode("latin-1")
        if cookie_from_header(cookie) is not None:
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https" or headers.get(b"x-forwarded-proto") == b"https"
        navigation = b"text/html" in headers.get(b"accept", b"")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and (
                _is_html(message) or (navigation and message.get("status") == 304)
            ):
                value = secrets.token_urlsafe(32)
                extra = (b"set-cookie", browser_cookie_header(value, secure=secure))
                message = {**message, "headers": [*message.get("headers", []), extra]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _is_html(message: Message) -> bool:
    for name, value in message.get("headers", []):
        if name.lower() == b"content-type":
            return bytes(value).lower().startswith(b"text/html")
    return False


async def callback(request: Request) -> Response:
    """Trello's redirect after the approve page: record the verifier for its own browser only."""
    params = request.query_params
    request_token = params.get("oauth_token", "")
    verifier = params.get("oauth_verifier") or None
    browser = cookie_from_header(request.headers.get("cookie"))
    outcome = CALLBACKS.arrive(request_token, verifier, browser) if request_token else "unknown"
    target = f"{request.scope.get('root_path', '')}{CONNECT_PATH}?{OUTCOME_PARAM}={outcome}"
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


def signin_routes() -> list[Any]:
    return [Route(CALLBACK_PATH, callback, methods=["GET"])]


def signin_middleware() -> list[Middleware]:
    return [Middleware(BrowserCookieMiddleware)]
