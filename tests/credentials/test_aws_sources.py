"""AWS Secrets Manager and SSM sources against moto's ThreadedMotoServer, over real HTTP."""

from __future__ import annotations

import json
import os
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.helpers.aws import boto_client, count_calls, put_json_secret, put_parameters
from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN, assert_no_canary, canary
from trellolens.credentials import Resolver
from trellolens.credentials.sources import AwsSecretsManagerSource, AwsSsmSource
from trellolens.credentials.sources.aws_cache import PolledCache
from trellolens.errors import CredentialsError, MissingCredentialsError

pytestmark = pytest.mark.aws

SECRET_ID = "trellolens/development/trello"
SSM_PATH = "/trellolens/development/trello/"
INTERVAL = 60.0


class FakeClock:
    """A monotonic clock the test moves by hand: no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def secrets_manager(clock: FakeClock) -> AwsSecretsManagerSource:
    return AwsSecretsManagerSource(refresh_seconds=INTERVAL, clock=clock, cache=PolledCache())


def test_a_json_secret_is_read_with_provenance(aws: str, clock: FakeClock) -> None:
    put_json_secret(
        SECRET_ID, {"api_key": CANARY_KEY, "token": CANARY_TOKEN, "api_secret": CANARY_SECRET}
    )
    resolution = Resolver([secrets_manager(clock)]).check()
    assert resolution.ok
    assert resolution.provenance == {"api_key": "aws-sm", "api_secret": "aws-sm", "token": "aws-sm"}
    assert resolution.origins["token"] == f"token in secret {SECRET_ID}"
    assert resolution.credentials().token.reveal() == CANARY_TOKEN


def test_the_profile_selects_the_secret(aws: str, clock: FakeClock) -> None:
    put_json_secret(
        "trellolens/production/trello", {"api_key": CANARY_KEY, "token": canary("prod")}
    )
    credentials = Resolver([secrets_manager(clock)], "production").resolve()
    assert credentials.token.reveal() == canary("prod")


def test_a_rotation_is_picked_up_after_the_interval_without_restart(
    aws: str, clock: FakeClock
) -> None:
    put_json_secret(SECRET_ID, {"api_key": CANARY_KEY, "token": canary("v1")})
    source = secrets_manager(clock)
    calls = count_calls(source.client())
    assert source.load("development").values["token"].reveal() == canary("v1")

    put_json_secret(SECRET_ID, {"api_key": CANARY_KEY, "token": canary("v2")})  # new AWSCURRENT
    clock.advance(INTERVAL / 2)
    assert source.load("development").values["token"].reveal() == canary("v1")  # still cached
    assert calls == {"GetSecretValue": 1}

    clock.advance(INTERVAL)
    assert source.load("development").values["token"].reveal() == canary("v2")
    assert calls == {"GetSecretValue": 2, "DescribeSecret": 1}

    clock.advance(INTERVAL)  # no change: the cheap call only
    assert source.load("development").values["token"].reveal() == canary("v2")
    assert calls == {"GetSecretValue": 2, "DescribeSecret": 2}


def test_concurrent_sessions_cost_one_call_per_interval_and_version(
    aws: str, clock: FakeClock
) -> None:
    put_json_secret(SECRET_ID, {"api_key": CANARY_KEY, "token": canary("v1")})
    source = secrets_manager(clock)  # one per process, as default_resolver() keeps it
    calls = count_calls(source.client())
    sessions = 24

    def resolve_in_sessions() -> set[str]:
        barrier = threading.Barrier(sessions)
        seen: list[str] = []

        def session() -> None:
            barrier.wait()
            seen.append(Resolver([source]).resolve().token.reveal())

        threads = [threading.Thread(target=session) for _ in range(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(seen) == sessions
        return set(seen)

    assert resolve_in_sessions() == {canary("v1")}
    assert calls == {"GetSecretValue": 1}
    put_json_secret(SECRET_ID, {"api_key": CANARY_KEY, "token": canary("v2")})
    for interval in range(1, 4):
        clock.advance(INTERVAL)
        assert resolve_in_sessions() == {canary("v2")}
        assert calls == {"GetSecretValue": 2, "DescribeSecret": interval}


def test_a_missing_secret_is_named_when_nothing_else_has_the_keys(
    aws: str, clock: FakeClock
) -> None:
    resolution = Resolver([secrets_manager(clock)]).check()
    assert resolution.sources[0].note == f"secret {SECRET_ID} not found in us-east-1"
    with pytest.raises(MissingCredentialsError, match=f"secret {SECRET_ID} not found in us-east-1"):
        resolution.credentials()


def test_a_non_json_secret_is_an_error_naming_the_id_not_the_content(
    aws: str, clock: FakeClock
) -> None:
    put_json_secret(SECRET_ID, f"token={CANARY_TOKEN}")
    with pytest.raises(CredentialsError) as raised:
        Resolver([secrets_manager(clock)]).resolve()
    assert str(raised.value).startswith(
        f"AWS Secrets Manager: secret {SECRET_ID} is not a JSON object"
    )
    assert_no_canary(str(raised.value) + repr(raised.value))


@contextmanager
def denied_identity(endpoint: str) -> Iterator[None]:
    """An IAM user allowed only DescribeSecret, with moto enforcing IAM meanwhile."""
    iam = boto_client("iam")
    iam.create_user(UserName="dashboard")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "secretsmanager:DescribeSecret", "Resource": "*"}
        ],
    }
    iam.put_user_policy(
        UserName="dashboard", PolicyName="describe-only", PolicyDocument=json.dumps(policy)
    )
    key = iam.create_access_key(UserName="dashboard")["AccessKey"]
    os.environ["AWS_ACCESS_KEY_ID"] = key["AccessKeyId"]
    os.environ["AWS_SECRET_ACCESS_KEY"] = key["SecretAccessKey"]
    _enforce_iam(endpoint, "0")
    try:
        yield
    finally:
        _enforce_iam(endpoint, "inf")


def _enforce_iam(endpoint: str, after_requests: str) -> None:
    """moto's /moto-api/reset-auth: check IAM for every request after ``after_requests``."""
    request = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth",
        data=after_requests.encode(),
        headers={"Content-Type": "text/plain"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10):
        pass


