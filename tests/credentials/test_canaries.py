"""Canaries in every source and on every error path: none is printed, logged, raised or shown."""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.credentials.test_aws_sources import FakeClock, denied_identity
from tests.helpers.aws import put_json_secret, put_parameters
from tests.helpers.canaries import (
    CANARY_KEY,
    CANARY_SECRET,
    CANARY_TOKEN,
    assert_no_canary,
    canary,
    write_secrets,
)
from trellolens.credentials import Resolver
from trellolens.credentials.sources import (
    AwsSecretsManagerSource,
    AwsSsmSource,
    EnvironmentSource,
    StreamlitSecretsSource,
)
from trellolens.credentials.sources.aws_cache import PolledCache

SECRET_ID = "trellolens/development/trello"
SSM_PATH = "/trellolens/development/trello/"
GOOD_TOML = f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = "{CANARY_TOKEN}"\napi_secret = "{CANARY_SECRET}"\n'


def chain(secrets_file: Path) -> Resolver:
    clock = FakeClock()
    return Resolver(
        [
            StreamlitSecretsSource([secrets_file], use_runtime=False),
            EnvironmentSource(),
            AwsSecretsManagerSource(clock=clock, cache=PolledCache()),
            AwsSsmSource(clock=clock, cache=PolledCache()),
        ]
    )


def seed_everywhere(tmp_path: Path) -> Path:
    os.environ["TRELLO_API_SECRET"] = canary("env-secret")
    put_json_secret(SECRET_ID, {"api_key": canary("sm-key")})
    put_parameters(SSM_PATH, {"token": canary("ssm-token")})
    return tmp_path / "secrets.toml"


def invalid_toml(path: Path) -> None:
    write_secrets(path, f'[trello]\napi_key = "{CANARY_KEY}"\ntoken = {CANARY_TOKEN}\n')


def open_mode(path: Path) -> None:
    write_secrets(path, GOOD_TOML, 0o644)


def missing_keys(path: Path) -> None:
    """No token anywhere: SSM's is deleted, every other source keeps its canaries."""
    os.environ.pop("TRELLO_API_SECRET")
    put_parameters(SSM_PATH, {"api_secret": canary("ssm-secret")})
    from tests.helpers.aws import boto_client

    boto_client("ssm").delete_parameter(Name=f"{SSM_PATH}token")


def missing_secret(path: Path) -> None:
    from tests.helpers.aws import boto_client

    boto_client("secretsmanager").delete_secret(SecretId=SECRET_ID, ForceDeleteWithoutRecovery=True)


def non_json_secret(path: Path) -> None:
    put_json_secret(SECRET_ID, f"api_key={canary('sm-raw')}")


def all_good(path: Path) -> None:
    write_secrets(path, f'[trello]\napi_key = "{CANARY_KEY}"\n')


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "all sources": all_good,
    "invalid TOML": invalid_toml,
    "open file mode": open_mode,
    "missing keys": missing_keys,
    "missing AWS secret": missing_secret,
    "non-JSON secret": non_json_secret,
}


def exercise(resolver: Resolver) -> str:
    """Everything a caller could print: the report, the credentials or the error in full."""
    resolution = resolver.check()
    shown = [repr(resolution), str(resolution.sources), str(resolution.errors)]
    try:
        shown.append(repr(resolver.resolve()))
    except Exception as exc:  # noqa: BLE001 -- any exception must be clean, whatever its type
        shown.append("".join(traceback.format_exception(exc)))
        shown.append(repr(exc.args))
    print("\n".join(shown))
    logging.getLogger("trellolens").info("resolved: %s", shown)
    return "\n".join(shown)


@pytest.mark.aws
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_no_canary_escapes(
    scenario: str,
    aws: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secrets_file = seed_everywhere(tmp_path)
    SCENARIOS[scenario](secrets_file)
    caplog.clear()
    caplog.set_level(logging.DEBUG)  # every logger, botocore and urllib3 included
    shown = exercise(chain(secrets_file))
    captured = capsys.readouterr()
    assert "botocore" in caplog.text or scenario in {"invalid TOML", "open file mode"}
    assert_no_canary(
        shown + captured.out + captured.err + caplog.text,
        canary("env-secret"),
        canary("sm-key"),
        canary("ssm-token"),
        canary("ssm-secret"),
        canary("sm-raw"),
    )


@pytest.mark.aws
def test_no_canary_escapes_a_denied_permission(
    aws: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    put_json_secret(SECRET_ID, {"api_key": canary("sm-key"), "token": CANARY_TOKEN})
    with denied_identity(aws):
        caplog.set_level(logging.DEBUG)
        shown = exercise(chain(tmp_path / "absent.toml"))
    assert "access denied" in shown
    assert_no_canary(shown + caplog.text, canary("sm-key"))
