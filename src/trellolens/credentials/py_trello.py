"""py-trello compatibility: a ``TrelloClient`` built from resolved credentials."""

from __future__ import annotations

from typing import Any

from trellolens.credentials.model import TrelloCredentials
from trellolens.credentials.settings import default_resolver
from trellolens.errors import CredentialsError

INSTALL_HINT = 'py-trello is not installed: pip install "trellolens[py-trello]" (py-trello==0.20.1)'


def py_trello_client(credentials: TrelloCredentials | None = None) -> Any:
    """``trello.TrelloClient(api_key=..., api_secret=..., token=...)`` for code written for py-trello.

    ``credentials`` default to the process's resolver. Note that py-trello sends the key and token
    as query parameters; trellolens' own client sends them in the Authorization header instead.
    """
    try:
        from trello import TrelloClient
    except ImportError:
        raise CredentialsError(INSTALL_HINT) from None
    creds = default_resolver().resolve() if credentials is None else credentials
    return TrelloClient(
        api_key=creds.api_key.reveal(),
        api_secret=None if creds.api_secret is None else creds.api_secret.reveal(),
        token=creds.token.reveal(),
    )
