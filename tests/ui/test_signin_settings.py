"""The sign-in's pure parts: public_url, admins, the grant check and the start throttle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trellolens.settings.hosts import parse_public_url
from trellolens.trello import TokenInfo, TokenPermission
from trellolens.ui.access import AccessMode, settings_from
from trellolens.ui.access.public_url import callback_url, loopback_url
from trellolens.ui.access.signin_grant import grant_problem
from trellolens.ui.access.signin_throttle import StartThrottle

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://dash.example.com", "https://dash.example.com"),
        ("https://Dash.Example.com/", "https://dash.example.com"),
        ("https://dash.example.com:8443/team/", "https://dash.example.com:8443/team"),
        ("http://localhost:8501", "http://localhost:8501"),
        ("http://[::1]:8501", "http://[::1]:8501"),
        ("", None),
        (None, None),
    ],
)
def test_a_public_url_is_kept_normalised(given: str | None, kept: str | None) -> None:
    assert parse_public_url(given, "public_url") == (kept, None)


@pytest.mark.parametrize(
    "given",
    [
        "dash.example.com",
        "ftp://dash.example.com",
        "http://dash.example.com",  # plain http only on loopback
        "https://user@dash.example.com",
        "https://dash.example.com/?next=evil",
        "https://dash.example.com/#x",
        "https://dash.example.com:99999",
        "https://dash\u0435xample.com",
        "https://dash.example.com/a b",
        42,
    ],
)
def test_a_bad_public_url_is_one_line(given: object) -> None:
    kept, problem = parse_public_url(given, "public_url")
    assert kept is None
    assert problem is not None
    assert "public_url" in problem
    assert "\n" not in problem


def test_the_default_app_url_is_the_loopback_address_listened_on() -> None:
    assert loopback_url("127.0.0.1", 8501) == "http://127.0.0.1:8501"
    assert loopback_url("localhost", 8600) == "http://localhost:8600"
    assert loopback_url("::1", 8501) == "http://[::1]:8501"
    for off_loopback in (
        None,
        "",
        "0.0.0.0",  # noqa: S104 (refused, not bound)
        "::",
        "192.168.1.5",
        "dash.example.com",
    ):
        assert loopback_url(off_loopback, 8501) is None
    assert callback_url("https://d.example") == "https://d.example/trellolens/signin/callback"


def test_public_url_and_admins_from_secrets_or_environment() -> None:
    table = {"access": "visitor", "public_url": "https://d.example", "admins": ["@Ann", "5f0a"]}
    settings = settings_from(table, {})
    assert settings.mode is AccessMode.VISITOR
    assert settings.problem is None
    assert settings.public_url == "https://d.example"
    assert settings.admins == ("ann", "5f0a")
    environ = {"TRELLOLENS_PUBLIC_URL": "https://e.example/", "TRELLOLENS_ADMINS": "ben, 5f0b"}
    from_env = settings_from({"access": "visitor"}, environ)
    assert from_env.public_url == "https://e.example"
    assert from_env.admins == ("ben", "5f0b")


@pytest.mark.parametrize(
    "table",
    [
        {"public_url": "http://dash.example.com"},
        {"admins": "ann bob"},
        {"admins": [1, 2]},
        {"admins": ["ann@example.com"]},
    ],
)
def test_bad_public_url_or_admins_fail_closed_with_one_line(table: dict[str, object]) -> None:
    settings = settings_from({"access": "visitor", **table}, {})
    assert settings.problem is not None
    assert "\n" not in settings.problem


def info(*, write: bool = False, member: bool = False, expires: datetime | None) -> TokenInfo:
    return TokenInfo(
        "trellolens",
        "5f00000000000000000a0a0a",
        NOW,
        expires,
        (
            TokenPermission("Member", "5f00000000000000000a0a0a", True, member),
            TokenPermission("Board", "*", True, write),
        ),
    )


def test_a_read_token_for_a_day_is_what_was_asked() -> None:
    assert grant_problem(info(expires=NOW + timedelta(days=1)), NOW) is None


@pytest.mark.parametrize(
    "granted",
    [
        info(write=True, expires=NOW + timedelta(days=1)),
        info(member=True, expires=NOW + timedelta(days=1)),  # account
        info(expires=None),  # never
        info(expires=NOW + timedelta(days=30)),
    ],
)
def test_a_broader_or_longer_grant_is_named_in_one_line(granted: TokenInfo) -> None:
    problem = grant_problem(granted, NOW)
    assert problem is not None
    assert "\n" not in problem


def test_the_throttle_allows_a_few_per_window_per_key() -> None:
    now = [0.0]
    throttle = StartThrottle(3, window=60, clock=lambda: now[0])
    assert [throttle.allow("a") for _ in range(5)] == [True, True, True, False, False]
    assert throttle.allow("b")
    now[0] = 61.0
    assert throttle.allow("a")


def test_the_throttle_forgets_old_addresses_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trellolens.ui.access.signin_throttle.MAX_ADDRESSES", 4)
    now = [0.0]
    throttle = StartThrottle(1, window=60, clock=lambda: now[0])
    for number in range(4):
        assert throttle.allow(f"address:{number}")
    now[0] = 120.0  # all four are outside the window: pruned, not refused
    assert throttle.allow("address:new")
    assert throttle.allow("address:0")
    for number in range(10):  # a flood of fresh addresses inside the window stays bounded
        throttle.allow(f"flood:{number}")
    assert len(throttle._starts) <= 4


def test_a_token_that_cannot_read_or_names_no_member_is_refused() -> None:
    no_read = TokenInfo("trellolens", "5f0a", NOW, NOW + timedelta(hours=1), ())
    assert grant_problem(no_read, NOW) == "it cannot read boards"
    nobody = TokenInfo(
        "trellolens",
        "",
        NOW,
        NOW + timedelta(hours=1),
        (TokenPermission("Board", "*", True, False),),
    )
    assert grant_problem(nobody, NOW) is not None
