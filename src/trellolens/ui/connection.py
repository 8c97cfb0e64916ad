"""``TrelloConnection``: ``st.connection("trello", type=TrelloConnection)`` for Streamlit apps.

Credentials come from, strongest first: keyword arguments to ``st.connection`` (``api_key=``,
``token=``; better not: Streamlit hashes them into its cache key), this connection's own ``[connections.<name>]`` table when it
holds both an ``api_key`` and a ``token``, else the trellolens credentials resolver (``[trello]``
tables, environment, AWS). ``base_url`` may be set the same ways, else ``TRELLO_API_BASE_URL``.

The connection is process-wide (one pooled client). Each use re-reads the credentials, which is
cheap, and rebuilds the client when they changed (a rotated token, a new secrets file), so a
replaced token is never used a minute longer than it is configured.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from typing import Any

from streamlit.connections import BaseConnection

from trellolens.board import Board
from trellolens.credentials import Secret, TrelloCredentials, resolve_credentials
from trellolens.trello import BoardSummary, TokenInfo, TrelloClient
from trellolens.trello.client import base_url_from_environment, check_base_url
from trellolens.trello.history import Progress


def _secret(value: object) -> Secret | None:
    if isinstance(value, Secret):
        return value if value else None
    if isinstance(value, str) and value.strip():
        return Secret(value.strip())
    return None


class TrelloConnection(BaseConnection[TrelloClient]):
    """A Streamlit connection to Trello; its methods mirror ``TrelloClient``'s."""

    _lock = threading.Lock()

    def _settings(self) -> Mapping[str, Any]:
        merged: dict[str, Any] = {}
        with contextlib.suppress(FileNotFoundError):  # no secrets file anywhere
            merged.update(self._secrets.to_dict())
        merged.update({k: v for k, v in self._kwargs.items() if v is not None})
        return merged

    def credentials(self) -> TrelloCredentials:
        """The credentials in force now (see the module docstring for the order)."""
        settings = self._settings()
        api_key, token = _secret(settings.get("api_key")), _secret(settings.get("token"))
        if api_key is not None and token is not None:
            return TrelloCredentials(api_key=api_key, token=token)
        return resolve_credentials()

    def _base_url(self) -> str:
        configured = self._settings().get("base_url")
        return (
            configured
            if isinstance(configured, str) and configured
            else base_url_from_environment()
        )

    def _connect(self, **kwargs: Any) -> TrelloClient:
        return TrelloClient.from_credentials(self.credentials(), base_url=self._base_url())

    @property
    def client(self) -> TrelloClient:
        """The client for the credentials configured now; raises ``CredentialsError`` if none."""
        credentials = self.credentials()
        wanted = (
            check_base_url(self._base_url()),
            credentials.api_key.fingerprint(),
            credentials.token.fingerprint(),
        )
        with self._lock:
            current = self._instance
            if wanted != (current.base_url, current.key_fingerprint, current.token_fingerprint):
                current.close()
                self.reset()
                current = self._instance
            return current

    @property
    def token_fingerprint(self) -> str:
        """Identifies the token in cache keys without revealing it."""
        return self.client.token_fingerprint

    def boards(self) -> list[BoardSummary]:
        return self.client.boards()

    def board_snapshot(
        self, board_id: str, *, max_actions: int | None = None, progress: Progress | None = None
    ) -> Board:
        return self.client.board_snapshot(board_id, max_actions=max_actions, progress=progress)

    def token_info(self) -> TokenInfo:
        return self.client.token_info()

    def close(self) -> None:
        if self._raw_instance is not None:
            self._raw_instance.close()

    def __repr__(self) -> str:
        return f"TrelloConnection(name={self._connection_name!r})"
