"""Talking to Trello: a pooled, rate-limited, retrying client that keeps credentials out of URLs."""

from __future__ import annotations

from trellolens.errors import (
    ConfigError,
    InvalidKeyError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ResponseTooLargeError,
    TrelloError,
    TrelloUnavailableError,
)
from trellolens.trello.auth import TrelloAuth
from trellolens.trello.client import (
    BASE_URL_VARIABLE,
    CARD_HISTORY_TYPES,
    DEFAULT_BASE_URL,
    TrelloClient,
)
from trellolens.trello.models import BoardSummary, TokenInfo, TokenPermission
from trellolens.trello.rate_limit import PROCESS_WINDOWS, WindowRegistry
from trellolens.trello.requester import RetryPolicy

__all__ = [
    "BASE_URL_VARIABLE",
    "CARD_HISTORY_TYPES",
    "DEFAULT_BASE_URL",
    "PROCESS_WINDOWS",
    "BoardSummary",
    "ConfigError",
    "InvalidKeyError",
    "InvalidTokenError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "TokenInfo",
    "TokenPermission",
    "TrelloAuth",
    "TrelloClient",
    "TrelloError",
    "TrelloUnavailableError",
    "WindowRegistry",
]
