"""Point py-trello (which hard-codes Trello's address) at the emulator via its ``http_service``."""

from __future__ import annotations

from typing import Any

TRELLO_API = "https://api.trello.com/1"


def requests_adapter(base_url: str) -> Any:
    """A ``requests.Session`` that sends ``https://api.trello.com/1/...`` to ``base_url``.

    Use it as ``TrelloClient(key, token=..., http_service=requests_adapter(base_url))``.
    ``requests`` comes with py-trello; trellolens does not depend on it, so it is imported here.
    """
    import requests

    target = base_url.rstrip("/")

    class _RewritingSession(requests.Session):
        def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
            text = url.decode() if isinstance(url, bytes) else url
            if text.startswith(TRELLO_API):
                text = target + text[len(TRELLO_API) :]
            return super().request(method, text, *args, **kwargs)

    return _RewritingSession()
