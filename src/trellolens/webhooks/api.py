"""Register, list and delete Trello webhooks for this token (``read`` scope is enough)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from trellolens.errors import TrelloError, WebhookError
from trellolens.trello import TrelloClient

_ID = re.compile(r"[0-9a-f]{24}")


@dataclass(frozen=True)
class WebhookInfo:
    id: str
    board_id: str
    callback_url: str
    description: str
    active: bool


def _info(raw: Any) -> WebhookInfo:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise TrelloError("Trello answered with something that is not a webhook")
    return WebhookInfo(
        raw["id"],
        str(raw.get("idModel") or ""),
        str(raw.get("callbackURL") or ""),
        str(raw.get("description") or ""),
        bool(raw.get("active", True)),
    )


def check_callback_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (
        parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
    ):
        raise WebhookError(
            "--callback must be an https:// URL Trello can reach (http:// only to 127.0.0.1)"
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise WebhookError("--callback must not hold a user, password, query or fragment")
    return url


def check_id(value: str, name: str) -> str:
    if not _ID.fullmatch(value):
        raise WebhookError(f"{name} must be 24 hex digits, like 5a1b2c3d4e5f60718293a4b5")
    return value


def register_webhook(
    client: TrelloClient, board_id: str, callback_url: str, description: str = "trellolens"
) -> WebhookInfo:
    """Trello checks the callback with a HEAD request first: run the receiver before this."""
    params = {
        "idModel": check_id(board_id, "the board id"),
        "callbackURL": check_callback_url(callback_url),
        "description": description,
    }
    return _info(client.call("POST", "webhooks", params, f"a webhook for board {board_id}"))


def list_webhooks(client: TrelloClient) -> list[WebhookInfo]:
    payload = client.call("GET", "tokens/{token}/webhooks", {}, "this token's webhooks")
    if not isinstance(payload, list):
        raise TrelloError("Trello answered with something that is not a list of webhooks")
    return [_info(raw) for raw in payload]


def delete_webhook(client: TrelloClient, webhook_id: str) -> None:
    check_id(webhook_id, "the webhook id")
    client.call("DELETE", f"webhooks/{webhook_id}", {}, f"webhook {webhook_id}")
