"""AWS SSM Parameter Store: parameters under a path, SecureStrings decrypted, cached per process.

``GetParametersByPath(Recursive=True, WithDecryption=True)`` reads ``<path>api_key``,
``<path>token`` and ``<path>api_secret`` in one call (per page); the result is shared by every
session of the process and refreshed once per (jittered) interval.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from trellolens.credentials.model import FIELD_NAMES, KEYS, SourceResult
from trellolens.credentials.secret import Secret
from trellolens.credentials.sources.aws_cache import (
    DEFAULT_REFRESH_SECONDS,
    PROCESS_CACHE,
    Clock,
    Fetched,
    PolledCache,
)
from trellolens.credentials.sources.aws_client import (
    SourceUnavailable,
    describe_aws_failure,
    make_client,
    quiet_botocore,
)
from trellolens.credentials.sources.base import Source

DEFAULT_PATH = "/trellolens/{profile}/trello/"
PERMISSIONS = "ssm:GetParametersByPath (and kms:Decrypt on its key for SecureString)"


def normalised_path(path: str) -> str:
    path = "/" + path.strip().strip("/")
    return path + "/"


class AwsSsmSource(Source):
    """Parameters directly under ``path`` (``{profile}`` is replaced by the profile name)."""

    name: ClassVar[str] = "ssm"
    title: ClassVar[str] = "AWS SSM Parameter Store"

    def __init__(
        self,
        path: str = DEFAULT_PATH,
        *,
        refresh_seconds: float = DEFAULT_REFRESH_SECONDS,
        clock: Clock = time.monotonic,
        cache: PolledCache = PROCESS_CACHE,
    ) -> None:
        self._path = path
        self._refresh_seconds = refresh_seconds
        self._clock = clock
        self._cache = cache
        self._client: Any = None
        self._client_lock = threading.Lock()

    def path(self, profile: str) -> str:
        return normalised_path(self._path.replace("{profile}", profile))

    def load(self, profile: str) -> SourceResult:
        path = self.path(profile)
        try:
            client = self.client()
        except SourceUnavailable as exc:
            return SourceResult(values={}, origins={}, note=f"skipped: {exc}")
        key = (self.name, client.meta.region_name, client.meta.endpoint_url, path)
        return self._cache.get(
            key,
            lambda _previous: self._fetch(client, path),
            interval=self._refresh_seconds,
            clock=self._clock,
        )

    def client(self) -> Any:
        with self._client_lock:
            if self._client is None:
                self._client = make_client("ssm")
            return self._client

    def _fetch(self, client: Any, path: str) -> Fetched:
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
        values: dict[str, Secret] = {}
        origins: dict[str, str] = {}
        for key in KEYS:
            for field in FIELD_NAMES[key]:
                if field in found:
                    value = found[field][0].strip()
                    if value:
                        values[key] = Secret(value)
                        origins[key] = f"parameter {path}{field}"
                    break
        empty = None if found else f"no parameters under {path} in {region}"
        versions = ",".join(f"{name}:{number}" for name, (_, number) in sorted(found.items()))
        return Fetched(versions, SourceResult(values=values, origins=origins, note=empty))

    def locations(self, profile: str) -> list[str]:
        path = self.path(profile)
        return [f"parameters {path}api_key, {path}token, {path}api_secret"]
