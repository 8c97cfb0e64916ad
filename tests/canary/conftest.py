"""Fixtures of the canary suite: seeded sources, quick retries, tapped logs, captured downloads."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.canary.harness import Canaries, Evidence, LogTap, tapped_logs
from trellolens.credentials import redaction
from trellolens.trello import RetryPolicy, client, requester

QUICK_RETRY = RetryPolicy(
    attempts=3, rate_limited_attempts=3, base_delay=0.01, rate_limit_delay=0.02, max_delay=0.05
)


@pytest.fixture(autouse=True)
def _no_ambient_credentials() -> None:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]


@pytest.fixture(autouse=True)
def _quick_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every client the app or CLI makes gives up in about a second: fewer retries, short waits."""
    monkeypatch.setattr(requester, "DEFAULT_RETRY", QUICK_RETRY)
    monkeypatch.setattr(client, "DEFAULT_TIMEOUT", httpx.Timeout(2.0, read=0.4))


@pytest.fixture
def canaries(aws: str) -> Canaries:
    """Key, token and API secrets in the environment and in both AWS sources (moto over HTTP)."""
    seeded = Canaries()
    seeded.seed_environment()
    seeded.seed_aws()
    return seeded


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bytes of every download button the app makes (AppTest's media store drops them).

    A deferred download (its file made on click, as the Cards page's CSV) is clicked at once.
    """
    stored: list[bytes] = []
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def spy(self: MemoryMediaFileStorage, path_or_data: object, *args: object, **kw: object) -> str:
        if isinstance(path_or_data, bytes):
            stored.append(path_or_data)
        return original(self, path_or_data, *args, **kw)  # type: ignore[arg-type]

    def click(manager: MediaFileManager, *args: Any, **kwargs: Any) -> str:
        file_id = original_deferred(manager, *args, **kwargs)
        manager.execute_deferred(file_id)  # stores the bytes: the spy above keeps them
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    monkeypatch.setattr(MediaFileManager, "add_deferred", click)
    return stored


@pytest.fixture
def logs() -> Iterator[LogTap]:
    import trellolens.ui.app  # noqa: F401 -- Streamlit's loggers exist before the tap

    redaction.install()
    with tapped_logs() as tap:
        yield tap


@pytest.fixture
def evidence(
    canaries: Canaries, logs: LogTap, capfd: pytest.CaptureFixture[str]
) -> Iterator[Evidence]:
    """What the test adds, plus (at ``verify()``) every log record and all of fds 1 and 2."""

    def gather(collected: Evidence) -> None:
        logs.collect(collected)
        out, err = capfd.readouterr()
        collected.add("stdout", out)
        collected.add("stderr", err)

    collected = Evidence(canaries, gather=gather)
    yield collected
    if not collected.verified:
        collected.verify()
