"""A ``TrelloClient`` for whichever credentials are configured: legacy key + token, or OAuth 2.0.

    client = client_for(check_credentials().scheme_credentials())

OAuth 2.0 clients send only ``Authorization: Bearer``, from the process's one ``TokenManager``
for the grant (``trello.oauth2_managers``): refreshed before expiry and once on a 401, and
named in cache keys by the grant (``grant_fingerprint``), never by the short-lived access token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trellolens.credentials import OAuth2Credentials, Resolution, TrelloCredentials

if TYPE_CHECKING:
    from trellolens.trello import TrelloClient

AnyCredentials = TrelloCredentials | OAuth2Credentials
"""What a connection may be configured with."""


def credentials_of(resolution: Resolution) -> AnyCredentials:
    """The resolution's credentials in its scheme; a ``CredentialsError`` as the resolver says."""
    return resolution.oauth2() if resolution.scheme == "oauth2" else resolution.credentials()


def client_for(credentials: AnyCredentials, **options: Any) -> TrelloClient:
    """A client on ``credentials`` (``options`` as for ``TrelloClient``: base_url, deadline...)."""
    from trellolens.trello import TrelloClient

    if isinstance(credentials, OAuth2Credentials):
        from trellolens.trello.oauth2 import BearerAuth
        from trellolens.trello.oauth2_managers import manager_for

        return TrelloClient(
            auth=BearerAuth(manager_for(credentials, options.get("settings"))), **options
        )
    return TrelloClient.from_credentials(credentials, **options)


def identity_of(credentials: AnyCredentials) -> tuple[str, ...]:
    """What a client built on ``credentials`` stands for, by fingerprints only: when it changes,
    the client must be built again (a new token, a new client secret, another store)."""
    if isinstance(credentials, OAuth2Credentials):
        from trellolens.trello.oauth2_managers import grant_fingerprint

        return (
            "oauth2",
            credentials.client_id.fingerprint(),
            credentials.client_secret.fingerprint(),
            grant_fingerprint(credentials),
        )
    return ("legacy", credentials.api_key.fingerprint(), credentials.token.fingerprint())
