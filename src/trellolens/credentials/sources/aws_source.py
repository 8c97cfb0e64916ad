"""What both AWS sources share: a lazily made boto3 client and the per-process polled cache."""

from __future__ import annotations

import threading
import time
from abc import abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from trellolens.credentials.model import FIELD_NAMES, SOURCE_KEYS, SourceResult
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
    aws_credentials_configured,
    make_client,
)
from trellolens.credentials.sources.base import Source


class CachedAwsSource(Source):
    """An AWS source whose reads are shared by every session and refreshed once per interval.

    Subclasses name their boto3 ``service``, say where they read for a profile (``place``) and
    how to read it (``fetch``); ``{profile}`` in the configured place is replaced by the profile.
    """

    service: ClassVar[str]
    default_place: ClassVar[str]

    def __init__(
        self,
        place: str | None = None,
        *,
        refresh_seconds: float = DEFAULT_REFRESH_SECONDS,
        clock: Clock = time.monotonic,
        cache: PolledCache = PROCESS_CACHE,
    ) -> None:
        self._place = place or self.default_place
        self._refresh_seconds = refresh_seconds
        self._clock = clock
        self._cache = cache
        self._client: Any = None
        self._client_lock = threading.Lock()

    def place(self, profile: str) -> str:
        return self._place.replace("{profile}", profile)

    def client(self) -> Any:
        with self._client_lock:
            if self._client is None:
                self._client = make_client(self.service)
            return self._client

    def load(self, profile: str) -> SourceResult:
        place = self.place(profile)
        try:
            client = self.client()
        except SourceUnavailable as exc:
            # With AWS credentials about, a missing region is worth saying, not "nothing configured".
            note = str(exc) if aws_credentials_configured() else f"skipped: {exc}"
            return SourceResult(values={}, origins={}, note=note)
        key = (self.name, client.meta.region_name, client.meta.endpoint_url, place)
        return self._cache.get(
            key,
            lambda previous: self.fetch(client, place, previous),
            interval=self._refresh_seconds,
            clock=self._clock,
        )

    @abstractmethod
    def fetch(self, client: Any, place: str, previous: Fetched | None) -> Fetched:
        """Read ``place`` (a secret id, a parameter path); ``previous`` is the cached read."""


def pick_keys(found: Mapping[str, str], origin: str) -> tuple[dict[str, Secret], dict[str, str]]:
    """The Trello keys among ``found`` (field name -> value), first field name of each key wins.

    ``origin`` names where a field came from, with ``{field}`` replaced by the field's name.
    """
    values: dict[str, Secret] = {}
    origins: dict[str, str] = {}
    for key in SOURCE_KEYS:
        for field in FIELD_NAMES[key]:
            if field in found:
                value = found[field].strip()
                if value:
                    values[key] = Secret(value)
                    origins[key] = origin.replace("{field}", field)
                break
    return values, origins
