"""Errors carry their context, as httpx's do: timeouts, network failures and Trello's 5xx are
apart (all still ``TrelloUnavailableError``); every HTTP error has its method, status and path
(never the query, the token in ``/1/tokens/...`` masked); a rate-limit error says when to retry;
and the message is still one line with no value and no path in it."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers.canaries import CANARY_TOKEN, assert_no_canary
from tests.trello.mock_trello import make_client, replies
from trellolens.errors import (
    NotFoundError,
    RateLimitedError,
    TrelloError,
    TrelloNetworkError,
    TrelloServerError,
    TrelloTimeoutError,
    TrelloUnavailableError,
)

BOARD_ID = "b" * 24


def one_line(error: TrelloError) -> str:
    message = str(error)
    assert "\n" not in message
    assert_no_canary(message + repr(error))
    assert "/1/" not in message  # the path is an attribute, not part of the line
    return message


@pytest.mark.parametrize(
    ("answer", "kind", "status"),
    [
        (httpx.Response(503, text="down"), TrelloServerError, 503),
        (httpx.Response(500, text="oops"), TrelloServerError, 500),
        (httpx.ReadTimeout("slow"), TrelloTimeoutError, None),
        (httpx.ConnectTimeout("slow"), TrelloTimeoutError, None),
        (httpx.ConnectError("refused"), TrelloNetworkError, None),
        (httpx.RemoteProtocolError("cut"), TrelloNetworkError, None),
        (httpx.Response(200, text='{"id": "cut'), TrelloNetworkError, 200),
    ],
)
def test_unavailable_trello_says_which_kind_and_where(
    answer: httpx.Response | Exception, kind: type[TrelloUnavailableError], status: int | None
) -> None:
    handler, seen = replies(answer)
    with make_client(handler) as client, pytest.raises(kind) as caught:
        client.board_snapshot(BOARD_ID)
    error = caught.value
    assert isinstance(error, TrelloUnavailableError)  # the base class still catches all three
    assert (error.method, error.path, error.status) == ("GET", f"/1/boards/{BOARD_ID}", status)
    assert seen[0].url.query  # the request had a query...
    assert "?" not in (error.path or "")  # ...which the error never holds
    assert "Trello is unavailable" in one_line(error)


def test_a_4xx_error_has_its_status_and_path() -> None:
    handler, _ = replies(httpx.Response(404, text="The requested resource was not found."))
    with make_client(handler) as client, pytest.raises(NotFoundError) as caught:
        client.board_snapshot(BOARD_ID)
    assert (caught.value.status, caught.value.path) == (404, f"/1/boards/{BOARD_ID}")
    one_line(caught.value)


def test_the_token_in_a_token_path_is_masked() -> None:
    handler, seen = replies(httpx.Response(404, text="not found"))
    with make_client(handler) as client, pytest.raises(NotFoundError) as caught:
        client.token_info()
    assert CANARY_TOKEN in seen[0].url.path  # Trello's API puts it there...
    assert caught.value.path == "/1/tokens/[REDACTED]"  # ...the error does not
    one_line(caught.value)


def test_a_rate_limit_error_says_when_to_retry() -> None:
    limited = httpx.Response(
        429, json={"error": "API_TOKEN_LIMIT_EXCEEDED"}, headers={"retry-after": "0.01"}
    )
    handler, _ = replies(limited)
    with make_client(handler) as client, pytest.raises(RateLimitedError) as caught:
        client.board_snapshot(BOARD_ID)
    assert caught.value.retry_after == pytest.approx(0.01)
    assert (caught.value.status, caught.value.path) == (429, f"/1/boards/{BOARD_ID}")
    one_line(caught.value)


def test_errors_made_without_an_exchange_have_no_context() -> None:
    error = TrelloServerError("Trello is unavailable")
    assert (error.method, error.path, error.status) == (None, None, None)
    assert RateLimitedError("limited").retry_after is None
