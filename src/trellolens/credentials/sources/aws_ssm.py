"""AWS SSM Parameter Store: parameters under a path, SecureStrings decrypted, cached per process.

``GetParametersByPath(Recursive=True, WithDecryption=True)`` reads ``<path>api_key``,
``<path>token`` and ``<path>api_secret`` in one call (per page); the result is shared by every
session of the process and refreshed once per (jittered) interval.
"""

from __future__ import annotations

from typing import Any, ClassVar

from trellolens.credentials.model import SourceResult
from trellolens.credentials.sources.aws_cache import Fetched
from trellolens.credentials.sources.aws_client import (
    describe_aws_failure,
    quiet_botocore,
)
from trellolens.credentials.sources.aws_source import CachedAwsSource, pick_keys
from trellolens.settings.chain import DEFAULT_SSM_PATH as DEFAULT_PATH

PERMISSIONS = "ssm:GetParametersByPath (and kms:Decrypt on its key for SecureString)"


def normalised_path(path: str) -> str:
    path = "/" + path.strip().strip("/")
    return path + "/"


class AwsSsmSource(CachedAwsSource):
    """Parameters directly under ``path`` (``{profile}`` is replaced by the profile name)."""

    name: ClassVar[str] = "ssm"
    title: ClassVar[str] = "AWS SSM Parameter Store"
    service: ClassVar[str] = "ssm"

    default_place: ClassVar[str] = DEFAULT_PATH

    def place(self, profile: str) -> str:
        return normalised_path(super().place(profile))

    def path(self, profile: str) -> str:
        return self.place(profile)

    def fetch(self, client: Any, path: str, previous: Fetched | None) -> Fetched:
        from botocore.exceptions import BotoCoreError, ClientError

        region = client.meta.region_name
        found: dict[str, tuple[str, int]] = {}
        with quiet_botocore():
            try:
                pages = client.get_paginator("get_parameters_by_path").paginate(
                    Path=path, Recursive=True, WithDecryption=True
                )
                for page in pages:
                    for parameter in page.get("Parameters", []):
                        name = str(parameter["Name"])[len(path) :]
                        found[name] = (str(parameter.get("Value", "")), int(parameter["Version"]))
            except (ClientError, BotoCoreError) as exc:
                message = describe_aws_failure(
                    exc, f"parameters under {path} in {region}", PERMISSIONS
                )
                if message is None:
                    note = "skipped: no AWS credentials found"
                    return Fetched(None, SourceResult(values={}, origins={}, note=note))
                return Fetched(None, error=f"{self.title}: {message}")
        values, origins = pick_keys(
            {name: value for name, (value, _) in found.items()}, f"parameter {path}{{field}}"
        )
        empty = None if found else f"no parameters under {path} in {region}"
        versions = ",".join(f"{name}:{number}" for name, (_, number) in sorted(found.items()))
        return Fetched(versions, SourceResult(values=values, origins=origins, note=empty))

    def locations(self, profile: str) -> list[str]:
        path = self.path(profile)
        names = ("api_key", "token", "api_secret", "client_id", "client_secret", "refresh_token")
        return ["parameters " + ", ".join(path + name for name in names)]
