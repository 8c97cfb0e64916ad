"""The sidebar's reason for broken credentials: a few words, no how-to, path, backtick or secret."""

from __future__ import annotations

import pytest

from tests.helpers.canaries import CANARY_TOKEN
from trellolens.errors import (
    CredentialsError,
    InvalidKeyError,
    InvalidTokenError,
    TrelloUnavailableError,
)
from trellolens.trello.responses import permission_denied, unauthorized
from trellolens.ui.data.board_source import SHORT_REASON_CHARS, short_reason


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (unauthorized(b"expired token", "your boards"), "Trello refused the token (expired)"),
        (
            InvalidTokenError("long text `x` docs/a.md", "revoked"),
            "Trello refused the token (revoked)",
        ),
        (InvalidKeyError("long `api_key` text"), "Trello does not accept the API key"),
        (permission_denied("board abc"), "the token may not read board abc"),
        (TrelloUnavailableError("x"), "Trello could not be reached"),
    ],
)
def test_trello_errors_get_a_fixed_short_reason(error: Exception, expected: str) -> None:
    assert short_reason(error) == expected


def test_other_errors_keep_their_first_clause_without_backticks_or_secrets() -> None:
    error = CredentialsError(
        f"`token` in [trello] of .streamlit/secrets.toml is not text ({CANARY_TOKEN}); fix it "
        "as docs/credentials.md says"
    )
    reason = short_reason(error)
    assert reason == "token in [trello] of .streamlit/secrets.toml is not text"
    assert CANARY_TOKEN not in reason


def test_a_long_reason_is_cut() -> None:
    reason = short_reason(CredentialsError("word " * 60))
    assert len(reason) <= SHORT_REASON_CHARS
    assert reason.endswith("…")
