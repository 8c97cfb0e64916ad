"""A key or token that cannot go in the Authorization header is a clear CredentialsError at once."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN
from tests.trello.mock_trello import BASE_URL, replies
from trellolens.credentials import Secret
from trellolens.errors import CredentialsError
from trellolens.trello import TrelloClient, WindowRegistry

BAD_SPELLINGS = ["\r\n", "\n", '"', "\\", " ", "\t", "\x00", "\x7f", "é"]


def client(key: str, token: str, transport: httpx.BaseTransport) -> TrelloClient:
    return TrelloClient(
        Secret(key),
        Secret(token),
        base_url=BASE_URL,
        transport=transport,
        registry=WindowRegistry(),
    )


@pytest.mark.parametrize("bad", BAD_SPELLINGS)
@pytest.mark.parametrize("which", ["api_key", "token"])
def test_a_malformed_credential_is_named_and_never_shown(which: str, bad: str) -> None:
    handler, seen = replies(httpx.Response(200, json=[]))
    key = CANARY_KEY[:10] + bad + CANARY_KEY[10:] if which == "api_key" else CANARY_KEY
    token = CANARY_TOKEN[:10] + bad + CANARY_TOKEN[10:] if which == "token" else CANARY_TOKEN
    with pytest.raises(CredentialsError) as raised:
        client(key, token, httpx.MockTransport(handler)).boards()
    message = str(raised.value)
    assert message.startswith(f"the Trello {which} is empty or holds a character")
    assert f"check where the {which} is configured" in message
    assert "CANARY" not in message
    assert CANARY_KEY[:10] not in message
    assert "\n" not in message
    assert seen == []


def test_an_empty_token_is_named() -> None:
    with pytest.raises(CredentialsError, match=r"^the Trello token is empty"):
        client(CANARY_KEY, "", httpx.MockTransport(replies(httpx.Response(200))[0]))


def test_well_formed_credentials_go_in_the_header() -> None:
    handler, seen = replies(httpx.Response(200, json=[]))
    assert client(CANARY_KEY, CANARY_TOKEN, httpx.MockTransport(handler)).boards() == []
    assert CANARY_TOKEN in seen[0].headers["Authorization"]
