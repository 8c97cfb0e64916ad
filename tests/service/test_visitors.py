"""``trellolens.service.visitors``: what Sign in with Trello asks of the service (ui builds no
client and reads no base URL itself)."""

from __future__ import annotations

import pytest

from trellolens.credentials import Secret
from trellolens.errors import ConfigError
from trellolens.service import visitors
from trellolens.settings import Settings

CANARY_TOKEN = "ATTA" + "CANARY" * 8 + "VISITOR"
CANARY_KEY = "CANARY" * 5 + "KEY"


def test_the_base_url_is_trellos_unless_the_variable_says_otherwise() -> None:
    assert visitors.api_base_url(Settings({}, {})) == "https://api.trello.com/1"
    emulator = Settings({}, {"TRELLO_API_BASE_URL": "http://127.0.0.1:9999/1/"})
    assert visitors.api_base_url(emulator) == "http://127.0.0.1:9999/1"


def test_a_bad_base_url_names_the_variable_not_the_value() -> None:
    bad = Settings({}, {"TRELLO_API_BASE_URL": f"http://evil.example/{CANARY_TOKEN}"})
    with pytest.raises(ConfigError) as caught:
        visitors.api_base_url(bad)
    assert "TRELLO_API_BASE_URL" in str(caught.value)
    assert CANARY_TOKEN not in str(caught.value)


def test_oauth_goes_to_trello_com_for_trello_and_to_the_emulator_for_the_emulator() -> None:
    key, secret = Secret(CANARY_KEY), Secret(CANARY_TOKEN)
    assert visitors.oauth_app(key, secret, "https://api.trello.com/1").base_url == (
        "https://trello.com/1"
    )
    local = visitors.oauth_app(key, secret, "http://127.0.0.1:9999/1")
    assert local.base_url == "http://127.0.0.1:9999/1"
    assert CANARY_TOKEN not in repr(local)


def test_a_visitor_client_holds_that_visitors_token_only() -> None:
    base = "http://127.0.0.1:9999/1"
    with visitors.visitor_client(Secret(CANARY_KEY), Secret(CANARY_TOKEN), base) as client:
        assert client.base_url == base
        assert client.token_fingerprint == Secret(CANARY_TOKEN).fingerprint()
        assert CANARY_TOKEN not in repr(client)
