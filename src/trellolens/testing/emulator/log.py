"""The request log: what each request asked and got, with every key and token value redacted.

``raw_target`` keeps the path and query exactly as received (it is what a test inspects to prove
a client never put a credential in a URL); it is left out of reprs and never logged.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from trellolens.testing.emulator.auth import redact_authorization
from trellolens.testing.emulator.messages import ApiRequest

REDACTED = "<redacted>"
_SECRET_QUERY = frozenset({"key", "token", "oauth_token", "oauth_consumer_key", "oauth_signature"})
_SECRET_HEADER_WORDS = ("token", "key", "secret", "cookie", "signature")


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int | None  # None when no response was sent (timeout, dropped connection)
    raw_target: str = field(repr=False)
    fault: str | None = None
    credentials_in_url: bool = False
    #: When the emulator began and finished answering (its clock, ``time.monotonic`` by default).
    started: float = field(default=0.0, compare=False)
    finished: float = field(default=0.0, compare=False)

    def public(self) -> dict[str, Any]:
        """What ``GET /_emulator/requests`` shows: no raw target, no credential."""
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "fault": self.fault,
            "credentials_in_url": self.credentials_in_url,
        }


_TOKEN_PATH = re.compile(r"(/tokens/)[^/?#\s]+")


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without the given secrets, nor any token in a ``/tokens/{token}`` path."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _TOKEN_PATH.sub(rf"\g<1>{REDACTED}", text)


def record(
    request: ApiRequest,
    status: int | None,
    fault: str | None,
    secrets: Iterable[str],
    span: tuple[float, float] = (0.0, 0.0),
) -> RecordedRequest:
    known = [s for s in secrets if s]
    query = {
        name: REDACTED if name in _SECRET_QUERY else redact(value, known)
        for name, value in request.query.items()
    }
    headers = {}
    for name, value in request.headers.items():
        if name == "authorization":
            headers[name] = redact_authorization(value)
        elif any(word in name for word in _SECRET_HEADER_WORDS):
            headers[name] = REDACTED
        else:
            headers[name] = redact(value, known)
    in_url = any(secret in request.raw_target for secret in known) or bool(
        {"key", "token"} & set(request.query)
    )
    return RecordedRequest(
        request.method,
        redact(request.path, known),
        query,
        headers,
        status,
        request.raw_target,
        fault,
        in_url,
        *span,
    )


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def add(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
