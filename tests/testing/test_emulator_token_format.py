"""Every token the emulator makes up has Trello's real format, which our own scanner recognises."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.testing.test_emulator_cli import start
from tests.testing.test_emulator_oauth import API_SECRET, CALLBACK, KEY, OTHER_MEMBER, approve
from trellolens.credentials import Secret
from trellolens.scan.patterns import TOKEN, find_credentials
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.testing.emulator.state import made_up_token
from trellolens.trello.oauth1 import (
    OAuthApp,
    authorize_url,
    finish_sign_in,
    oauth_base_for,
    start_sign_in,
)

REAL_FORMAT = re.compile(r"ATTA[0-9a-f]{64}[0-9a-f]{8}")


def assert_real_format(token: str) -> None:
    assert len(token) == 76
    assert REAL_FORMAT.fullmatch(token), "ATTA + 64 hex + 8 hex"
    (match,) = find_credentials([f"token = {token}"])
    assert (match.kind, match.value) == (TOKEN, token)


def test_made_up_tokens_are_76_characters_and_differ() -> None:
    tokens = {made_up_token() for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert_real_format(token)


def test_the_default_token_of_a_seeded_emulator_has_the_real_format() -> None:
    token = TrelloEmulator(seed=7).token
    assert_real_format(token)
    assert TrelloEmulator(seed=7).token == token  # seeded: the same test token each run


def test_the_command_line_made_up_token_has_the_real_format() -> None:
    process, lines = start("--generate", "2,4,4")
    try:
        token = next(line.split()[1] for line in lines if line.startswith("token: "))
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert_real_format(token)


@pytest.fixture
def oauth_app() -> Iterator[tuple[TrelloEmulator, OAuthApp]]:
    emu = TrelloEmulator(key=KEY, api_secret=API_SECRET, tokens=[TokenSpec(made_up_token())])
    emu.add_token(TokenSpec(made_up_token(), member_id=OTHER_MEMBER))
    with emu.serve() as base_url:
        yield emu, OAuthApp(Secret(KEY), Secret(API_SECRET), oauth_base_for(base_url))


def test_a_token_issued_by_the_oauth_dance_has_the_real_format(
    oauth_app: tuple[TrelloEmulator, OAuthApp],
) -> None:
    _, app = oauth_app
    pending = start_sign_in(app, CALLBACK)
    callback = approve(authorize_url(app, pending, name="x"), OTHER_MEMBER)
    token = finish_sign_in(app, pending, callback["oauth_verifier"][0])
    assert_real_format(token.reveal())
