"""Trello's failures as typed errors: retried when that can help, never holding a credential."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from tests.trello.mock_trello import BASE_URL, make_client, replies
from trellolens.errors import (
    InvalidKeyError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ResponseTooLargeError,
    TrelloError,
    TrelloUnavailableError,
)
from trellolens.trello import RetryPolicy

TOKEN_LIMIT = {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
OK_BOARDS = httpx.Response(200, json=[])


def checked(error: TrelloError) -> str:
    message = str(error)
    assert "\n" not in message
    assert_no_canary(message + repr(error))
    assert "tokens/" not in message
    assert "http" not in message
    return message


@pytest.mark.parametrize(
    ("status", "body", "error", "advice"),
    [
        (401, "invalid key", InvalidKeyError, "replace `api_key`"),
        (401, "invalid token", InvalidTokenError, "create a new token"),
        (401, "expired token", InvalidTokenError, "has expired"),
        (401, "unauthorized permission requested", PermissionDeniedError, "read access"),
        (403, "forbidden", PermissionDeniedError, "read access"),
        (404, "The requested resource was not found.", NotFoundError, "check the id"),
        (400, "invalid id", NotFoundError, "check the id"),
        (400, "invalid value for fields", TrelloError, "HTTP 400"),
    ],
)
def test_4xx_is_one_typed_error_at_once(
    status: int, body: str, error: type[TrelloError], advice: str
) -> None:
    handler, seen = replies(httpx.Response(status, text=body))
    with make_client(handler) as client, pytest.raises(error) as caught:
        client.board_snapshot("b" * 24)
    assert advice in checked(caught.value)
    assert len(seen) == 1


def test_which_token_problem_is_told_apart() -> None:
    for body, reason in [("invalid token", "invalid"), ("expired token", "expired")]:
        handler, _ = replies(httpx.Response(401, text=body))
        with make_client(handler) as client, pytest.raises(InvalidTokenError) as caught:
            client.boards()
        assert caught.value.reason == reason


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, text="oops"),
        httpx.Response(503, text="busy"),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        httpx.Response(200, text='[{"id": "a", "na'),  # cut-off body
    ],
)
def test_transient_failures_are_retried_then_succeed(failure: httpx.Response | Exception) -> None:
    handler, seen = replies(failure, failure, OK_BOARDS)
    with make_client(handler) as client:
        assert client.boards() == []
    assert len(seen) == 3


def test_persistent_5xx_ends_in_unavailable_after_bounded_attempts() -> None:
    handler, seen = replies(httpx.Response(502, text="bad gateway"))
    with make_client(handler) as client, pytest.raises(TrelloUnavailableError) as caught:
        client.boards()
    assert "HTTP 502" in checked(caught.value)
    assert "after 4 attempts" in str(caught.value)
    assert len(seen) == 4


def test_revoking_is_not_retried_on_a_server_error() -> None:
    handler, seen = replies(httpx.Response(500, text="oops"))
    with make_client(handler) as client, pytest.raises(TrelloUnavailableError) as caught:
        client.revoke_token()
    checked(caught.value)
    assert len(seen) == 1


def test_429_backs_off_and_retries() -> None:
    handler, seen = replies(
        httpx.Response(429, json=TOKEN_LIMIT), httpx.Response(429, json=TOKEN_LIMIT), OK_BOARDS
    )
    with make_client(handler) as client:
        assert client.boards() == []
    assert len(seen) == 3


def test_endless_429_is_rate_limited_error() -> None:
    key_limit = {"error": "API_KEY_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}
    handler, seen = replies(httpx.Response(429, json=key_limit))
    with make_client(handler) as client, pytest.raises(RateLimitedError) as caught:
        client.boards()
    assert "API key" in checked(caught.value)
    assert len(seen) == RetryPolicy().rate_limited_attempts


def test_the_deadline_bounds_a_call_whatever_the_retry_policy() -> None:
    handler, _ = replies(httpx.Response(500, text="oops"))
    patient = RetryPolicy(attempts=1000, base_delay=0.05, max_delay=0.05)
    started = time.monotonic()
    with make_client(handler, retry=patient) as client, pytest.raises(TrelloUnavailableError):
        client.boards(deadline=0.5)
    assert time.monotonic() - started < 5


def test_the_deadline_bounds_waiting_for_the_rate_limit() -> None:
    handler, _ = replies(httpx.Response(429, json=TOKEN_LIMIT))
    slow = RetryPolicy(rate_limited_attempts=100, rate_limit_delay=5.0)
    started = time.monotonic()
    with make_client(handler, retry=slow) as client, pytest.raises(RateLimitedError) as caught:
        client.boards(deadline=1.0)
    checked(caught.value)
    assert time.monotonic() - started < 5


def test_no_credential_in_logs_even_for_the_token_endpoint(
    caplog: pytest.LogCaptureFixture,
) -> None:
    info = {"identifier": "x", "idMember": "m", "permissions": []}
    handler, _ = replies(httpx.Response(500), httpx.Response(200, json=info), OK_BOARDS)
    caplog.set_level(logging.DEBUG)
    with make_client(handler) as client:
        client.token_info()
        client.boards()
    assert f"{BASE_URL}/tokens/[REDACTED]" in caplog.text
    assert "members/me/boards" in caplog.text
    assert_no_canary(caplog.text)


def test_token_endpoint_errors_never_name_the_token() -> None:
    handler, _ = replies(httpx.Response(401, text="invalid token"))
    with make_client(handler) as client, pytest.raises(InvalidTokenError) as caught:
        client.token_info()
    assert "this token's details" in checked(caught.value)


def test_reprs_hold_no_credential() -> None:
    handler, _ = replies(OK_BOARDS)
    with make_client(handler) as client:
        assert_no_canary(repr(client) + repr(client._http.auth) + repr(vars(client)))
    assert CANARY_KEY not in repr(client)
    assert CANARY_TOKEN not in repr(client)


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        (403, "API_TOO_MANY_CARDS_REQUESTED", "size"),
        (400, "API_TOO_MANY_CARDS_REQUESTED", "size"),
        (429, "API_TOKEN_DB_LIMIT_EXCEEDED", "database"),
    ],
)
def test_size_and_database_refusals_are_read_from_the_body_whatever_the_status(
    status: int, code: str, reason: str
) -> None:
    refusal = httpx.Response(status, json={"error": code}, headers={"retry-after": "4"})
    handler, seen = replies(refusal)
    with make_client(handler) as client, pytest.raises(ResponseTooLargeError) as caught:
        client.boards()
    assert (caught.value.reason, caught.value.retry_after) == (reason, 4.0)
    assert len(seen) == 1  # not retried as it is: the caller asks for less
    checked(caught.value)


def test_an_error_code_that_is_not_trello_shaped_is_never_repeated() -> None:
    odd = {"error": "API_TOO_MANY_**[click](javascript:x)**", "message": "hi"}
    handler, _ = replies(httpx.Response(403, json=odd))
    with make_client(handler) as client, pytest.raises(PermissionDeniedError) as caught:
        client.boards()
    assert "click" not in checked(caught.value)


@pytest.mark.parametrize(
    "what",
    [
        "the list of your boards",
        "board 5a1b2c3d4e5f60718293a4b5",
        "the history of board 5a1b2c3d4e5f60718293a4b5",
        "this token's details",
        "this token (to revoke it)",
    ],
)
def test_a_not_found_message_reads_as_a_sentence(what: str) -> None:
    from trellolens.trello.responses import error_for

    message = str(error_for(404, b"", what))
    assert f"Trello could not find {what}, or the token's member cannot see it" in message
    assert "has no the" not in message
