"""``TrelloConnection``: ``st.connection("trello", type=TrelloConnection)`` for Streamlit apps.

    import streamlit as st
    from trellolens import TrelloConnection

    conn = st.connection("trello", type=TrelloConnection)
    for board in conn.boards():
        st.text(board.name)

Each key (``api_key``, ``api_secret``, ``token`` or its alias ``oauth_token``; for OAuth 2.0
``client_id``, ``client_secret`` and ``refresh_token``) comes from, strongest first: keyword
arguments to ``st.connection`` (better not: Streamlit hashes them into its cache
key), this connection's own ``[connections.<name>]`` table, then the trellolens resolver (``[trello]``
tables, environment, ``.env``, AWS). ``base_url`` may be set the same ways, else the app's
settings (``app_settings()``: ``[trellolens] api_base_url`` of ``st.secrets``, then
``TRELLO_API_BASE_URL``), else Trello's own API.

The connection is process-wide (one pooled client). ``boards()``, ``board_snapshot()`` and
``token_info()`` go through the process's ``BoardService`` (``board_service()``, which the
dashboard uses too): cached per token fingerprint with one TTL policy (never keyed by a value),
each board loaded once however many callers want it, and shared through Redis when the app's
settings name one (``[trellolens] redis_url``, else ``TRELLOLENS_REDIS_URL``); ``conn.client`` asks Trello every time. Each use re-reads the credentials, which is
cheap, and rebuilds the client when they changed (a rotated token, a new secrets file), so a
replaced token is never used a minute longer than it is configured.

With OAuth 2.0 the client sends ``Authorization: Bearer`` only, refreshing the access token before
it expires and once on a 401 (one ``TokenManager`` per grant in the process); each rotated refresh
token is saved back where it was found (the secrets file holding ``[connections.<name>]``, say).
Caches are keyed by the grant (client id and store), so a refresh keeps them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.connections import BaseConnection

from trellolens.board import Board
from trellolens.credentials import OAuth2Credentials, Secret, TrelloCredentials, default_resolver
from trellolens.credentials.model import (
    API_KEY,
    API_SECRET,
    CLIENT_ID,
    CLIENT_SECRET,
    OAUTH2,
    OAUTH2_KEYS,
    REFRESH_TOKEN,
    REQUIRED_KEYS,
    TOKEN,
    complete,
    scheme_of,
)
from trellolens.credentials.resolver import missing_message, nothing_configured_message
from trellolens.credentials.sources.secrets_file import read_secrets_file
from trellolens.credentials.sources.streamlit_secrets import configured_files, read_keys
from trellolens.errors import ConfigError, CredentialsError, MissingCredentialsError
from trellolens.service import BOARD_LIST_TTL_SECONDS as BOARD_LIST_TTL_SECONDS
from trellolens.service import BOARD_TTL_SECONDS as BOARD_TTL_SECONDS
from trellolens.service import TOKEN_INFO_TTL_SECONDS as TOKEN_INFO_TTL_SECONDS
from trellolens.service import BoardService, Callbacks
from trellolens.settings import SECRETS_TABLE, Settings
from trellolens.trello import BoardSummary, TokenInfo, TrelloClient
from trellolens.trello.client import check_base_url
from trellolens.trello.clients import AnyCredentials, client_for, identity_of
from trellolens.trello.history import Progress
from trellolens.trello.oauth2_store import store_for

BASE_URL = "base_url"


def secrets_table() -> Mapping[str, Any] | None:
    """``[trellolens]`` of ``st.secrets``; None without a secrets file or the table."""
    try:
        table = st.secrets.to_dict().get(SECRETS_TABLE)
    except FileNotFoundError:  # no secrets file anywhere
        return None
    return table if isinstance(table, Mapping) else None


def app_settings(table: Mapping[str, Any] | None = None) -> Settings:
    """The app's settings now: ``[trellolens]`` of ``st.secrets`` (``table`` when the caller
    has read it already), then the environment; the ones ``trellolens doctor`` checks.

    Made per call (the secrets file may change while the app runs); each field is read when a
    page, the gate, the connection or the board service first asks for it."""
    return Settings(secrets_table() if table is None else table)


@st.cache_resource(show_spinner=False)
def board_service() -> BoardService:
    """The process's ``BoardService``: every ``TrelloConnection`` and the dashboard share it.
    Its Redis is the app's settings' when a board is asked for (``app_settings``)."""
    return BoardService(settings=app_settings)


class TrelloConnection(BaseConnection[TrelloClient]):
    """A Streamlit connection to Trello; its methods mirror trellolens' ``TrelloClient``.

    Values never show: ``repr(conn)`` names the connection only, and errors name keys and
    places (``[connections.trello]``, ``TRELLO_API_KEY``), never a value.
    """

    _lock = threading.Lock()

    def _table(self) -> dict[str, Any]:
        """``[connections.<name>]`` of ``st.secrets`` (which AppTest's ``at.secrets`` replaces)."""
        import streamlit as st

        with contextlib.suppress(FileNotFoundError):  # no secrets file anywhere
            connections = st.secrets.to_dict().get("connections")
            table = (
                connections.get(self._connection_name) if isinstance(connections, dict) else None
            )
            if isinstance(table, dict):
                return dict(table)
        return {}

    def _own(self) -> tuple[dict[str, Secret], dict[str, str]]:
        """Keys from ``[connections.<name>]`` and keyword arguments (these win), with origins."""
        values: dict[str, Secret] = {}
        origins: dict[str, str] = {}
        read_keys(self._table(), f"[connections.{self._connection_name}]", values, origins)
        given = {
            name: value.reveal() if isinstance(value, Secret) else value
            for name, value in self._kwargs.items()
            if value is not None and name != BASE_URL
        }
        read_keys(
            given, f"st.connection({self._connection_name!r}) keyword arguments", values, origins
        )
        return values, origins

    def provenance(self) -> dict[str, str]:
        """Where each key in force comes from, such as ``token in [connections.trello]``.

        Names only, never values; raises ``CredentialsError`` when a required key is missing.
        """
        return self._resolve()[1]

    def credentials(self) -> AnyCredentials:
        """The credentials in force now: ``TrelloCredentials`` (key + token) or
        ``OAuth2Credentials``. ``MissingCredentialsError`` names what is missing and every place
        looked, ``CredentialsError`` a broken source (bad TOML, an open file mode)."""
        return self._resolve()[0]

    def _resolve(self) -> tuple[AnyCredentials, dict[str, str]]:
        values, origins = self._own()
        sources = dict.fromkeys(values, f"st.connection({self._connection_name!r})")
        if not complete(values):
            resolution = default_resolver().check()
            if resolution.errors:
                raise CredentialsError(resolution.errors[0])
            sources = {**resolution.provenance, **sources}
            origins = {**resolution.origins, **origins}
            values = {**resolution.values, **values}
            required = OAUTH2_KEYS if scheme_of(values) == OAUTH2 else REQUIRED_KEYS
            missing = tuple(key for key in required if key not in values)
            if missing:
                message = (
                    nothing_configured_message(resolution.profile)
                    if not values and resolution.nothing_configured
                    else self._missing_message(resolution.profile, missing, resolution.looked())
                )
                raise MissingCredentialsError(message, missing)
        if scheme_of(values) == OAUTH2:
            source, origin = sources[REFRESH_TOKEN], origins[REFRESH_TOKEN]
            if source.startswith("st.connection"):
                source, origin = self._refresh_token_file(values[REFRESH_TOKEN], origin)
            oauth2 = OAuth2Credentials(
                client_id=values[CLIENT_ID],
                client_secret=values[CLIENT_SECRET],
                refresh_token=values[REFRESH_TOKEN],
                refresh_source=source,
                refresh_origin=origin,
            )
            try:
                store_for(oauth2)  # a rotated refresh token must have somewhere to go
            except ConfigError as exc:
                raise CredentialsError(str(exc)) from None
            return oauth2, origins
        credentials = TrelloCredentials(
            api_key=values[API_KEY], token=values[TOKEN], api_secret=values.get(API_SECRET)
        )
        return credentials, origins

    def _refresh_token_file(self, token: Secret, origin: str) -> tuple[str, str]:
        """Where ``[connections.<name>]``'s refresh token lives on disk, so a rotated one goes
        back there: the strongest of Streamlit's secrets files whose table holds the same one
        (or, when none does, the strongest table holding any, as after another replica's
        refresh). Otherwise the table came without a file (``st.App(secrets=...)``)."""
        name = self._connection_name
        holding: list[tuple[Any, bool]] = []
        for path in configured_files():
            with contextlib.suppress(CredentialsError, OSError):
                data = read_secrets_file(path) if path.is_file() else {}
                connections = data.get("connections")
                table = connections.get(name) if isinstance(connections, dict) else None
                value = table.get(REFRESH_TOKEN) if isinstance(table, dict) else None
                if isinstance(value, str) and value.strip():
                    holding.append((path, value.strip() == token.reveal()))
        same = [path for path, equal in holding if equal]
        chosen = (same or [path for path, _ in holding])[-1:]
        if chosen:
            return "streamlit", f"refresh_token in [connections.{name}] of {chosen[0]}"
        return "st.connection", origin

    def _missing_message(self, profile: str, missing: tuple[str, ...], looked: list[str]) -> str:
        name = self._connection_name
        own = (
            f"st.connection({name!r}) (keyword arguments, then [connections.{name}] of st.secrets)"
        )
        return missing_message(profile, missing, [own, *looked])

    def _base_url(self) -> str:
        configured = self._kwargs.get(BASE_URL) or self._table().get(BASE_URL)
        if isinstance(configured, str) and configured.strip():
            return configured.strip()
        return app_settings().api_base_url  # [trellolens] or TRELLO_API_BASE_URL, else Trello's

    def _connect(self, **kwargs: Any) -> TrelloClient:
        credentials = self.credentials()
        client = client_for(credentials, base_url=self._base_url(), settings=app_settings())
        self._built_for = (client.base_url, *identity_of(credentials))
        return client

    @property
    def client(self) -> TrelloClient:
        """The client for the credentials configured now; raises ``CredentialsError`` if none.

        OAuth 2.0: a new refresh token (every refresh rotates it) keeps the client; a new client
        secret or another place for the refresh token builds a new one."""
        credentials = self.credentials()
        wanted = (check_base_url(self._base_url()), *identity_of(credentials))
        with self._lock:
            current = self._instance
            if wanted != getattr(self, "_built_for", None):
                current.close()
                self.reset()
                current = self._instance
            return current

    @property
    def token_fingerprint(self) -> str:
        """Identifies the token (in cache keys, say) without revealing it: 12 hex digits."""
        return self.client.token_fingerprint

    def boards(self) -> list[BoardSummary]:
        """The open boards the token's member can see (id, name, url, last activity).

        Kept ``BOARD_LIST_TTL_SECONDS`` per token (by fingerprint); ``conn.client.boards()`` asks
        now.
        """
        return board_service().boards(self.client)

    def board_snapshot(
        self, board_id: str, *, max_actions: int | None = None, progress: Progress | None = None
    ) -> Board:
        """One board with its lists, cards, labels, members, checklists and card history.

        ``max_actions`` caps the history read (newest first); ``progress`` is called as pages of
        history arrive. Kept ``BOARD_TTL_SECONDS`` per token (by fingerprint), board and
        ``max_actions``, and shared with every process through Redis when
        ``TRELLOLENS_REDIS_URL`` is set (a webhook's new version is loaded again): every caller
        gets the same ``Board``, so do not change it.
        """
        watch = Callbacks(on_progress=progress).watch
        service = board_service()
        return service.board(self.client, board_id, max_actions=max_actions, watch=watch).board

    def token_info(self) -> TokenInfo:
        """What Trello says about the token: its member, scopes, expiry and date of creation.

        Kept ``TOKEN_INFO_TTL_SECONDS`` per token (by fingerprint).
        """
        return board_service().token_info(self.client)

    def close(self) -> None:
        """Close the client's connection pool; the next use opens a new one."""
        if self._raw_instance is not None:
            self._raw_instance.close()

    def __repr__(self) -> str:
        return f"TrelloConnection(name={self._connection_name!r})"
