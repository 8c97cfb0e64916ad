"""`trellolens rotate` with the token in AWS Secrets Manager or SSM (moto over real HTTP)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.aws import boto_client, current_json_secret, put_json_secret, put_parameters
from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET
from tests.rotation.rotate_support import (
    NEW,
    OLD,
    OTHER_MEMBERS,
    accepted,
    isolate_on_moto,
    rotate,
    serving_emulator,
)
from trellolens.testing import TrelloEmulator

pytestmark = pytest.mark.aws
SECRET_ID = "trellolens/development/trello"
SSM_PATH = "/trellolens/development/trello/"


@pytest.fixture
def project(tmp_path: Path, aws: str) -> Path:
    """An isolated project whose AWS is the freshly reset moto server (``aws`` fixture)."""
    return isolate_on_moto(tmp_path)


@pytest.fixture
def emulator(project: Path) -> Iterator[TrelloEmulator]:
    with serving_emulator() as emulator:
        yield emulator


def secret_now() -> dict[str, str]:
    return current_json_secret(SECRET_ID)


def parameter_now(name: str) -> tuple[str, str]:
    parameter = boto_client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]
    return str(parameter["Value"]), str(parameter["Type"])


@pytest.fixture
def in_secrets_manager(project: Path) -> dict[str, str]:
    os.environ["TRELLOLENS_SOURCES"] = "aws-sm"
    payload = {"api_key": CANARY_KEY, "token": OLD, "api_secret": CANARY_SECRET, "note": "kept"}
    put_json_secret(SECRET_ID, payload)
    return payload


def test_secrets_manager_without_write_aws_gets_instructions(
    emulator: TrelloEmulator,
    project: Path,
    in_secrets_manager: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    run = rotate(caplog, project, "--yes")
    assert run.code == 0, run.stderr
    assert f"field token of AWS Secrets Manager secret {SECRET_ID}" in run.stdout
    assert "--write-aws" in run.stdout
    assert secret_now() == in_secrets_manager
    assert accepted(OLD)


def test_secrets_manager_with_write_aws_puts_a_new_version(
    emulator: TrelloEmulator,
    project: Path,
    in_secrets_manager: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    run = rotate(caplog, project, "--write-aws", "--yes")
    assert run.code == 0, run.stderr
    assert secret_now() == {**in_secrets_manager, "token": NEW}
    assert f"put the new token as the AWSPENDING version of secret {SECRET_ID}" in run.stdout
    assert "the resolver reads the new token from AWSPENDING" in run.stdout
    assert f"moved AWSCURRENT of secret {SECRET_ID}" in run.stdout
    assert "the app now resolves the new token" in run.stdout
    assert not accepted(OLD)
    versions = boto_client("secretsmanager").list_secret_version_ids(SecretId=SECRET_ID)
    stages = sorted(sorted(v["VersionStages"]) for v in versions["Versions"])
    assert stages == [["AWSCURRENT"], ["AWSPREVIOUS"]]  # no AWSPENDING left behind


def test_secrets_manager_refused_token_writes_nothing(
    emulator: TrelloEmulator,
    project: Path,
    in_secrets_manager: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    run = rotate(caplog, project, "--write-aws", "--yes", stdin=OTHER_MEMBERS + "\n")
    assert run.code == 1
    assert secret_now() == in_secrets_manager
    versions = boto_client("secretsmanager").list_secret_version_ids(SecretId=SECRET_ID)
    assert len(versions["Versions"]) == 1


def test_ssm_with_write_aws_overwrites_the_parameter(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ["TRELLOLENS_SOURCES"] = "ssm"
    put_parameters(SSM_PATH, {"api_key": CANARY_KEY, "token": OLD})
    run = rotate(caplog, project, "--write-aws", "--yes")
    assert run.code == 0, run.stderr
    assert parameter_now(f"{SSM_PATH}token") == (NEW, "SecureString")
    assert parameter_now(f"{SSM_PATH}api_key") == (CANARY_KEY, "SecureString")
    assert f"overwrote parameter {SSM_PATH}token" in run.stdout
    assert not accepted(OLD)


def test_ssm_without_write_aws_names_the_parameter(
    emulator: TrelloEmulator, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ["TRELLOLENS_SOURCES"] = "ssm"
    put_parameters(SSM_PATH, {"api_key": CANARY_KEY, "token": OLD})
    run = rotate(caplog, project)
    assert run.code == 0, run.stderr
    assert f"the token is SSM parameter {SSM_PATH}token" in run.stdout
    assert parameter_now(f"{SSM_PATH}token") == (OLD, "SecureString")
    assert accepted(OLD)
