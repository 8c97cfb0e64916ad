"""The doctor's pieces on their own: profile discovery, scrubbing, odd config values."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary
from trellolens.credentials import OAuth2Credentials, Resolver, TrelloCredentials
from trellolens.credentials.sources import EnvironmentSource
from trellolens.doctor.check import Check, Status
from trellolens.doctor.checks_config import error_details_check
from trellolens.doctor.checks_credentials import configured_profiles, profiles_in_environment
from trellolens.doctor.doctor import _scrubbed, run_doctor
from trellolens.errors import TrelloError
from trellolens.trello import TrelloClient


def test_plain_variables_and_the_base_url_name_no_profile() -> None:
    environ = {
        "TRELLO_API_KEY": "k",
        "TRELLO_OAUTH_TOKEN": "t",
        "TRELLO_TOKEN": "t",
        "TRELLO_API_SECRET": "s",
        "TRELLO_API_BASE_URL": "https://api.trello.com/1",
        "TRELLO_PRODUCTION_OAUTH_TOKEN": "t",
        "TRELLO_STAGING_API_KEY": "k",
        "TRELLO_EMPTY_TOKEN": " ",
    }
    assert profiles_in_environment(environ) == {"production", "staging"}


def test_profiles_come_from_tables_of_both_spellings() -> None:
    tables: list[Mapping[str, Any]] = [
        {"trello": {"token": "t", "production": {"token": "p"}, "Bad Name!": {}}},
        {"connections": {"trello": {"qa": {"token": "q"}}}},
    ]
    assert configured_profiles("development", tables, {}) == ["development", "production", "qa"]


def test_an_unknown_error_details_value_warns(tmp_path: Path) -> None:
    check = error_details_check(tmp_path, tmp_path, {}, running_value="verbose")
    assert check.status is Status.WARN
    assert "not a value Streamlit 1.67 knows" in check.detail


def test_a_value_in_an_error_message_is_scrubbed_from_the_report(tmp_path: Path) -> None:
    """Defence in depth: even a (hypothetical) message holding the token never reaches a check."""
    environ = {"TRELLO_API_KEY": CANARY_KEY, "TRELLO_OAUTH_TOKEN": CANARY_TOKEN}
    resolver = Resolver([EnvironmentSource(environ)])

    def leaky_client(credentials: TrelloCredentials | OAuth2Credentials) -> TrelloClient:
        assert isinstance(credentials, TrelloCredentials)
        raise TrelloError(f"boom {credentials.token.reveal()} {credentials.api_key.reveal()}")

    report = run_doctor(
        resolver, project_dir=tmp_path, home=tmp_path, environ={}, client_factory=leaky_client
    )
    valid = next(check for check in report.checks if check.id == "token.valid")
    assert valid.status is Status.FAIL
    assert valid.detail == "boom [REDACTED] [REDACTED]"
    assert_no_canary(repr(report) + str(report.as_dict()))


def test_secret_shapes_are_masked_and_detail_and_fix_are_one_line() -> None:
    """A token the resolver never saw (another profile's, say) is masked by its shape."""
    other = "ATTA" + "CANARY" * 8 + "OTHER1"
    check = Check(
        "token.valid",
        "Token",
        Status.FAIL,
        f'boom\n{other}\r\n  oauth_token="{CANARY_KEY}"',
        f"replace\n{other}\tthen\n\nretry",
    )
    scrubbed = _scrubbed(check, [])
    assert scrubbed.detail == 'boom [REDACTED] oauth_token="[REDACTED]"'
    assert scrubbed.fix == "replace [REDACTED] then retry"


def test_oauth2_variables_are_not_mistaken_for_profiles() -> None:
    environ = {
        "TRELLO_CLIENT_ID": "c",
        "TRELLO_CLIENT_SECRET": "s",
        "TRELLO_REFRESH_TOKEN": "r",
        "TRELLO_AUTH_BASE_URL": "https://auth.atlassian.com",
        "TRELLO_PRODUCTION_REFRESH_TOKEN": "r",
        "TRELLO_STAGING_CLIENT_ID": "c",
    }
    assert profiles_in_environment(environ) == {"production", "staging"}


def test_sources_check_names_the_oauth2_parts() -> None:
    from trellolens.credentials import Resolver
    from trellolens.credentials.sources import EnvironmentSource
    from trellolens.doctor.checks_credentials import sources_check

    environ = {
        "TRELLO_CLIENT_ID": "canary-id-CANARY",
        "TRELLO_CLIENT_SECRET": "ATTACANARYSECRET",
        "TRELLO_REFRESH_TOKEN": "ATTACANARYREFRESH",
    }
    check = sources_check(Resolver([EnvironmentSource(environ)]).check())
    assert check.status.name == "PASS"
    assert "refresh_token from env (TRELLO_REFRESH_TOKEN)" in check.detail
    assert "CANARY" not in check.detail
