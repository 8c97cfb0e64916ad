"""What the emulator's core reads and writes, free of httpx and http.server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"

NOT_FOUND = "The requested resource was not found."
CARD_NOT_FOUND = "Could not find the card"
"""Trello's text/plain 404 for an unknown card id (as quoted in public issues)."""
MODEL_NOT_FOUND = "model not found"
"""Trello's 404 for a member id or username it does not know."""
UNAUTHORIZED = "unauthorized permission requested"
FORBIDDEN = "forbidden"
"""The 403 of ``Faults.refuse_board``."""


@dataclass(frozen=True)
class ApiRequest:
    """One request: ``path`` decoded without the query; ``headers`` with lower-case names."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw_target: str = field(repr=False)
    body: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class Fault:
    """A failure the transport acts out instead of (or while) sending the reply."""

    kind: str  # "timeout", "drop" or "truncate"
    seconds: float = 0.0
    honest_length: bool = False


@dataclass
class ApiReply:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    fault: Fault | None = None


class ApiError(Exception):
    """Raised by a route: becomes a Trello-style error reply (text body, as Trello sends)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def json_reply(payload: Any, status: int = 200) -> ApiReply:
    return ApiReply(status, json.dumps(payload, separators=(",", ":")).encode())


def text_reply(status: int, text: str) -> ApiReply:
    return ApiReply(status, text.encode(), TEXT_TYPE)