def test_a_denied_permission_names_the_secret_and_the_permission(
    aws: str, clock: FakeClock
) -> None:
    put_json_secret(SECRET_ID, {"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    with denied_identity(aws), pytest.raises(CredentialsError) as raised:
        Resolver([secrets_manager(clock)]).resolve()
    message = str(raised.value)
    assert message.startswith(
        f"AWS Secrets Manager: access denied reading secret {SECRET_ID} in us-east-1"
    )
    assert "secretsmanager:GetSecretValue" in message
    assert_no_canary(message)


def ssm(clock: FakeClock) -> AwsSsmSource:
    return AwsSsmSource(refresh_seconds=INTERVAL, clock=clock, cache=PolledCache())


def test_ssm_securestring_parameters_are_decrypted(aws: str, clock: FakeClock) -> None:
    put_parameters(SSM_PATH, {"api_key": CANARY_KEY, "token": CANARY_TOKEN})
    put_parameters("/trellolens/development/trello/nested/", {"token": canary("nested")})
    resolution = Resolver([ssm(clock)]).check()
    assert resolution.ok
    assert resolution.origins == {
        "api_key": f"parameter {SSM_PATH}api_key",
        "token": f"parameter {SSM_PATH}token",
    }
    assert resolution.credentials().token.reveal() == CANARY_TOKEN


def test_ssm_is_cached_and_picks_up_changes_after_the_interval(aws: str, clock: FakeClock) -> None:
    put_parameters(SSM_PATH, {"api_key": CANARY_KEY, "token": canary("v1")})
    source = ssm(clock)
    calls = count_calls(source.client())
    for _ in range(5):
        assert source.load("development").values["token"].reveal() == canary("v1")
    put_parameters(SSM_PATH, {"token": canary("v2")})
    clock.advance(INTERVAL)
    assert source.load("development").values["token"].reveal() == canary("v2")
    assert calls == {"GetParametersByPath": 2}


def test_ssm_with_no_parameters_is_a_note(aws: str, clock: FakeClock) -> None:
    resolution = Resolver([ssm(clock)]).check()
    assert resolution.sources[0].note == f"no parameters under {SSM_PATH} in us-east-1"
    assert resolution.missing == ("api_key", "token")


def test_sm_and_ssm_merge_per_key_in_the_default_order(aws: str, clock: FakeClock) -> None:
    put_json_secret(SECRET_ID, {"api_key": CANARY_KEY})
    put_parameters(SSM_PATH, {"api_key": canary("ssm-key"), "token": CANARY_TOKEN})
    resolution = Resolver([secrets_manager(clock), ssm(clock)]).check()
    assert resolution.provenance == {"api_key": "aws-sm", "token": "ssm"}


def test_without_a_region_the_aws_sources_are_skipped(clock: FakeClock) -> None:
    resolution = Resolver([secrets_manager(clock), ssm(clock)]).check()
    assert [report.note for report in resolution.sources] == [
        "skipped: no AWS region configured (set AWS_DEFAULT_REGION, or region in ~/.aws/config)"
    ] * 2
    assert not resolution.errors
