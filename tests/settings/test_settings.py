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
        ("TRELLOLENS_REDIS_URL", f"redis://redis.example.com/{CANARY_VALUE}"),
        ("TRELLOLENS_SOURCES", CANARY_VALUE),
        ("TRELLOLENS_PROFILE", CANARY_VALUE + "!"),
        ("TRELLOLENS_AWS_REFRESH_SECONDS", CANARY_VALUE),
        ("TRELLOLENS_ALLOW_OPEN_SECRETS_FILE", CANARY_VALUE),
        ("TRELLOLENS_ACCESS", CANARY_VALUE),
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
    with pytest.raises(ConfigError, match=r"\[trellolens\] access must be one of"):
        read_settings({"access": "everyone"}, {})
    with pytest.raises(ConfigError, match=r"\[trellolens\] redis_url must be text"):
        read_settings({"redis_url": {"host": "x"}}, {})


def test_every_field_is_a_setting_and_every_setting_a_field() -> None:
    names = {field.name for field in FIELDS}
    assert names == set(Settings.__dataclass_fields__) - {"origins"}
    assert len({field.variable for field in FIELDS}) == len(FIELDS)
