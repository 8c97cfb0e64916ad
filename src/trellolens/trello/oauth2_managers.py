"""One ``TokenManager`` per OAuth 2.0 grant in a process: every client of the grant shares it.

A grant is the client id and secret and the place the refresh token lives (its store), never
the refresh token itself: that rotates on every refresh, and the manager re-reads it from the
store under the refresh lock. So the dashboard, ``TrelloConnection`` and the CLI in one process
hold one access token and refresh it once, and ``grant_fingerprint`` (what caches are keyed by)
stays the same across refreshes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from trellolens.credentials import OAuth2Credentials, Secret
from trellolens.credentials.base_url import auth_base_url_from_environment
from trellolens.trello.oauth2 import TokenManager
from trellolens.trello.oauth2_store import store_for

if TYPE_CHECKING:
    from trellolens.trello.oauth2_store import RefreshTokenStore

_managers: dict[tuple[str, str, str, str], TokenManager] = {}
_lock = threading.Lock()


def grant_fingerprint(credentials: OAuth2Credentials) -> str:
    """12 hex digits naming the grant (client id and store): what a ``TokenManager`` reports as
    its ``identity_fingerprint``; unchanged when the refresh token rotates."""
    store = store_for(credentials)
    return Secret(f"{credentials.client_id.reveal()}|{store.identity}").fingerprint()


def _key(credentials: OAuth2Credentials, store: RefreshTokenStore) -> tuple[str, str, str, str]:
    return (
        auth_base_url_from_environment(),
        credentials.client_id.fingerprint(),
        credentials.client_secret.fingerprint(),
        store.identity,
    )


def manager_for(credentials: OAuth2Credentials) -> TokenManager:
    """The process's manager for this grant (made on first use); a new client secret or auth
    server address makes a new one. ``ConfigError`` when the refresh token's place cannot take
    a rotated one (the environment, ``st.secrets`` given without a file)."""
    store = store_for(credentials)
    key = _key(credentials, store)
    with _lock:
        manager = _managers.get(key)
        if manager is None:
            manager = TokenManager(credentials.client_id, credentials.client_secret, store)
            _managers[key] = manager
        return manager


def forget_managers() -> None:
    """Close and forget every manager (tests; a process that re-reads its whole configuration)."""
    with _lock:
        managers = list(_managers.values())
        _managers.clear()
    for manager in managers:
        manager.close()
