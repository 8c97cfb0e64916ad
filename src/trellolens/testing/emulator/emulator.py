"""``TrelloEmulator``: Trello's REST API over in-memory boards, as an httpx handler or a server."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx

from trellolens.testing.emulator.faults import Faults
from trellolens.testing.emulator.handler import Core, httpx_handler
from trellolens.testing.emulator.log import RecordedRequest
from trellolens.testing.emulator.oauth2 import OAuth2State
from trellolens.testing.emulator.rate_limits import RateLimiter, RateLimits
from trellolens.testing.emulator.response_limits import ResponseLimiter, ResponseLimits
from trellolens.testing.emulator.state import (
    BoardSource,
    EmulatorState,
    MemberInfo,
    TokenSpec,
    made_up_token,
    random_id,
)
from trellolens.testing.emulator.webhooks import WebhookRegistry

_MEMBER_SINCE = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)


class TrelloEmulator:
    """A stateful Trello API emulator. Key and tokens are test credentials it makes up or is given.

    ``emulator.handler`` plugs into ``httpx.MockTransport``; ``with emulator.serve() as base_url``
    runs a real threaded HTTP server on 127.0.0.1. See docs/emulator.md for what it covers.
    ``clock`` (``time.monotonic``) drives rate-limit windows, timed storms and the request log's
    ``started``/``finished`` times; tests pass a fake one to move time without sleeping.
    ``response_limits`` turns on the response-size and database-time refusals (off by default).
    ``allowed_origins``: the key's allowed callback origins for OAuth (default: loopback ones).
    """

    def __init__(
        self,
        boards: Iterable[BoardSource] = (),
        key: str | None = None,
        tokens: Iterable[TokenSpec] | None = None,
        member_id: str | None = None,
        latency_ms: float = 0,
        seed: int = 0,
        rate_limits: RateLimits | None = None,
        member_name: str = "Emulator User",
        username: str = "emulator",
        clock: Callable[[], float] = time.monotonic,
        response_limits: ResponseLimits | None = None,
        api_secret: str | None = None,
        allowed_origins: Iterable[str] | None = None,
    ) -> None:
        rng = random.Random(seed)
        self.key = key or f"{rng.getrandbits(128):032x}"
        self.api_secret = api_secret or f"{rng.getrandbits(256):064x}"
        """The app's OAuth 1.0a consumer secret (signs /1/OAuthGet* requests)."""
        specs = (
            list(tokens)
            if tokens is not None
            else [TokenSpec(made_up_token(rng.getrandbits), scopes=("read",))]
        )
        owner = MemberInfo(member_id or random_id(rng, _MEMBER_SINCE), username, member_name)
        self._state = EmulatorState(self.key, owner, self.api_secret)
        if allowed_origins is not None:
            self._state.oauth.allowed_origins = tuple(allowed_origins)
        for spec in specs:
            self._state.add_token(spec)
        for source in boards:
            self._state.add_board(source)
        self._initial_tokens = specs
        self._initial_boards = dict(self._state.boards)
        self.faults = Faults(latency_ms, clock)
        self.rate_limits = rate_limits or RateLimits()
        self._limiter = RateLimiter(self.rate_limits, clock)
        self._response_limiter = ResponseLimiter(response_limits, clock)
        self._initial_response_limits = self._response_limiter.limits
        self._core = Core(
            self._state,
            self.faults,
            self._limiter,
            self._reset_from_control,
            clock,
            self._response_limiter,
        )
        self.handler: Callable[[httpx.Request], httpx.Response] = httpx_handler(self._core)

    def __repr__(self) -> str:
        return f"<TrelloEmulator boards={len(self._state.boards)} requests={self.request_count}>"

    # -- state -----------------------------------------------------------------------------

    @property
    def member_id(self) -> str:
        return self._state.owner.id

    @property
    def tokens(self) -> list[str]:
        """Every token the emulator knows (revoked ones too). Test credentials, not secrets."""
        with self._state.lock:
            return list(self._state.tokens)

    @property
    def token(self) -> str:
        """The first token given (or made up)."""
        return self._initial_tokens[0].token if self._initial_tokens else ""

    @property
    def response_limits(self) -> ResponseLimits:
        return self._response_limiter.limits

    @response_limits.setter
    def response_limits(self, limits: ResponseLimits) -> None:
        """Change the size and database-time thresholds; takes effect with the next request."""
        self._response_limiter.limits = limits

    @property
    def derived_short_links(self) -> dict[str, str]:
        """Board and card ids whose ``shortLink`` the emulator made up (the export had none), with
        the made-up value: the last 8 hex digits of the id, which real Trello would never send."""
        with self._state.lock:
            found: dict[str, str] = {}
            for board in self._state.boards.values():
                found.update(board.derived_short_links)
            return found

    @property
    def board_ids(self) -> list[str]:
        with self._state.lock:
            return list(self._state.boards)

    @property
    def oauth_callbacks(self) -> list[str]:
        """The callback URL of every request token in flight (what Trello would redirect to)."""
        with self._state.oauth.lock:
            return [pending.callback for pending in self._state.oauth.pending.values()]

    @property
    def oauth_secrets(self) -> list[str]:
        """Every OAuth request-token and token secret issued so far (test values, for canaries)."""
        with self._state.oauth.lock:
            return list(self._state.oauth.issued_secrets)

    @property
    def oauth2(self) -> OAuth2State:
        """The OAuth 2.0 authorization server: ``register_client``, ``access_token_ttl``,
        ``auto_approve_member``, ``revoke_all()``, ``reuse_detections`` (docs/emulator.md)."""
        return self._state.oauth2

    def add_board(self, board: BoardSource, member_ids: Iterable[str] = ()) -> str:
        """Serve another board (the emulator's member and ``member_ids`` may read it)."""
        return self._state.add_board(board, member_ids)

    def add_board_of(self, board: BoardSource, member_id: str) -> str:
        """Serve a board that only ``member_id`` may read (not the emulator's member)."""
        board_id = self._state.add_board(board, (member_id,))
        with self._state.lock:
            self._state.boards[board_id].access.discard(self._state.owner.id)
        return board_id

    def add_token(self, spec: TokenSpec) -> None:
        self._state.add_token(spec)

    @property
    def webhooks(self) -> WebhookRegistry:
        """Registered webhooks and every delivery attempt (``wait_idle`` waits for them)."""
        return self._state.webhooks

    def revoke_token(self, token: str) -> None:
        if not self._state.revoke(token):
            raise KeyError("the emulator knows no such token")

    # -- requests --------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every /1 request so far, in order (a copy; thread-safe)."""
        return self._core.log.snapshot()

    @property
    def request_count(self) -> int:
        return len(self._core.log)

    def reset(self, boards: bool = False) -> None:
        """Clear the request log, faults and rate-limit windows, and restore the response limits
        given to the constructor; ``boards=True`` also restores
        the boards and tokens given to the constructor (undoing revocations and additions)."""
        self._core.log.clear()
        self._state.webhooks.clear()
        self.faults.clear()
        self._limiter.reset()
        self._response_limiter.reset()
        self._response_limiter.limits = self._initial_response_limits
        if boards:
            state = self._state
            with state.lock:
                state.boards.clear()
                state.short_links.clear()
                state.tokens.clear()
                for data in self._initial_boards.values():
                    state.add_built(data)
                for spec in self._initial_tokens:
                    state.add_token(spec)

    def _reset_from_control(self, boards: bool) -> None:
        self.reset(boards=boards)

    # -- serving ---------------------------------------------------------------------------

    @contextmanager
    def serve(self, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
        """Run a real threaded HTTP server; yields its base URL, e.g. http://127.0.0.1:PORT/1."""
        from trellolens.testing.emulator.server import EmulatorServer

        server = EmulatorServer(self._core, host, port)
        server.start()
        try:
            yield server.base_url
        finally:
            self._state.webhooks.stop()
            server.stop()
