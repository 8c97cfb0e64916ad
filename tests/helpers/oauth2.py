"""OAuth 2.0 test helpers: canary client credentials, PKCE pairs, a code from the emulator."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

CLIENT_ID = "canary-client-0001"
CLIENT_SECRET = "ATTACANARYCLIENTSECRET" + "5" * 20
REDIRECT_URI = "http://127.0.0.1:8599/callback"
SCOPES = "read:board:trello read:member:trello offline_access"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(challenge: str, scope: str = SCOPES, state: str = "st8") -> dict[str, str]:
    return {
        "audience": "api.atlassian.com",
        "client_id": CLIENT_ID,
        "scope": scope,
        "redirect_uri": REDIRECT_URI,
        "state": state,
        "response_type": "code",
        "prompt": "consent",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def redirected(response: httpx.Response) -> dict[str, str]:
    """The query of a 302 to the redirect URI, one value per name."""
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def auto_code(auth_base: str, scope: str = SCOPES) -> tuple[str, str]:
    """(code, verifier) from an emulator that pre-approves (``auto_approve_member`` set)."""
    verifier, challenge = pkce_pair()
    reply = httpx.get(f"{auth_base}/authorize?{urlencode(authorize_params(challenge, scope))}")
    return redirected(reply)["code"], verifier


def token_for(auth_base: str, scope: str = SCOPES) -> dict[str, object]:
    """A fresh token reply (access and, with offline_access, refresh token)."""
    code, verifier = auto_code(auth_base, scope)
    reply = httpx.post(
        f"{auth_base}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
    )
    assert reply.status_code == 200, reply.text
    payload: dict[str, object] = reply.json()
    return payload
