"""The emulator's OAuth 2.0 authorization server, over real HTTP, as a client and a thief see it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest

from tests.helpers.oauth2 import (
    CLIENT_ID,
    CLIENT_SECRET,
    REDIRECT_URI,
    authorize_params,
    pkce_pair,
    redirected,
    token_for,
)
from tests.testing.emulator_support import make_emulator
from trellolens.testing import TrelloEmulator

Served = tuple[TrelloEmulator, str, str]


@pytest.fixture
def served() -> Iterator[Served]:
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    with emulator.serve() as base_url:
        yield emulator, base_url, emulator.oauth2.base_url(base_url)


def bearer(token: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refresh(auth_base: str, token: object, json_body: bool = False) -> httpx.Response:
    body = {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": str(token),
    }
    if json_body:
        return httpx.post(f"{auth_base}/oauth/token", json=body)
    return httpx.post(f"{auth_base}/oauth/token", data=body)


def test_consent_page_names_members_and_redirects_with_code_and_state(served: Served) -> None:
    emulator, base_url, auth_base = served
    emulator.oauth2.auto_approve_member = None
    verifier, challenge = pkce_pair()
    page = httpx.get(f"{auth_base}/authorize", params=authorize_params(challenge, state="xyz"))
    assert page.status_code == 200
    assert "Allow as Emulator User (@emulator)" in page.text
    request_id = page.text.split('name="request" value="')[1].split('"')[0]
    denied = httpx.get(
        f"{auth_base}/authorize/decide", params={"request": request_id, "decision": "deny"}
    )
    assert redirected(denied) == {"error": "access_denied", "state": "xyz"}
    page = httpx.get(f"{auth_base}/authorize", params=authorize_params(challenge, state="abc"))
    request_id = page.text.split('name="request" value="')[1].split('"')[0]
    allowed = httpx.get(
        f"{auth_base}/authorize/decide",
        params={"request": request_id, "decision": "allow", "member": emulator.member_id},
    )
    query = redirected(allowed)
    assert query["state"] == "abc"
    token = httpx.post(
        f"{auth_base}/oauth/token",
        json={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code": query["code"],
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
    ).json()
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read:board:trello read:member:trello offline_access"
    boards = httpx.get(f"{base_url}/members/me/boards", headers=bearer(token["access_token"]))
    assert boards.status_code == 200
    assert boards.json()


def test_pkce_s256_is_required_and_a_wrong_verifier_spends_the_code(served: Served) -> None:
    _, _, auth_base = served
    verifier, challenge = pkce_pair()
    plain = {**authorize_params(challenge), "code_challenge_method": "plain"}
    assert redirected(httpx.get(f"{auth_base}/authorize?{urlencode(plain)}"))["error"] == (
        "invalid_request"
    )
    no_challenge = {k: v for k, v in authorize_params(challenge).items() if "challenge" not in k}
    assert redirected(httpx.get(f"{auth_base}/authorize?{urlencode(no_challenge)}"))["error"] == (
        "invalid_request"
    )
    code = redirected(httpx.get(f"{auth_base}/authorize", params=authorize_params(challenge)))
    exchange = {
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": code["code"],
        "redirect_uri": REDIRECT_URI,
        "code_verifier": pkce_pair()[0],
    }
    wrong = httpx.post(f"{auth_base}/oauth/token", data=exchange)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    right_too_late = httpx.post(
        f"{auth_base}/oauth/token", data={**exchange, "code_verifier": verifier}
    )
    assert right_too_late.json()["error"] == "invalid_grant"


def test_codes_are_single_use_and_short_lived(served: Served) -> None:
    emulator, _, auth_base = served
    verifier, challenge = pkce_pair()
    code = redirected(httpx.get(f"{auth_base}/authorize", params=authorize_params(challenge)))
    exchange = {
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "code": code["code"],
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    assert httpx.post(f"{auth_base}/oauth/token", data=exchange).status_code == 200
    assert httpx.post(f"{auth_base}/oauth/token", data=exchange).json()["error"] == "invalid_grant"
    emulator.oauth2.code_ttl = -1
    code = redirected(httpx.get(f"{auth_base}/authorize", params=authorize_params(challenge)))
    stale = httpx.post(f"{auth_base}/oauth/token", data={**exchange, "code": code["code"]})
    assert stale.json()["error"] == "invalid_grant"


def test_bad_client_or_redirect_uri_never_redirects(served: Served) -> None:
    _, _, auth_base = served
    _, challenge = pkce_pair()
    foreign = {**authorize_params(challenge), "redirect_uri": "http://evil.example/cb"}
    page = httpx.get(f"{auth_base}/authorize", params=foreign)
    assert page.status_code == 400
    assert "location" not in page.headers
    unknown = httpx.get(f"{auth_base}/authorize", params={**foreign, "client_id": "nobody"})
    assert unknown.status_code == 400
    wrong_secret = httpx.post(
        f"{auth_base}/oauth/token",
        data={"grant_type": "refresh_token", "client_id": CLIENT_ID, "client_secret": "x"},
    )
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"


def test_refresh_tokens_rotate_and_a_replayed_one_revokes_the_whole_chain(served: Served) -> None:
    emulator, base_url, auth_base = served
    first = token_for(auth_base)
    second = refresh(auth_base, first["refresh_token"], json_body=True).json()
    assert second["refresh_token"] != first["refresh_token"]
    third = refresh(auth_base, second["refresh_token"]).json()
    assert httpx.get(f"{base_url}/members/me", headers=bearer(third["access_token"])).is_success
    replay = refresh(auth_base, first["refresh_token"])  # a thief's old copy
    assert replay.status_code == 400
    assert "reuse detected" in replay.json()["error_description"]
    assert emulator.oauth2.reuse_detections == 1
    revoked = httpx.get(f"{base_url}/members/me", headers=bearer(third["access_token"]))
    assert revoked.status_code == 401
    assert refresh(auth_base, third["refresh_token"]).json()["error"] == "invalid_grant"


def test_no_refresh_token_without_offline_access(served: Served) -> None:
    _, _, auth_base = served
    assert "refresh_token" not in token_for(auth_base, "read:board:trello")


def test_access_tokens_expire_after_the_configured_lifetime(served: Served) -> None:
    emulator, base_url, auth_base = served
    emulator.oauth2.access_token_ttl = 0
    token = token_for(auth_base)
    assert token["expires_in"] == 0
    expired = httpx.get(f"{base_url}/members/me", headers=bearer(token["access_token"]))
    assert (expired.status_code, expired.text) == (401, "expired token")


def test_scopes_are_enforced_on_reads_and_writes(served: Served) -> None:
    emulator, base_url, auth_base = served
    member_only = token_for(auth_base, "read:member:trello")["access_token"]
    assert httpx.get(f"{base_url}/members/me", headers=bearer(member_only)).is_success
    board = emulator.board_ids[0]
    refused = httpx.get(f"{base_url}/boards/{board}", headers=bearer(member_only))
    assert (refused.status_code, refused.text) == (401, "unauthorized permission requested")
    reader = token_for(auth_base)["access_token"]
    assert httpx.get(f"{base_url}/boards/{board}", headers=bearer(reader)).is_success
    write = httpx.post(f"{base_url}/cards", headers=bearer(reader), params={"name": "x"})
    assert write.status_code == 401
    writer = token_for(auth_base, "read:board:trello write:board:trello")["access_token"]
    allowed = httpx.post(f"{base_url}/cards", headers=bearer(writer), params={"name": "x"})
    assert allowed.status_code != 401


def test_an_access_token_in_the_query_string_is_refused_and_redacted(served: Served) -> None:
    emulator, base_url, auth_base = served
    token = str(token_for(auth_base)["access_token"])
    for name in ("token", "access_token"):
        reply = httpx.get(f"{base_url}/members/me", params={name: token})
        assert reply.status_code == 401
        assert "Bearer" in reply.text
    assert all(token not in repr(r.public()) for r in emulator.requests)


def test_revocation_ends_the_chain(served: Served) -> None:
    _, base_url, auth_base = served
    token = token_for(auth_base)
    revoke = httpx.post(
        f"{auth_base}/oauth/revoke",
        data={"token": token["refresh_token"]},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert revoke.status_code == 200
    assert (
        httpx.get(f"{base_url}/members/me", headers=bearer(token["access_token"])).status_code
        == 401
    )
    assert refresh(auth_base, token["refresh_token"]).json()["error"] == "invalid_grant"


def test_command_line_registers_clients_and_ttl() -> None:
    command = [sys.executable, "-m", "trellolens.testing.emulator", "--port", "0"]
    process = subprocess.Popen(
        [
            *command,
            "--oauth2-client",
            f"{CLIENT_ID}:{CLIENT_SECRET}",
            "--access-token-ttl",
            "2",
            "--oauth2-auto-approve",
            "--auth-prefix",
            "atlassian",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        lines = [process.stdout.readline().strip() for _ in range(4)]
        auth_base = next(x for x in lines if x.startswith("auth base URL:")).split(": ")[1]
        assert auth_base.endswith("/atlassian")
        assert token_for(auth_base)["expires_in"] == 2
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_command_line_refuses_a_client_without_secret() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "trellolens.testing.emulator", "--oauth2-client", "only-id"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "emulator: error: --oauth2-client wants ID:SECRET"


def test_malformed_token_requests_get_rfc6749_errors(served: Served) -> None:
    _, _, auth_base = served
    token_url = f"{auth_base}/oauth/token"
    client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    not_json = httpx.post(token_url, content=b"{", headers={"Content-Type": "application/json"})
    assert not_json.json()["error"] == "invalid_request"
    xml = httpx.post(token_url, content=b"<x/>", headers={"Content-Type": "text/xml"})
    assert xml.json()["error"] == "invalid_request"
    unknown = httpx.post(token_url, data={**client, "grant_type": "password"})
    assert unknown.json()["error"] == "unsupported_grant_type"
    assert httpx.get(token_url).status_code == 405
    garbled = httpx.post(token_url, data=client, headers={"Authorization": "Basic %%%"})
    assert garbled.status_code == 401


def test_the_consent_page_refuses_unknown_members_and_requests(served: Served) -> None:
    emulator, _, auth_base = served
    emulator.oauth2.auto_approve_member = None
    _, challenge = pkce_pair()
    page = httpx.get(f"{auth_base}/authorize", params=authorize_params(challenge))
    request_id = page.text.split('name="request" value="')[1].split('"')[0]
    stranger = httpx.get(
        f"{auth_base}/authorize/decide",
        params={"request": request_id, "decision": "allow", "member": "5f00000000000000000dead0"},
    )
    assert stranger.status_code == 400
    again = httpx.get(f"{auth_base}/authorize/decide", params={"request": request_id})
    assert again.status_code == 400  # the request was used up
    bad_scope = httpx.get(
        f"{auth_base}/authorize", params=authorize_params(challenge, scope="admin:everything")
    )
    assert redirected(bad_scope)["error"] == "invalid_scope"
    wrong_type = {**authorize_params(challenge), "response_type": "token"}
    assert redirected(httpx.get(f"{auth_base}/authorize", params=wrong_type))["error"] == (
        "unsupported_response_type"
    )
