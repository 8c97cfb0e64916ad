"""``read_settings``: every TRELLO*/TRELLOLENS_* setting read once ([trellolens] of the secrets
first, then the environment), checked, with one line naming the variable and never the value."""

from __future__ import annotations

import pytest

from trellolens.errors import ConfigError
from trellolens.settings import FIELDS, Settings, read_settings

CANARY_PASSWORD = "CANARYredispassword0123"
CANARY_VALUE = "ATTACANARYpastedtoken0123456789abcdef"


def test_nothing_set_is_the_documented_defaults() -> None:
    settings = read_settings({}, {})
    assert settings.api_base_url == "https://api.trello.com/1"
    assert settings.redis_url is None
    assert settings.access == "local"
    assert settings.profile == "development"
    assert settings.allow_open_secrets_file is False
    assert settings.origins == ()


def test_every_setting_from_the_environment() -> None:
    environ = {
        "TRELLO_API_BASE_URL": "http://127.0.0.1:8765/1/",
        "TRELLOLENS_REDIS_URL": f"rediss://app:{CANARY_PASSWORD}@redis.internal:6380/0",
        "TRELLOLENS_SOURCES": "env, streamlit",
        "TRELLOLENS_PROFILE": "production",
        "TRELLOLENS_AWS_SECRET_ID": "prod/trellolens",
        "TRELLOLENS_SSM_PATH": "/prod/trellolens",
        "TRELLOLENS_AWS_REFRESH_SECONDS": "30",
        "TRELLOLENS_ALLOW_OPEN_SECRETS_FILE": "1",
        "TRELLOLENS_ACCESS": "Login",
        "TRELLOLENS_ALLOWED_EMAILS": "a@example.com, *@example.org",
        "TRELLOLENS_ALLOWED_HOSTS": "app.example.com",
        "TRELLOLENS_UNVERIFIED_EMAIL_ISSUERS": "https://idp.example.com",
        "TRELLOLENS_DEFAULT_BOARD": "5a1b2c3d4e5f60718293a4b5",
    }
    settings = read_settings({}, environ)
    assert settings.api_base_url == "http://127.0.0.1:8765/1"
    assert settings.sources == ("env", "streamlit")
    assert settings.profile == "production"
    assert settings.aws_refresh_seconds == 30.0
    assert settings.allow_open_secrets_file is True
    assert settings.access == "login"
    assert settings.allowed_emails == ("a@example.com", "*@example.org")
    assert settings.default_board == "5a1b2c3d4e5f60718293a4b5"
    assert {variable for _, variable in settings.origins} == set(environ)
    assert CANARY_PASSWORD not in repr(settings)
    assert "redis.internal:6380" in repr(settings)


