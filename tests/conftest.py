"""Shared fixtures: real exports, moto's server, and an environment restored after every test (as
httpx does). Helpers live in tests/helpers/."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.aws import moto_server, use_fresh_moto
from tests.helpers.paths import HERMES_2014, SCRUM_2018
from trellolens.testing.redis_server import RedisServer


@pytest.fixture(autouse=True)
def _restore_environ() -> Iterator[None]:
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def _forget_loaded_secrets() -> Iterator[None]:
    """Streamlit keeps the secrets file it read in a process-wide singleton; a test that ran
    with a secrets.toml in its working directory must not leave it to the next one."""
    yield
    streamlit = sys.modules.get("streamlit")
    if streamlit is not None:
        streamlit.secrets._reset()


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


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's ThreadedMotoServer on 127.0.0.1 and a random free port, for the whole session."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def aws(moto_endpoint: str) -> str:
    """Fake AWS credentials and ``AWS_ENDPOINT_URL`` pointing at a freshly reset moto server."""
    use_fresh_moto(moto_endpoint)
    return moto_endpoint
