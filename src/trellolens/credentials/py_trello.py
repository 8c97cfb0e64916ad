"""py-trello compatibility: the tutorial's ``TrelloClient`` built from resolved credentials.

from trellolens import py_trello_client

client = py_trello_client()       # was: TrelloClient(api_key=st.secrets["trello"]["api_key"], ...)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trellolens.credentials.model import OAUTH2, TrelloCredentials
from trellolens.credentials.settings import default_resolver
from trellolens.errors import CredentialsError
from trellolens.settings import Settings
from trellolens.settings.urls import (
    DEFAULT_BASE_URL,
    check_base_url,
)

if TYPE_CHECKING:
    import requests

    from trello import TrelloClient

TRELLO_API = "https://api.trello.com/1"
"""The address py-trello hard-codes."""
INSTALL_HINT = 'py-trello is not installed: pip install "trellolens[py-trello]"'
NO_BEARER = (
    "py-trello signs every request with OAuth 1.0 (a key and a token) and cannot send an OAuth 2.0 "
    "Bearer token; for OAuth 2.0 credentials use trellolens.trello.oauth2_client()"
)


def redirecting_session(base_url: str) -> requests.Session:
    """A ``requests.Session`` that sends py-trello's ``https://api.trello.com/1/...`` to ``base_url``.

    Pass it as ``TrelloClient(..., http_service=redirecting_session(url))``. ``requests`` comes
    with py-trello; trellolens itself does not depend on it.
    """
    import requests

    target = base_url.rstrip("/")

    class _RedirectingSession(requests.Session):
        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
            text = url.decode() if isinstance(url, bytes) else url
            if text.startswith(TRELLO_API):
                text = target + text[len(TRELLO_API) :]
            verb = method.decode() if isinstance(method, bytes) else method
            return super().request(verb, text, *args, **kwargs)

    return _RedirectingSession()


def py_trello_client(
    credentials: TrelloCredentials | None = None, *, base_url: str | None = None
) -> TrelloClient:
    """py-trello's ``TrelloClient(api_key=..., api_secret=..., token=...)``, credentials resolved.

    ``credentials`` default to the process's resolver (``st.secrets``, environment, ``.env``,
    AWS); nothing configured is a ``MissingCredentialsError`` saying how to configure. Requests
    go to ``base_url``, else ``TRELLO_API_BASE_URL`` (the emulator, say), else Trello itself.
    py-trello signs each request with an OAuth 1 header holding the key and token, so OAuth 2.0
    credentials (a Bearer token) are a ``CredentialsError`` saying so in one line.
    """
    try:
        from trello import TrelloClient
    except ImportError:
        raise CredentialsError(INSTALL_HINT) from None
    if credentials is None:
        resolution = default_resolver().check()
        if resolution.scheme == OAUTH2 and not resolution.errors:
            raise CredentialsError(NO_BEARER)
        credentials = resolution.credentials()
    creds = credentials
    url = check_base_url(base_url or Settings().api_base_url)
    extra: dict[str, Any] = {}
    if url != DEFAULT_BASE_URL:
        extra["http_service"] = redirecting_session(url)
    client: TrelloClient = TrelloClient(
        api_key=creds.api_key.reveal(),
        api_secret=None if creds.api_secret is None else creds.api_secret.reveal(),
        token=creds.token.reveal(),
        **extra,
    )
    return client
