"""``scan --verify``: ask Trello (``GET /1/tokens/{token}``) whether each token found is live.

The key comes from the same file (and commit) as the token, else from the credentials resolver
(``TRELLO_API_KEY``, secrets.toml, AWS); the base URL from ``TRELLO_API_BASE_URL``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from trellolens.credentials import Secret, check_credentials
from trellolens.errors import (
    ConfigError,
    CredentialsError,
    InvalidKeyError,
    InvalidTokenError,
    TrelloError,
)
from trellolens.scan.findings import Finding
from trellolens.scan.patterns import API_KEY_KIND, TOKEN_KINDS

LIVE = "live"
REVOKED = "revoked or invalid"
NO_KEY = "unknown (no key)"
KEY_REJECTED = "unknown (Trello rejected the key)"
UNREACHABLE = "unknown (Trello did not answer)"
VERIFY_DEADLINE = 15.0

KeyLookup = Callable[[], Secret | None]


def resolved_key() -> Secret | None:
    """The process's API key from the resolver, or None when no source has one."""
    try:
        return check_credentials().values.get("api_key")
    except CredentialsError:
        return None


def verify_findings(
    findings: Sequence[Finding], fallback_key: KeyLookup = resolved_key
) -> list[Finding]:
    """``findings`` with ``verified`` set on every token finding."""
    keys: dict[tuple[str, str | None], Secret] = {}
    for finding in findings:
        if finding.kind == API_KEY_KIND:
            keys.setdefault((finding.file, finding.commit), finding.value)
    fallback: list[Secret | None] = []
    answers: dict[tuple[str, str], str] = {}
    checked: list[Finding] = []
    for finding in findings:
        if finding.kind not in TOKEN_KINDS:
            checked.append(finding)
            continue
        key = keys.get((finding.file, finding.commit))
        if key is None:
            if not fallback:
                fallback.append(fallback_key())
            key = fallback[0]
        if key is None:
            checked.append(replace(finding, verified=NO_KEY))
            continue
        pair = (key.reveal(), finding.value.reveal())
        if pair not in answers:
            answers[pair] = token_status(key, finding.value)
        checked.append(replace(finding, verified=answers[pair]))
    return checked


def token_status(key: Secret, token: Secret) -> str:
    """live, revoked or invalid, or why Trello could not tell."""
    from trellolens.trello import TrelloClient  # httpx only when a token is checked

    try:
        with TrelloClient(key, token, deadline=VERIFY_DEADLINE) as client:
            client.token_info()
    except InvalidTokenError:
        return REVOKED
    except InvalidKeyError:
        return KEY_REJECTED
    except (ConfigError, TrelloError):
        return UNREACHABLE
    return LIVE
