"""AWS Secrets Manager: one JSON secret holding the keys, cached per process, rotation-aware.

The first read calls ``GetSecretValue(VersionStage="AWSCURRENT")``. Afterwards, once per
(jittered) refresh interval, one thread calls the cheap ``DescribeSecret`` and fetches the value
again only when the version marked AWSCURRENT has changed: a rotation is picked up without a
restart, and any number of sessions cost one call per interval.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from trellolens.credentials.model import FIELD_NAMES, SOURCE_KEYS, SourceResult
from trellolens.credentials.secret import Secret
from trellolens.credentials.sources.aws_cache import Fetched
from trellolens.credentials.sources.aws_client import describe_aws_failure, quiet_botocore
from trellolens.credentials.sources.aws_source import CachedAwsSource, pick_keys
from trellolens.settings.chain import DEFAULT_SECRET_ID

PERMISSIONS = "secretsmanager:DescribeSecret and secretsmanager:GetSecretValue"
JSON_TEMPLATE = '{"api_key": "...", "token": "...", "api_secret": "..."}'


def secret_values(text: str, secret_id: str) -> tuple[dict[str, Secret], dict[str, str]] | str:
    """The keys in a JSON secret, or a one-line problem (never quoting the content)."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return f"secret {secret_id} is not a JSON object; store it as {JSON_TEMPLATE}"
    for key in SOURCE_KEYS:
        for field in FIELD_NAMES[key]:
            if field in data and not isinstance(data[field], str):
                return f'"{field}" in secret {secret_id} must be a string, not {type(data[field]).__name__}'
    return pick_keys(data, f"{{field}} in secret {secret_id}")


def current_version(described: dict[str, Any], stage: str = "AWSCURRENT") -> str | None:
    stages: dict[str, list[str]] = described.get("VersionIdsToStages", {})
    return next((version for version, names in stages.items() if stage in names), None)


class AwsSecretsManagerSource(CachedAwsSource):
    """The JSON secret ``secret_id`` (``{profile}`` is replaced by the profile name)."""

    name: ClassVar[str] = "aws-sm"
    title: ClassVar[str] = "AWS Secrets Manager"
    service: ClassVar[str] = "secretsmanager"

    default_place: ClassVar[str] = DEFAULT_SECRET_ID

    def __init__(
        self, place: str | None = None, *, version_stage: str = "AWSCURRENT", **options: Any
    ) -> None:
        """``version_stage``: ``AWSPENDING`` lets ``rotate`` check a staged value before use."""
        super().__init__(place, **options)
        self.version_stage = version_stage

    def secret_id(self, profile: str) -> str:
        return self.place(profile)

    def fetch(self, client: Any, secret_id: str, previous: Fetched | None) -> Fetched:
        from botocore.exceptions import BotoCoreError, ClientError

        region = client.meta.region_name
        with quiet_botocore():
            try:
                if previous is not None and previous.version is not None:
                    described = client.describe_secret(SecretId=secret_id)
                    if current_version(described, self.version_stage) == previous.version:
                        return previous
                response = client.get_secret_value(
                    SecretId=secret_id, VersionStage=self.version_stage
                )
            except (ClientError, BotoCoreError) as exc:
                return self._failure(exc, secret_id, region)
        text = response.get("SecretString")
        if not isinstance(text, str):
            return Fetched(
                None,
                error=f"{self.title}: secret {secret_id} holds binary data; "
                f"store it as a JSON string {JSON_TEMPLATE}",
            )
        parsed = secret_values(text, secret_id)
        if isinstance(parsed, str):
            return Fetched(None, error=f"{self.title}: {parsed}")
        values, origins = parsed
        return Fetched(str(response.get("VersionId")), SourceResult(values=values, origins=origins))

    def _failure(self, exc: Exception, secret_id: str, region: str) -> Fetched:
        from botocore.exceptions import ClientError

        code = exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else None
        if code == "ResourceNotFoundException":
            note = f"secret {secret_id} not found in {region}"
            return Fetched(None, SourceResult(values={}, origins={}, note=note))
        message = describe_aws_failure(exc, f"secret {secret_id} in {region}", PERMISSIONS)
        if message is None:
            note = "skipped: no AWS credentials found"
            return Fetched(None, SourceResult(values={}, origins={}, note=note))
        return Fetched(None, error=f"{self.title}: {message}")

    def locations(self, profile: str) -> list[str]:
        return [f"JSON secret {self.secret_id(profile)} ({self.version_stage})"]
