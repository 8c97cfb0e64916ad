"""Talking to Trello: a pooled, rate-limited, retrying client that keeps credentials out of URLs.

Names load on first use, so importing a submodule (``trellolens.trello.models``, say) does not
pay for httpx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellolens.lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "BASE_URL_VARIABLE": "trellolens.settings.urls",
    "CARD_HISTORY_TYPES": "trellolens.trello.client",
    "DEFAULT_BASE_URL": "trellolens.settings.urls",
    "TrelloClient": "trellolens.trello.client",
    "PROCESS_WINDOWS": "trellolens.trello.rate_limit",
    "WindowRegistry": "trellolens.trello.rate_limit",
    "RetryPolicy": "trellolens.trello.requester",
    "TrelloAuth": "trellolens.trello.auth",
    "BearerAuth": "trellolens.trello.oauth2",
    "TokenManager": "trellolens.trello.oauth2",
    "oauth2_client": "trellolens.trello.oauth2",
    "SignInRequiredError": "trellolens.errors",
    "BoardSummary": "trellolens.trello.models",
    "TokenInfo": "trellolens.trello.models",
    "TokenPermission": "trellolens.trello.models",
    "ConfigError": "trellolens.errors",
    "InvalidKeyError": "trellolens.errors",
    "InvalidTokenError": "trellolens.errors",
    "NotFoundError": "trellolens.errors",
    "PermissionDeniedError": "trellolens.errors",
    "RateLimitedError": "trellolens.errors",
    "ResponseTooLargeError": "trellolens.errors",
    "TrelloError": "trellolens.errors",
    "TrelloUnavailableError": "trellolens.errors",
    "TrelloTimeoutError": "trellolens.errors",
    "TrelloNetworkError": "trellolens.errors",
    "TrelloServerError": "trellolens.errors",
}
"""Each public name and the module it lives in."""

__all__ = [
    "BASE_URL_VARIABLE",
    "CARD_HISTORY_TYPES",
    "DEFAULT_BASE_URL",
    "PROCESS_WINDOWS",
    "BearerAuth",
    "BoardSummary",
    "ConfigError",
    "InvalidKeyError",
    "InvalidTokenError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "SignInRequiredError",
    "TokenInfo",
    "TokenManager",
    "TokenPermission",
    "TrelloAuth",
    "TrelloClient",
    "TrelloError",
    "TrelloNetworkError",
    "TrelloServerError",
    "TrelloTimeoutError",
    "TrelloUnavailableError",
    "WindowRegistry",
    "oauth2_client",
]

if TYPE_CHECKING:
    from trellolens.errors import (
        ConfigError,
        InvalidKeyError,
        InvalidTokenError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitedError,
        ResponseTooLargeError,
        SignInRequiredError,
        TrelloError,
        TrelloNetworkError,
        TrelloServerError,
        TrelloTimeoutError,
        TrelloUnavailableError,
    )
    from trellolens.settings.urls import BASE_URL_VARIABLE, DEFAULT_BASE_URL
    from trellolens.trello.auth import TrelloAuth
    from trellolens.trello.client import CARD_HISTORY_TYPES, TrelloClient
    from trellolens.trello.models import BoardSummary, TokenInfo, TokenPermission
    from trellolens.trello.oauth2 import BearerAuth, TokenManager, oauth2_client
    from trellolens.trello.rate_limit import PROCESS_WINDOWS, WindowRegistry
    from trellolens.trello.requester import RetryPolicy


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
