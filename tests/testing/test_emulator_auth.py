"""Auth outcomes like Trello's: header, OAuth 1 signed header, query; scopes, expiry, revocation."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import httpx
import oauthlib.oauth1
import pytest

from tests.testing.emulator_support import (
    BOARD,
    KEY,
    TOKEN,
    WRITE_TOKEN,
    auth_header,
    client,
    make_emulator,
)
from trellolens.testing import TokenSpec

API = "https://api.trello.com/1"


def raw_client(emulator: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(emulator.handler), base_url=API)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("headers", "params", "body"),
    [
        ({}, {}, "unauthorized permission requested"),
        (auth_header(key="canarywrongkey"), {}, "invalid key"),
        (auth_header(token="ATTACANARYunknown"), {}, "invalid token"),
        ({}, {"key": KEY}, "unauthorized permission requested"),
        ({}, {"key": KEY, "token": "ATTACANARYunknown"}, "invalid token"),
        ({}, {"token": TOKEN}, "invalid key"),
        ({"Authorization": "Bearer whatever"}, {}, "unauthorized permission requested"),
    ],
)
def test_401_bodies(headers: dict[str, str], params: dict[str, str], body: str) -> None:
    response = raw_client(make_emulator()).get("/members/me", headers=headers, params=params)
    assert (response.status_code, response.text) == (401, body)


def test_header_query_and_oauth1_signed_header_are_accepted() -> None:
    emulator = make_emulator()
    assert raw_client(emulator).get("/members/me", headers=auth_header()).status_code == 200
    query = raw_client(emulator).get("/members/me", params={"key": KEY, "token": TOKEN})
    assert query.status_code == 200
    signer = oauthlib.oauth1.Client(KEY, client_secret="", resource_owner_key=TOKEN)
    _, signed, _ = signer.sign(f"{API}/members/me")
    assert "oauth_signature=" in signed["Authorization"]
    assert raw_client(emulator).get("/members/me", headers=signed).status_code == 200
    recorded = emulator.requests
    assert [r.credentials_in_url for r in recorded] == [False, True, False]
    for item in recorded:
        assert TOKEN not in repr(item)
        assert KEY not in repr(item)
        assert TOKEN not in str(item.headers) + str(item.query) + item.path


def test_expired_and_revoked_tokens() -> None:
    past = datetime.now(UTC) - timedelta(days=1)
    expired = "ATTACANARYexpired"
    emulator = make_emulator()
    emulator.add_token(TokenSpec(expired, expires=past))
    response = client(emulator, expired).get("/members/me")
    assert (response.status_code, response.text) == (401, "expired token")
    emulator.revoke_token(TOKEN)
    response = client(emulator).get("/members/me")
    assert (response.status_code, response.text) == (401, "invalid token")
    emulator.reset(boards=True)
    assert client(emulator).get("/members/me").status_code == 200


def test_token_info_and_member() -> None:
    created = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    emulator = make_emulator()
    emulator.add_token(
        TokenSpec("ATTACANARYinfo", scopes=("read", "write"), created=created, expires=expires)
    )
    info = client(emulator, "ATTACANARYinfo").get("/tokens/ATTACANARYinfo").json()
    assert info["idMember"] == emulator.member_id
    assert info["identifier"]
    assert (info["dateCreated"], info["dateExpires"]) == (
        "2024-01-02T03:04:05.000Z",
        "2030-01-01T00:00:00.000Z",
    )
    board_permission = next(p for p in info["permissions"] if p["modelType"] == "Board")
    assert board_permission == {"idModel": "*", "modelType": "Board", "read": True, "write": True}
    read_only = client(emulator).get(f"/tokens/{TOKEN}").json()
    assert read_only["dateExpires"] is None
    assert not any(p["write"] for p in read_only["permissions"])
    member = client(emulator).get(f"/tokens/{TOKEN}/member").json()
    assert member["id"] == emulator.member_id
    other = TokenSpec("ATTACANARYother", member_id="5f0000000000000000000009")
    emulator.add_token(other)
    response = client(emulator).get("/tokens/ATTACANARYother")
    assert (response.status_code, response.text) == (401, "unauthorized permission requested")


def test_scopes_writes_need_write_but_a_token_may_revoke_itself() -> None:
    emulator = make_emulator()
    response = client(emulator).put(f"/cards/{BOARD.cards[0].id}", params={"name": "x"})
    assert (response.status_code, response.text) == (401, "unauthorized permission requested")
    response = client(emulator).delete(f"/tokens/{WRITE_TOKEN}")
    assert response.status_code == 401  # a read token may not revoke another token
    assert client(emulator).delete(f"/tokens/{TOKEN}").json() == {"_value": None}
    assert client(emulator).get("/members/me").text == "invalid token"
    # A write token passes the scope check; moving a card needs a list of the board.
    nowhere = {"idList": "5f" + "0" * 22}
    response = client(emulator, WRITE_TOKEN).put(f"/cards/{BOARD.cards[0].id}", params=nowhere)
    assert (response.status_code, response.text) == (400, "invalid value for idList")


def test_no_credential_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="trellolens.testing.emulator")
    emulator = make_emulator()
    raw_client(emulator).get("/members/me", params={"key": KEY, "token": TOKEN})
    client(emulator).get(f"/tokens/{TOKEN}")
    with emulator.serve() as base_url:
        httpx.get(f"{base_url}/members/me", params={"key": KEY, "token": TOKEN})
        httpx.get(f"{base_url}/boards/bad id?token={TOKEN}")
        control = httpx.get(f"{base_url.removesuffix('/1')}/_emulator/requests").text
    ours = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("trellolens")
    )  # (httpx, the client, logs its own URLs: that is the client's business)
    assert "GET /1/members/me -> 200" in ours
    assert TOKEN not in ours
    assert KEY not in ours
    assert TOKEN not in control
    assert '"credentials_in_url":true' in control
    assert TOKEN in emulator.requests[-1].raw_target  # kept raw for tests to inspect
    assert TOKEN not in repr(emulator.requests) + repr(emulator)
