"""``TrelloClient``: boards, a whole board in one request (plus paged history), and tokens.

    from trellolens.trello import TrelloClient
    with TrelloClient.from_credentials(resolve_credentials()) as trello:
        board = trello.board_snapshot("5a1b...")

Key and token travel in the ``Authorization`` header (``auth.py``), never in a URL, except that
``token_info()``/``revoke_token()`` must name the token in the path (``/1/tokens/{token}``), which
is how Trello's API is made: that path is never put in a message and is redacted from httpx's log.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from trellolens.board.action_types import CARD_CREATION_TYPES
from trellolens.credentials import Secret, TrelloCredentials
from trellolens.credentials.redaction import install_httpx_filter
from trellolens.errors import ResponseTooLargeError, TrelloError
from trellolens.settings.urls import BASE_URL_VARIABLE as BASE_URL_VARIABLE
from trellolens.settings.urls import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from trellolens.settings.urls import check_base_url as check_base_url
from trellolens.shared.cache_token import BOARD_CACHE_PURPOSE, CacheToken
from trellolens.trello.auth import TrelloAuth
from trellolens.trello.history import ACTIONS_PAGE, Progress, malformed
from trellolens.trello.models import BoardSummary, TokenInfo, board_summaries, token_info
from trellolens.trello.rate_limit import (
    MEMBER_LIMIT,
    PROCESS_WINDOWS,
    Limiter,
    Notice,
    RateLimiter,
    WindowRegistry,
)
from trellolens.trello.requester import Params, Requester, RetryPolicy
from trellolens.trello.snapshot import Snapshot, board_params

if TYPE_CHECKING:
    from trellolens.board import Board
    from trellolens.board.changes import BoardChanges
    from trellolens.settings import Settings
    from trellolens.trello.oauth2 import BearerAuth

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=10.0)
DEFAULT_DEADLINE = 120.0
"""Seconds any public call may take in all, retries and waits for the rate limit included."""
MEMBERS_DEADLINE = MEMBER_LIMIT[1] + DEFAULT_DEADLINE
"""The default deadline of ``boards()``: long enough to wait out Trello's 15-minute window on
``/1/members`` once, rather than fail while it is used up."""
SPLIT_DEADLINE = 600.0
"""The default deadline of a board loaded in parts, from when Trello refused it in one piece."""
CARD_HISTORY_TYPES: tuple[str, ...] = (
    *CARD_CREATION_TYPES,
    "moveCardFromBoard",
    "updateCard",
    "deleteCard",
    "commentCard",
    "addMemberToCard",
    "removeMemberFromCard",
    "addLabelToCard",  # blocked time (metrics)
    "removeLabelFromCard",
    "addChecklistToCard",
    "removeChecklistFromCard",
    "updateCheckItemStateOnCard",
    "addAttachmentToCard",
    "deleteAttachmentFromCard",
)
"""The action types that make up a card's history (moves, archiving, comments, members...)."""
BOARD_LIST_FIELDS = "name,closed,url,dateLastActivity"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _legacy_auth(api_key: Secret | None, token: Secret | None) -> TrelloAuth:
    if api_key is None or token is None:
        raise TypeError("TrelloClient needs api_key and token, or auth=BearerAuth(...)")
    return TrelloAuth(api_key, token)


