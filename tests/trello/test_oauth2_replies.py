"""How the token manager reads the auth server's answers (through httpx's transport seam)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from tests.helpers.canaries import assert_no_canary
from trellolens.credentials import Secret
from trellolens.errors import CredentialsError, TrelloError, TrelloUnavailableError
from trellolens.trello.oauth2 import TokenManager
from trellolens.trello.oauth2_store import Checkpoint, MemoryStore

REFRESH = "ATTACANARYREFRESH0001"
SECRET = "ATTACANARYCLIENTSECRET01"
Handler = Callable[[httpx.Request], httpx.Response]


def manager(handler: Handler, store: MemoryStore | None = None) -> TokenManager:
    return TokenManager(
        Secret("client"),
        Secret(SECRET),
        store or MemoryStore(Secret(REFRESH)),
        auth_base_url="https://auth.example.test",
        transport=httpx.MockTransport(handler),
        shared=False,
    )


def answer(status: int, payload: object) -> Handler:
    return lambda request: httpx.Response(status, json=payload)


@pytest.mark.parametrize(
    ("handler", "error", "text"),
    [
        (answer(503, {}), TrelloUnavailableError, "answered 503"),
        (answer(429, {}), TrelloUnavailableError, "answered 429"),
        (answer(418, {"error": "teapot"}), TrelloError, "answered 418 (teapot)"),
        (answer(400, ["not", "an", "object"]), TrelloError, "(no error code)"),
        (answer(401, {"error": "invalid_client"}), CredentialsError, "refused the client_id"),
        (answer(200, {"token_type": "Bearer"}), TrelloError, "without an access token"),
    ],
)
def test_each_answer_is_one_line_without_a_value(
    handler: Handler, error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")) as raised:
        manager(handler).access_token()
    assert "\n" not in str(raised.value)
    assert_no_canary(str(raised.value), REFRESH, SECRET)


def test_an_unreachable_server_is_named_by_host() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(TrelloUnavailableError, match=r"at auth\.example\.test \(ConnectError\)"):
        manager(refuse).access_token()


def test_the_refresh_is_a_form_post_to_the_token_endpoint() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "A1", "expires_in": 3600})

    store = MemoryStore(Secret(REFRESH))
    assert manager(record, store).access_token().reveal() == "A1"
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/oauth/token")
    assert REFRESH not in str(request.url)
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form["grant_type"] == "refresh_token"
    assert form["refresh_token"] == REFRESH
    assert store.read() == Secret(REFRESH)  # no new refresh token sent: the old one stays


class FlakyStore(MemoryStore):
    """Refuses the first write, as an AWS outage would."""

    def __init__(self, token: Secret) -> None:
        super().__init__(token)
        self.failures = 1

    def write(self, new: Secret, checkpoint: Checkpoint = lambda step: None) -> None:
        if self.failures:
            self.failures -= 1
            raise CredentialsError("store unavailable")
        super().write(new, checkpoint)


def test_a_rotated_token_the_store_refused_is_kept_and_saved_first_next_time() -> None:
    issued = iter(["R2", "R3"])
    presented: list[str] = []

    def rotate(request: httpx.Request) -> httpx.Response:
        presented.append(dict(httpx.QueryParams(request.content.decode()))["refresh_token"])
        payload = {"access_token": "A", "expires_in": 0, "refresh_token": next(issued)}
        return httpx.Response(200, content=json.dumps(payload))

    store = FlakyStore(Secret("R1"))
    tokens = manager(rotate, store)
    with pytest.raises(CredentialsError, match="store unavailable"):
        tokens.access_token()
    assert store.read() == Secret("R1")
    tokens.access_token()  # saves R2 first, then spends it (never R1 again)
    assert presented == ["R1", "R2"]
    assert store.read() == Secret("R3")
