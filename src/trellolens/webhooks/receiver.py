"""The webhook receiver: a small Starlette app that Trello calls when a board changes.

``HEAD`` (Trello's check when a webhook is created) answers 200. A ``POST`` is accepted only if
``X-Trello-Webhook`` signs its raw body for the configured callback URL, its action is recent
(``MAX_AGE``) and it names a board; then ``on_change(board id)`` runs once per action (a bump of
the board's version in Redis: every replica's next rerun loads the board again). Anything else is
refused with a status and one log line, and changes nothing.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from trellolens.credentials import Secret
from trellolens.webhooks.body import BodyRefused, bounded_body
from trellolens.webhooks.signature import signature_matches

log = logging.getLogger("trellolens.webhooks")

MAX_BODY_BYTES = 1_000_000
BODY_SECONDS = 5.0
"""A body must have fully arrived this long after the headers (Trello's are small and fast)."""
MAX_AGE = timedelta(minutes=10)
"""Older actions are refused as stale (Trello retries a failed delivery for a few minutes)."""
MAX_SKEW = timedelta(minutes=5)
"""Actions dated this far in the future are refused too."""
SEEN_ACTIONS = 10_000
_BOARD_ID = re.compile(r"[0-9a-f]{24}")


class _Seen:
    """Action ids already handled (a retried or replayed delivery runs ``on_change`` once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, action_id: str) -> bool:
        with self._lock:
            if action_id in self._ids:
                return False
            self._ids[action_id] = None
            while len(self._ids) > SEEN_ACTIONS:
                self._ids.popitem(last=False)
            return True


def _board_id(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    action = payload.get("action")
    data = action.get("data") if isinstance(action, dict) else None
    board = data.get("board") if isinstance(data, dict) else None
    model = payload.get("model")
    for found in (board, model):
        candidate = found.get("id") if isinstance(found, dict) else None
        if isinstance(candidate, str) and _BOARD_ID.fullmatch(candidate):
            return candidate
    return None


def _action_date(payload: dict[str, Any]) -> datetime | None:
    action = payload.get("action")
    raw = action.get("date") if isinstance(action, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def receiver_app(
    api_secret: Secret,
    callback_url: str,
    on_change: Callable[[str], object],
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Starlette:
    """The ASGI app answering at ``callback_url``'s path (Trello signs with the whole URL)."""
    path = urlsplit(callback_url).path or "/"
    seen = _Seen()

    def refuse(status: int, why: str) -> PlainTextResponse:
        log.warning("webhook delivery refused: %s", why)
        # Closing the connection stops the server reading (and discarding) the rest of a body.
        return PlainTextResponse(why, status_code=status, headers={"Connection": "close"})

    async def webhook(request: Request) -> PlainTextResponse:
        if request.method in ("HEAD", "GET"):
            return PlainTextResponse("ok")
        body = await bounded_body(request, MAX_BODY_BYTES, BODY_SECONDS)
        if isinstance(body, BodyRefused):
            return refuse(body.status, body.why)
        header = request.headers.get("x-trello-webhook")
        if not header:
            return refuse(401, "unsigned (no X-Trello-Webhook header)")
        if not signature_matches(api_secret, body, callback_url, header):
            return refuse(401, "the signature does not match this body and callback URL")
        try:
            payload = json.loads(body)
        except ValueError:
            return refuse(400, "the body is not JSON")
        board_id = _board_id(payload)
        moment = _action_date(payload) if isinstance(payload, dict) else None
        if board_id is None or moment is None:
            return refuse(400, "no board id or action date")
        current = now()
        if moment < current - MAX_AGE or moment > current + MAX_SKEW:
            return refuse(400, "stale (the action is too old or in the future)")
        action_id = str(payload["action"].get("id") or "")
        if seen.first_time(f"{board_id}:{action_id}:{moment.isoformat()}"):
            on_change(board_id)
            log.info("board %s changed (webhook)", board_id)
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(path, webhook, methods=["HEAD", "GET", "POST"])])