class TrelloClient:
    """Reads boards from Trello's REST API; thread-safe, one connection pool per client.

    ``transport`` replaces the network (``httpx.MockTransport(emulator.handler)`` in tests);
    ``registry`` replaces the process-wide rate-limit windows (for isolated tests); ``clock``
    and ``sleep`` replace the time (give the registry the same clock). Without ``timeout`` or
    ``retry``, ``DEFAULT_TIMEOUT`` here and ``requester.DEFAULT_RETRY`` apply. ``settings``
    (default: ``Settings()``, the environment's) gives the API's address unless ``base_url`` is
    given, and the Redis that shares the rate-limit windows between replicas.
    """

    def __init__(
        self,
        api_key: Secret | None = None,
        token: Secret | None = None,
        *,
        auth: BearerAuth | None = None,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | None = None,
        deadline: float = DEFAULT_DEADLINE,
        retry: RetryPolicy | None = None,
        registry: WindowRegistry = PROCESS_WINDOWS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        settings: Settings | None = None,
    ) -> None:
        install_httpx_filter()
        timeout = timeout or DEFAULT_TIMEOUT  # read now, so tests may set the module's default
        if settings is None:
            from trellolens.settings import Settings

            settings = Settings()
        self.base_url = check_base_url(base_url or settings.api_base_url)
        self.deadline = deadline
        self._token = token
        self._bearer = auth
        chosen = auth or _legacy_auth(api_key, token)  # or OAuth 2.0's Bearer (trello/oauth2.py)
        self._signing_secret = auth.manager.signing_secret if auth else token
        self.key_fingerprint = chosen.key_fingerprint
        self.token_fingerprint = chosen.token_fingerprint
        self._http = httpx.Client(
            base_url=self.base_url + "/",
            auth=chosen,
            transport=transport,
            timeout=timeout,
            headers={"Accept": "application/json"},
            follow_redirects=False,
            trust_env=False,
        )
        local = RateLimiter(chosen.key_fingerprint, chosen.token_fingerprint, registry, sleep)
        limiter: Limiter = local
        if registry is PROCESS_WINDOWS:  # with Redis: windows shared by every replica
            from trellolens.trello.shared_rate_limit import shared_limiter

            limiter = shared_limiter(local, sleep, clock, settings.redis_url) or local
        self._limiter = limiter
        self._clock = clock
        self._requester = Requester(self._http, limiter, retry, timeout, clock=clock, sleep=sleep)

    @classmethod
    def from_credentials(cls, credentials: TrelloCredentials, **options: Any) -> TrelloClient:
        return cls(credentials.api_key, credentials.token, **options)

    @property
    def cache_token(self) -> CacheToken:
        """This token's name and signing key for shared board-cache entries (never its value)."""
        assert self._signing_secret is not None  # _legacy_auth refused a client without a token
        key = self._signing_secret.derived_key(BOARD_CACHE_PURPOSE)
        return CacheToken(self.token_fingerprint, key)

    @property
    def requests_sent(self) -> int:
        """HTTP requests this client has sent, retries included."""
        return self._requester.requests_sent

    def _get(
        self, path: str, params: Params, what: str, deadline: float, notice: Notice | None = None
    ) -> Any:
        return self._requester.json(
            "GET", path, params, what=what, deadline=deadline, notice=notice
        )

    def _deadline(self, seconds: float | None, default: float | None = None) -> float:
        fallback = self.deadline if default is None else default
        return self._clock() + (fallback if seconds is None else seconds)

    def boards(
        self, *, deadline: float | None = None, notice: Notice | None = None
    ) -> list[BoardSummary]:
        """The boards of the token's member (open and archived), most recently active first.

        Trello allows 100 requests per 15 minutes to ``/1/members``: when they are used up, this
        waits (telling ``notice`` in one line first) rather than fails, within ``deadline``
        (by default ``MEMBERS_DEADLINE``, or the client's deadline if that is longer).
        """
        payload = self._get(
            "members/me/boards",
            {"filter": "all", "fields": BOARD_LIST_FIELDS},
            "the list of your boards",
            self._deadline(deadline, max(self.deadline, MEMBERS_DEADLINE)),
            notice,
        )
        summaries = board_summaries(payload)
        newest_first = sorted(summaries, key=lambda b: b.date_last_activity or _EPOCH, reverse=True)
        return sorted(newest_first, key=lambda b: b.closed)

    def board_snapshot(
        self,
        board_id: str,
        *,
        max_actions: int | None = None,
        progress: Progress | None = None,
        action_types: Sequence[str] = CARD_HISTORY_TYPES,
        deadline: float | None = None,
        notice: Notice | None = None,
    ) -> Board:
        """The whole board (lists, cards, labels, members, checklists, open and archived) and its
        card history, newest first, up to ``max_actions`` actions (all of them by default).

        One request for the board with its newest 1000 actions nested; then, only if that page
        was full, pages of 1000 older actions until none are left. If Trello refuses the one
        request as too large or too costly, the board comes in parts (``split_board``), each
        announced to ``notice``; ``progress`` counts history actions either way.
        """
        until = self._deadline(deadline)
        split_until = until
        if deadline is None:  # in parts, many requests: the default grows to SPLIT_DEADLINE
            split_until = max(until, self._deadline(max(self.deadline, SPLIT_DEADLINE)))
        first = min(ACTIONS_PAGE, max_actions) if max_actions is not None else ACTIONS_PAGE
        return Snapshot(
            get=self._get,
            limiter=self._limiter,
            board_path=f"boards/{_segment(board_id, 'board id')}",
            board_id=board_id,
            types=",".join(action_types),
            first_page=first,
            max_actions=max_actions,
            until=until,
            split_until=split_until,
            progress=progress,
            notice=notice,
        ).run()

    def board_changes(
        self,
        board_id: str,
        since: str,
        *,
        action_types: Sequence[str] = CARD_HISTORY_TYPES,
        deadline: float | None = None,
        notice: Notice | None = None,
    ) -> BoardChanges | None:
        """The board's current state (as ``board_snapshot`` has it) and only the history actions
        since ``since`` (an ISO date), in one request; merge it with ``merge_changes``.

        None when that does not suffice: a full page of new actions (there may be more: a gap),
        or Trello refusing the request as too large. Then load the board whole.
        """
        from trellolens.board.changes import BoardChanges
        from trellolens.board.export_file import parse_board

        board_path = f"boards/{_segment(board_id, 'board id')}"
        params = board_params(",".join(action_types), ACTIONS_PAGE)
        params["actions_since"] = since
        try:
            payload = self._get(
                board_path, params, f"board {board_id}", self._deadline(deadline), notice
            )
        except ResponseTooLargeError:
            return None
        if not isinstance(payload, dict):
            raise malformed("$", "expected a board object")
        actions = payload.get("actions") or []
        if not isinstance(actions, list):
            raise malformed("$.actions", "expected an array")
        if len(actions) >= ACTIONS_PAGE:
            return None
        return BoardChanges(since, parse_board(payload, f"Trello board {board_id}"))

    def board_last_activity(self, board_id: str, *, deadline: float | None = None) -> str | None:
        """When the board last changed (``/1/boards/{id}/dateLastActivity``): one small request
        that proves this token may read the board (a refusal raises, as for a snapshot)."""
        payload = self._get(
            f"boards/{_segment(board_id, 'board id')}/dateLastActivity",
            {},
            f"board {board_id}",
            self._deadline(deadline),
        )
        value = payload.get("_value") if isinstance(payload, dict) else None
        return value if isinstance(value, str) else None

    @property
    def scheme(self) -> str:
        """``oauth2`` (a Bearer access token that refreshes) or ``legacy`` (key and token)."""
        return "legacy" if self._bearer is None else "oauth2"

    @property
    def sign_in_problem(self) -> str | None:
        """OAuth 2.0: the one line saying the refresh token was refused (sign in again), while
        it is; None otherwise (and for a legacy token)."""
        problem = None if self._bearer is None else self._bearer.manager.sign_in_problem
        return None if problem is None else str(problem)

    def token_info(self, *, deadline: float | None = None) -> TokenInfo:
        """Who the token belongs to, when it expires and what it may do (``/1/tokens/{token}``).

        OAuth 2.0 has no such path: the member is ``/1/members/me``'s, the scopes and expiry
        are the access token's as the auth server granted them (refreshed first if due)."""
        if self._bearer is not None:
            return self._oauth2_token_info(deadline)
        payload = self._get(
            self._token_path(), {}, "this token's details", self._deadline(deadline)
        )
        return token_info(payload)

    def _oauth2_token_info(self, deadline: float | None) -> TokenInfo:
        manager = self._bearer.manager if self._bearer is not None else None
        assert manager is not None
        member = self._get(
            "members/me", {"fields": "id"}, "the token's member", self._deadline(deadline)
        )
        access = manager.current
        member_id = member.get("id") if isinstance(member, dict) else None
        return TokenInfo(
            identifier="",
            member_id=member_id if isinstance(member_id, str) else "",
            created=None,
            expires=None if access is None else datetime.fromtimestamp(access.expires_at, UTC),
            granted=() if access is None else access.scope,
            oauth2=True,
        )

    def revoke_token(self, *, deadline: float | None = None) -> None:
        """Revoke the token at Trello: it stops working everywhere, for good."""
        self._requester.json(
            "DELETE",
            self._token_path(),
            {},
            what="this token (to revoke it)",
            deadline=self._deadline(deadline),
        )

    def call(
        self, method: str, path: str, params: Params, what: str, *, deadline: float | None = None
    ) -> Any:
        """One request under ``/1`` (``{token}`` in ``path`` stands for this token's segment),
        through the rate limits and retries; the decoded JSON answer."""
        if "{token}" in path:
            path = path.replace("{token}", quote(self._legacy_token().reveal(), safe=""))
        return self._requester.json(
            method, path, params, what=what, deadline=self._deadline(deadline)
        )

    def _token_path(self) -> str:
        return f"tokens/{quote(self._legacy_token().reveal(), safe='')}"

    def _legacy_token(self) -> Secret:
        if self._token is None:
            raise TrelloError("/1/tokens/{token} needs a legacy token; OAuth 2.0 has none to name")
        return self._token

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TrelloClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TrelloClient(base_url={self.base_url!r}, token=<fingerprint {self.token_fingerprint}>)"


def _segment(value: str, name: str) -> str:
    if not value or not value.isalnum() or not value.isascii():
        raise TrelloError(f"{name} must be letters and digits, like 5a1b2c3d4e5f60718293a4b5")
    return value