def test_the_secrets_table_comes_before_the_environment() -> None:
    table = {"access": "open", "allowed_emails": ["a@example.com", "b@example.com"]}
    environ = {"TRELLOLENS_ACCESS": "visitor", "TRELLOLENS_PROFILE": "production"}
    settings = read_settings(table, environ)
    assert settings.access == "open"
    assert settings.allowed_emails == ("a@example.com", "b@example.com")
    assert settings.profile == "production"  # not in the table: the environment's
    assert dict(settings.origins)["access"] == "[trellolens] access"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TRELLO_API_BASE_URL", f"http://example.com/{CANARY_VALUE}"),
        ("TRELLO_AUTH_BASE_URL", f"http://example.com/{CANARY_VALUE}"),
        ("TRELLOLENS_REDIS_URL", f"redis://redis.example.com/{CANARY_VALUE}"),
        ("TRELLOLENS_SOURCES", CANARY_VALUE),
        ("TRELLOLENS_PROFILE", CANARY_VALUE + "!"),
        ("TRELLOLENS_AWS_REFRESH_SECONDS", CANARY_VALUE),
        ("TRELLOLENS_ALLOW_OPEN_SECRETS_FILE", CANARY_VALUE),
        ("TRELLOLENS_ACCESS", CANARY_VALUE),
        ("TRELLOLENS_ALLOWED_EMAILS", CANARY_VALUE),
        ("TRELLOLENS_ALLOWED_HOSTS", CANARY_VALUE + "/"),
        ("TRELLOLENS_PUBLIC_URL", "ftp://" + CANARY_VALUE),
        ("TRELLOLENS_ADMINS", CANARY_VALUE + "!"),
        ("TRELLOLENS_PUBLIC", CANARY_VALUE),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable_never_the_value(
    variable: str, value: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        read_settings({}, {variable: value})
    message = str(caught.value)
    assert variable in message
    assert "\n" not in message
    assert CANARY_VALUE not in message


def test_a_bad_table_value_names_its_key() -> None:
    with pytest.raises(ConfigError, match=r"access in \[trellolens\] of secrets.toml must be one"):
        read_settings({"access": "everyone"}, {})
    with pytest.raises(ConfigError, match=r"redis_url in \[trellolens\] of secrets.toml must be"):
        read_settings({"redis_url": {"host": "x"}}, {})
    # A check whose line names the variable names the key instead when the table set it:
    with pytest.raises(ConfigError) as caught:
        read_settings({"redis_url": "redis://db.example.com:6379/0"}, {})
    assert str(caught.value).startswith("redis_url in [trellolens] of secrets.toml names a Redis")
    assert "TRELLOLENS_REDIS_URL" not in str(caught.value)


def test_every_variable_is_one_field() -> None:
    assert len({field.variable for field in FIELDS}) == len(FIELDS)
    assert all(field.variable.startswith(("TRELLO_", "TRELLOLENS_")) for field in FIELDS)
    assert [field.name for field in FIELDS] == [
        name for name, value in vars(Settings).items() if value in FIELDS
    ]


def test_a_bad_setting_stops_only_what_reads_it() -> None:
    """A bad Redis URL does not stop a command that never asks for Redis (``scan``, say)."""
    settings = Settings({}, {"TRELLOLENS_REDIS_URL": f"http://x/{CANARY_VALUE}"})
    assert settings.profile == "development"
    assert settings.access == "local"
    with pytest.raises(ConfigError, match="TRELLOLENS_REDIS_URL"):
        _ = settings.redis_url
    with pytest.raises(ConfigError, match="TRELLOLENS_REDIS_URL"):
        _ = settings.redis_url  # each time it is read, not once
    with pytest.raises(ConfigError, match="TRELLOLENS_REDIS_URL"):
        settings.check()
    assert CANARY_VALUE not in repr(settings)
    assert "redis_url=<invalid>" in repr(settings)


def test_problems_lists_every_bad_setting_by_name() -> None:
    environ = {"TRELLOLENS_ACCESS": CANARY_VALUE, "TRELLOLENS_PUBLIC": CANARY_VALUE}
    problems = Settings({}, environ).problems()
    assert len(problems) == 2
    assert "TRELLOLENS_ACCESS" in problems[0]
    assert "TRELLOLENS_PUBLIC" in problems[1]
    assert not any(CANARY_VALUE in line for line in problems)


def test_the_dashboard_settings_from_either_place() -> None:
    table = {
        "public": True,
        "holidays": ["2026-12-25", "2026-12-26"],
        "app_name": "Team board",
        "public_url": "https://dash.example.com/",
        "admins": ["@Alice"],
    }
    settings = read_settings(table, {"TRELLOLENS_PUBLIC": "0"})
    assert settings.public is True
    assert settings.holidays == ("2026-12-25", "2026-12-26")
    assert settings.app_name == "Team board"
    assert settings.public_url == "https://dash.example.com"
    assert settings.admins == ("alice",)
    from_env = read_settings(
        {},
        {
            "TRELLOLENS_PUBLIC": "true",
            "TRELLOLENS_HOLIDAYS": "2026-12-25, 2026-12-26",
            "TRELLOLENS_APP_NAME": "x" * 100,
        },
    )
    assert from_env.public is True
    assert from_env.holidays == ("2026-12-25", "2026-12-26")
    assert from_env.app_name == "x" * 60
    assert read_settings({}, {}).public is False


def test_session_days_default_forms_and_one_line_refusals() -> None:
    assert Settings({}, {}).session_days == 7.0
    assert Settings({"session_days": 30}, {}).session_days == 30.0
    assert Settings({}, {"TRELLOLENS_SESSION_DAYS": "0.5"}).session_days == 0.5
    assert Settings({"session_days": 2}, {"TRELLOLENS_SESSION_DAYS": "9"}).session_days == 2.0
    for bad in ("0", "-1", "366", "nan", "inf", "a week"):
        with pytest.raises(ConfigError) as caught:
            Settings({}, {"TRELLOLENS_SESSION_DAYS": bad}).session_days  # noqa: B018
        line = str(caught.value)
        assert line.startswith("TRELLOLENS_SESSION_DAYS must be a number of days")
        assert "\n" not in line
    with pytest.raises(ConfigError, match=r"^session_days in \[trellolens\] of secrets.toml"):
        Settings({"session_days": "forever"}, {}).session_days  # noqa: B018


def test_live_poll_seconds_default_off_forms_and_one_line_refusals() -> None:
    assert Settings({}, {}).live_poll_seconds == 1.0
    assert Settings({}, {"TRELLOLENS_LIVE_POLL_SECONDS": "0"}).live_poll_seconds == 0.0
    assert Settings({}, {"TRELLOLENS_LIVE_POLL_SECONDS": "0.5"}).live_poll_seconds == 0.5
    assert Settings({"live_poll_seconds": 2}, {}).live_poll_seconds == 2.0
    for bad in ("0.1", "-1", "61", "nan", "inf", "soon"):
        with pytest.raises(ConfigError) as caught:
            Settings({}, {"TRELLOLENS_LIVE_POLL_SECONDS": bad}).live_poll_seconds  # noqa: B018
        line = str(caught.value)
        assert line.startswith("TRELLOLENS_LIVE_POLL_SECONDS must be 0 (off) or seconds")
        assert "\n" not in line
    with pytest.raises(ConfigError, match=r"^live_poll_seconds in \[trellolens\]"):
        Settings({"live_poll_seconds": "often"}, {}).live_poll_seconds  # noqa: B018
