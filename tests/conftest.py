"""Shared fixtures: real exports, and an environment restored after every test (as httpx does)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from trellolens.testing.redis_server import RedisServer

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "trello-exports"
SCRUM_2018 = FIXTURES / "scrum-board-2018.json"
HERMES_2014 = FIXTURES / "project-hermes-2014.json"


@pytest.fixture(autouse=True)
def _restore_environ() -> Iterator[None]:
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def _fresh_trello_windows() -> None:
    """Each test starts with empty process-wide Trello rate-limit windows: the /1/members one
    lasts 15 minutes, so requests of earlier tests would otherwise make later ones wait."""
    module = sys.modules.get("trellolens.trello.rate_limit")
    if module is not None:
        module.PROCESS_WINDOWS.clear()


@pytest.fixture(autouse=True)
def _fresh_shared_state() -> Iterator[None]:
    """Redis pools and the Redis health record do not outlive a test."""
    yield
    connection = sys.modules.get("trellolens.shared.connection")
    if connection is not None:
        connection.reset_clients()
    health = sys.modules.get("trellolens.shared.health")
    if health is not None:
        health.HEALTH.reset()


@pytest.fixture
def scrum_export() -> Path:
    if not SCRUM_2018.exists():
        pytest.fail(
            f"missing fixture {SCRUM_2018}: the real exports ship in tests/fixtures/trello-exports/"
        )
    return SCRUM_2018


@pytest.fixture
def hermes_export() -> Path:
    if not HERMES_2014.exists():
        pytest.fail(
            f"missing fixture {HERMES_2014}: the real exports ship in tests/fixtures/trello-exports/"
        )
    return HERMES_2014


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port with a password, no persistence; killed after."""
    with RedisServer.start() as server:
        yield server
