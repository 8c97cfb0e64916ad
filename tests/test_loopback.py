"""The one loopback test, and that every check that trusts "this machine" uses it alike."""

from __future__ import annotations

import pytest

from trellolens.errors import ConfigError, SharedStateError
from trellolens.loopback import is_loopback
from trellolens.settings.urls import check_base_url
from trellolens.shared.settings import check_redis_url

LOOPBACK = ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "::1", "[::1]", " 127.0.0.1 "]
ELSEWHERE = [
    None,
    "",
    "0.0.0.0",  # noqa: S104 -- every interface is not this machine
    "::",
    "10.0.0.1",
    "example.com",
    "localhost.example.com",
    "127.0.0.1.nip.io",
]


@pytest.mark.parametrize("host", LOOPBACK)
def test_this_machine(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ELSEWHERE)
def test_not_this_machine(host: str | None) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.0.0.2"])
def test_plain_http_and_a_password_free_redis_only_on_this_machine(host: str) -> None:
    assert check_base_url(f"http://{host}:8765/1") == f"http://{host}:8765/1"
    assert check_redis_url(f"redis://{host}:6379/0")


@pytest.mark.parametrize("host", ["10.0.0.1", "example.com", "0.0.0.0"])  # noqa: S104
def test_elsewhere_needs_https_and_a_password(host: str) -> None:
    with pytest.raises(ConfigError):
        check_base_url(f"http://{host}:8765/1")
    with pytest.raises(SharedStateError):
        check_redis_url(f"redis://{host}:6379/0")
