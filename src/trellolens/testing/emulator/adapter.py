"""Point py-trello (which hard-codes Trello's address) at the emulator via its ``http_service``."""

from __future__ import annotations

from typing import Any

from trellolens.credentials.py_trello import TRELLO_API, redirecting_session

__all__ = ["TRELLO_API", "requests_adapter"]


def requests_adapter(base_url: str) -> Any:
    """A ``requests.Session`` that sends ``https://api.trello.com/1/...`` to ``base_url``.

    Use it as ``TrelloClient(key, token=..., http_service=requests_adapter(base_url))``, or let
    ``trellolens.py_trello_client()`` do it for you from ``TRELLO_API_BASE_URL``.
    """
    return redirecting_session(base_url)
