"""The HTTP side of the visitor's OAuth 2.0 sign-in: the callback route on the ``st.App``.

Trello sends the approving browser to ``/trellolens/oauth2/callback?code=...&state=...`` (the
redirect URI comes from configuration only). The route takes the sign-in ``state`` names, once,
only in the browser that started it (the browser cookie of ``signin_routes``), exchanges the
code with that sign-in's PKCE verifier, checks the grant, keeps the session server-side and
sets the session cookie: HttpOnly, SameSite=Lax, Secure off loopback, holding only the signed
session id. It answers with a 303 to the Connect page and one word for what happened, so the
code never stays in the tab's history. A script run cannot set an HttpOnly cookie; a route can.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from trellolens.connection import app_settings
from trellolens.errors import TrellolensError
from trellolens.loopback import is_loopback
from trellolens.service.visitor_oauth2 import SignInRefusedError
from trellolens.ui.access.oauth2_app import (
    OAUTH2_CALLBACK_PATH,
    app_address,
    session_cookie,
    visitor_oauth2,
)
from trellolens.ui.access.signin_routes import CONNECT_PATH, NO_STORE, OUTCOME_PARAM
from trellolens.ui.access.signin_routes import cookie_from_header as browser_from_header

log = logging.getLogger(__name__)


def _finish(params: dict[str, str], browser: str | None) -> tuple[str, str | None, int, bool]:
    """(outcome, cookie value, max age, secure) for one callback; runs in a worker thread."""
    settings = app_settings()
    app = visitor_oauth2(settings)
    if app is None:
        return "unknown", None, 0, False
    address = app_address(settings.public_url) or ""
    secure = not is_loopback(urlsplit(address).hostname or "")
    code = params.get("code") or None
    try:
        session_id = app.complete(params.get("state", ""), code, browser)
    except SignInRefusedError as refused:
        return refused.outcome, None, 0, secure
    session = app.session(session_id)
    if session is None:
        return "failed", None, 0, secure
    max_age = max(1, math.floor(session.expires_at - time.time()))
    return "approved", app.keys.sign(session_id), max_age, secure


async def oauth2_callback(request: Request) -> Response:
    params = {name: request.query_params.get(name, "") for name in ("code", "state", "error")}
    browser = browser_from_header(request.headers.get("cookie"))
    try:
        outcome, cookie, max_age, secure = await run_in_threadpool(_finish, params, browser)
    except TrellolensError as exc:  # a bad setting or an unreachable store: one line, logged
        log.warning("Sign in with Trello could not finish (%s)", type(exc).__name__)
        outcome, cookie, max_age, secure = "failed", None, 0, False
    target = f"{request.scope.get('root_path', '')}{CONNECT_PATH}?{OUTCOME_PARAM}={outcome}"
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    if cookie is not None:
        response.headers.append("set-cookie", session_cookie(cookie, max_age, secure=secure))
    return response


def oauth2_routes() -> list[Any]:
    return [Route(OAUTH2_CALLBACK_PATH, oauth2_callback, methods=["GET"])]
