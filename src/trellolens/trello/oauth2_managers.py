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
from trellolens.settings import Settings
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


def _key(
    credentials: OAuth2Credentials, store: RefreshTokenStore, settings: Settings
) -> tuple[str, str, str, str]:
    return (
        settings.auth_base_url,
        credentials.client_id.fingerprint(),
        credentials.client_secret.fingerprint(),
        store.identity,
    )


def manager_for(credentials: OAuth2Credentials, settings: Settings | None = None) -> TokenManager:
    """The process's manager for this grant (made on first use); a new client secret or auth
    server address makes a new one. ``ConfigError`` when the refresh token's place cannot take
    a rotated one (the environment, ``st.secrets`` given without a file). ``settings`` (default:
    the environment's) give the auth server and the Redis of the refresh lock."""
    settings = Settings() if settings is None else settings
    store = store_for(credentials)
    key = _key(credentials, store, settings)
    with _lock:
        manager = _managers.get(key)
        if manager is None:
            manager = TokenManager(
                credentials.client_id, credentials.client_secret, store, settings=settings
            )
            _managers[key] = manager
        return manager


def forget_managers() -> None:
    """Close and forget every manager (tests; a process that re-reads its whole configuration)."""
    with _lock:
        managers = list(_managers.values())
        _managers.clear()
    for manager in managers:
        manager.close()
